// PDF rendering with pdf.js: the worker is bundled by Vite (no CDN), loaded lazily on first use.
import type { PDFDocumentProxy } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

let lib: Promise<typeof import("pdfjs-dist")> | null = null;

function pdfjs(): Promise<typeof import("pdfjs-dist")> {
  lib ??= import("pdfjs-dist").then((m) => {
    m.GlobalWorkerOptions.workerSrc = workerUrl;
    return m;
  });
  return lib;
}

/** Bytes as they come over IPC: an ArrayBuffer from a raw response, or a JSON array of numbers. */
export function toBytes(raw: ArrayBuffer | Uint8Array | number[]): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  return new Uint8Array(raw);
}

/** Opens a PDF from bytes; the CSP forbids eval, so pdf.js must not try it. */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const m = await pdfjs();
  return m.getDocument({ data: bytes, isEvalSupported: false }).promise;
}

/** Draws one page onto a new canvas `cssWidth` pixels wide (sharp on high-DPI screens). */
export async function renderPage(
  doc: PDFDocumentProxy,
  pageNumber: number,
  cssWidth: number,
): Promise<HTMLCanvasElement> {
  const page = await doc.getPage(pageNumber);
  const base = page.getViewport({ scale: 1 });
  const ratio = globalThis.devicePixelRatio || 1;
  const scale = (cssWidth / base.width) * Math.max(ratio, 2);
  const viewport = page.getViewport({ scale });
  const canvas = document.createElement("canvas");
  canvas.className = "pdf-page";
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.dataset.page = String(pageNumber);
  canvas.setAttribute("aria-label", `PDF ${pageNumber}`);
  await page.render({ canvas, viewport }).promise;
  return canvas;
}
