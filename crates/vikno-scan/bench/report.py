#!/usr/bin/env python3
"""Side-by-side table for the vikno-scan benchmark: detection per category and per symbology,
wrong codes accepted, false positives on negative frames, and median/p95/max ms per frame at
640x480 and 1280x720; also writes one combined CSV (a row per frame, columns per decoder)."""
import argparse
import csv


def load(path):
    with open(path, newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def pct(vals, p):
    if not vals:
        return float("nan")
    s = sorted(vals)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--decoder", action="append", required=True, help="label=path.csv")
    ap.add_argument("--combined", required=True)
    a = ap.parse_args()
    with open(a.truth, newline="") as fh:
        truth = list(csv.DictReader(fh))
    decs = []
    for spec in a.decoder:
        label, path = spec.split("=", 1)
        decs.append((label, load(path)))
    cats = []
    for t in truth:
        if t["category"] != "negative" and t["category"] not in cats:
            cats.append(t["category"])
    syms = ["ean13", "code128", "qr"]
    stats = {}
    for label, rows in decs:
        st = dict(cat={}, sym={}, wrong=0, fp=0, neg=0, hit=0, pos=0, ms={})
        for t in truth:
            r = rows.get(t["file"])
            text = r["text"] if r else ""
            ms = float(r["ms"]) if r else float("nan")
            res = f'{t["width"]}x{t["height"]}'
            st["ms"].setdefault(res, []).append(ms)
            if t["category"] == "negative":
                st["neg"] += 1
                st["fp"] += 1 if text else 0
                continue
            ok = text == t["text"]
            st["pos"] += 1
            st["hit"] += ok
            st["wrong"] += 1 if text and not ok else 0
            for key, k in (("cat", t["category"]), ("sym", t["symbology"])):
                h, n = st[key].get(k, (0, 0))
                st[key][k] = (h + ok, n + 1)
        stats[label] = st

    def rate(hn):
        h, n = hn
        return 100.0 * h / n if n else float("nan")

    labels = [l for l, _ in decs]
    out = []
    w = lambda s: out.append(s)
    w("Detection per category (% of frames; after the Diia code rule):")
    w("| decoder | " + " | ".join(cats) + " | all | wrong | FP on negatives |")
    w("|---" * (len(cats) + 4) + "|")
    for l in labels:
        st = stats[l]
        cells = [f"{rate(st['cat'][c]):.0f}" for c in cats]
        w(f"| {l} | " + " | ".join(cells) +
          f" | {rate((st['hit'], st['pos'])):.1f} ({st['hit']}/{st['pos']}) | {st['wrong']} | {st['fp']}/{st['neg']} |")
    w("")
    w("Detection per symbology (%) and decode time per frame (ms, one thread, luma in memory):")
    w("| decoder | EAN-13 | Code 128 | QR | median 640x480 | p95 640x480 | max 640x480 "
      "| median 1280x720 | p95 1280x720 | max 1280x720 |")
    w("|---" * 10 + "|")
    for l in labels:
        st = stats[l]
        cells = [f"{rate(st['sym'][s]):.0f}" for s in syms]
        for res in ("640x480", "1280x720"):
            v = st["ms"].get(res, [])
            cells += [f"{pct(v, 50):.1f}", f"{pct(v, 95):.1f}", f"{max(v) if v else float('nan'):.1f}"]
        w(f"| {l} | " + " | ".join(cells) + " |")
    if len(labels) > 1:
        ref = "zxingcpp" if "zxingcpp" in stats else labels[1]
        base = labels[0]
        w("")
        diffs = {c: rate(stats[base]["cat"][c]) - rate(stats[ref]["cat"][c]) for c in cats}
        worst = min(diffs, key=diffs.get)
        w(f"{base} vs {ref}: overall {rate((stats[base]['hit'], stats[base]['pos'])) - rate((stats[ref]['hit'], stats[ref]['pos'])):+.1f} points; "
          f"worst category {worst} {diffs[worst]:+.1f} points")
    print("\n".join(out))
    with open(a.combined, "w", newline="") as fh:
        cw = csv.writer(fh)
        cw.writerow(["file", "category", "symbology", "resolution", "truth"] +
                    [f"{l}_{c}" for l in labels for c in ("text", "ok", "ms")])
        for t in truth:
            row = [t["file"], t["category"], t["symbology"], f'{t["width"]}x{t["height"]}', t["text"]]
            for l, rows in decs:
                r = rows.get(t["file"], {"text": "", "ms": ""})
                row += [r["text"], int(r["text"] == t["text"]) if t["text"] else int(not r["text"]), r["ms"]]
            cw.writerow(row)
    print(f"combined CSV: {a.combined}")


if __name__ == "__main__":
    main()
