// Writing a field's value to the clipboard: the async API, or the selection fallback some webviews need.

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through: WebKitGTK may refuse the async API outside a direct user gesture.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  const previous = document.activeElement as HTMLElement | null;
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  previous?.focus();
  if (!ok) throw { code: "internal", message: "clipboard write refused" };
}
