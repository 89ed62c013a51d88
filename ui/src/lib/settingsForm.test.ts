import { describe, expect, it } from "vitest";
import type { SettingsView } from "./ipc/ipc";
import { formFromView, formProblem, inputFromForm, linesToList } from "./settingsForm";

const view: SettingsView = {
  environment: "diia-test",
  baseUrl: "https://api2s.diia.gov.ua",
  branchId: null,
  receiverListen: "127.0.0.1:8443",
  receiverPublicUrl: "https://desk.example/diia",
  keyContainerPath: "/keys/Key-6.dat",
  diiaCertificatePaths: ["/certs/a.cer", "/certs/b.cer"],
  trustedCertificatePaths: [],
  hasAcquirerToken: true,
  hasKeyPassword: false,
  purposes: [
    { id: "kyc", labelUk: "Ідентифікація", labelEn: "KYC", legalGround: "law", retentionDays: 30 },
  ],
  idleLockSeconds: 120,
  scannerSerialPort: null,
  cameraIndex: 0,
};

describe("settings form", () => {
  it("round-trips a view, keeping secrets when their fields stay empty", () => {
    const input = inputFromForm(formFromView(view));
    expect(input).toMatchObject({
      environment: "diia-test",
      branchId: null,
      keyContainerPath: "/keys/Key-6.dat",
      diiaCertificatePaths: ["/certs/a.cer", "/certs/b.cer"],
      acquirerToken: null,
      keyPassword: null,
      idleLockSeconds: 120,
      scannerSerialPort: null,
      cameraIndex: 0,
    });
    expect(input.purposes).toEqual(view.purposes);
  });

  it("sends typed secrets and parses numbers", () => {
    const f = formFromView(view);
    f.acquirerToken = "tok";
    f.cameraIndex = "";
    f.idleLockSeconds = " 0 ";
    const input = inputFromForm(f);
    expect(input.acquirerToken).toBe("tok");
    expect(input.cameraIndex).toBeNull();
    expect(input.idleLockSeconds).toBe(0);
  });

  it("splits certificate paths one per line", () => {
    expect(linesToList(" /a.cer \n\n/b.cer\r\n")).toEqual(["/a.cer", "/b.cer"]);
  });

  it("refuses bad numbers and duplicate or empty purpose ids", () => {
    const f = formFromView(view);
    expect(formProblem(f)).toBeNull();
    expect(formProblem({ ...f, idleLockSeconds: "soon" })).toBe("config_invalid");
    expect(formProblem({ ...f, cameraIndex: "x" })).toBe("config_invalid");
    const kyc = {
      ...view.purposes[0],
      id: "kyc",
      labelUk: "Ідентифікація",
    } as (typeof view.purposes)[0];
    const dup = { ...f, purposes: [...f.purposes, { ...kyc }] };
    expect(formProblem(dup)).toBe("config_invalid");
    const empty = { ...f, purposes: [{ ...kyc, id: " " }] };
    expect(formProblem(empty)).toBe("config_invalid");
  });
});
