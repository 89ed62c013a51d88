#!/usr/bin/env python3
"""Peer decoders for the vikno-scan benchmark: zxing-cpp and pyzbar (ZBar), one thread, formats
restricted to EAN-13 / Code 128 / QR, timing only the decode call on 8-bit luma already in memory
(median of --repeat runs after a 10-frame warm-up), exactly like decode-bench. Writes
DIR/<peer>.csv with rows file,text,ms (text = first read the Diia code rule accepts)."""
import argparse
import csv
import os
import statistics
import time

import cv2
import zxingcpp
from pyzbar import pyzbar

from coderule import accepted


def zxing_decoder():
    F = zxingcpp.BarcodeFormat
    fmts = (F.EAN13, F.Code128, F.QRCode)

    def run(img):
        res = zxingcpp.read_barcodes(img, formats=fmts)
        return [(r.text, r.format == F.QRCode) for r in res]
    return run


def zbar_decoder():
    syms = [pyzbar.ZBarSymbol.EAN13, pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.QRCODE]

    def run(img):
        res = pyzbar.decode(img, symbols=syms)
        return [(r.data.decode("utf-8", "replace"), r.type == "QRCODE") for r in res]
    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    img_dir = os.path.join(a.corpus, "img")
    names = sorted(n for n in os.listdir(img_dir) if n.endswith(".png"))
    images = [(n, cv2.imread(os.path.join(img_dir, n), cv2.IMREAD_GRAYSCALE)) for n in names]
    for label, dec in (("zxingcpp", zxing_decoder()), ("pyzbar", zbar_decoder())):
        for _, img in images[:10]:
            dec(img)
        path = os.path.join(a.out_dir, f"{label}.csv")
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "text", "ms"])
            for name, img in images:
                times, reads = [], []
                for _ in range(max(1, a.repeat)):
                    t0 = time.perf_counter()
                    reads = dec(img)
                    times.append((time.perf_counter() - t0) * 1000.0)
                text = next((t for t in (accepted(x, q) for x, q in reads) if t), "")
                w.writerow([name, text, f"{statistics.median(times):.3f}"])
        print(f"{label}: wrote {path}")


if __name__ == "__main__":
    main()
