import { describe, expect, it } from "vitest";
import { copyDigit, globalAction, rowMove } from "./keys";

describe("global shortcuts", () => {
  it("maps the F-keys to screens", () => {
    expect(globalAction({ key: "F2" }, false)).toEqual({ kind: "go", screen: "scan" });
    expect(globalAction({ key: "F3" }, false)).toEqual({ kind: "go", screen: "history" });
    expect(globalAction({ key: "F9" }, false)).toEqual({ kind: "go", screen: "settings" });
  });

  it("offers the customer phone (F4) only in sandbox mode", () => {
    expect(globalAction({ key: "F4" }, true)).toEqual({ kind: "go", screen: "phone" });
    expect(globalAction({ key: "F4" }, false)).toBeNull();
  });

  it("maps Esc to back", () => {
    expect(globalAction({ key: "Escape" }, false)).toEqual({ kind: "back" });
  });

  it("switches language with Alt+L in either keyboard layout", () => {
    expect(globalAction({ key: "l", code: "KeyL", altKey: true }, false)).toEqual({
      kind: "lang",
    });
    expect(globalAction({ key: "д", code: "KeyL", altKey: true }, false)).toEqual({
      kind: "lang",
    });
    expect(globalAction({ key: "l", code: "KeyL" }, false)).toBeNull();
  });

  it("ignores F-keys with modifiers and ordinary keys", () => {
    expect(globalAction({ key: "F2", ctrlKey: true }, false)).toBeNull();
    expect(globalAction({ key: "5" }, false)).toBeNull();
    expect(globalAction({ key: "Enter" }, false)).toBeNull();
  });
});

describe("row navigation", () => {
  it("moves down and up within bounds", () => {
    expect(rowMove(-1, "ArrowDown", 3)).toBe(0);
    expect(rowMove(0, "ArrowDown", 3)).toBe(1);
    expect(rowMove(2, "ArrowDown", 3)).toBe(2);
    expect(rowMove(1, "ArrowUp", 3)).toBe(0);
    expect(rowMove(0, "ArrowUp", 3)).toBe(0);
  });

  it("jumps with Home, End and the page keys", () => {
    expect(rowMove(5, "Home", 30)).toBe(0);
    expect(rowMove(5, "End", 30)).toBe(29);
    expect(rowMove(25, "PageDown", 30)).toBe(29);
    expect(rowMove(5, "PageUp", 30)).toBe(0);
  });

  it("does nothing for other keys or an empty list", () => {
    expect(rowMove(0, "a", 3)).toBeNull();
    expect(rowMove(0, "ArrowDown", 0)).toBeNull();
  });
});

describe("copy digits", () => {
  it("maps 1–9 to field indexes 0–8", () => {
    expect(copyDigit({ key: "1" })).toBe(0);
    expect(copyDigit({ key: "9" })).toBe(8);
  });

  it("ignores 0, letters and modified digits", () => {
    expect(copyDigit({ key: "0" })).toBeNull();
    expect(copyDigit({ key: "a" })).toBeNull();
    expect(copyDigit({ key: "1", ctrlKey: true })).toBeNull();
    expect(copyDigit({ key: "F1" })).toBeNull();
  });
});
