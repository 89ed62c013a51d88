#!/usr/bin/env python3
"""Frame sequences imitating a phone moving into a webcam's view, for the live-time check.

Uses gen_corpus.py's own renderer (make_frame, share_code, verify_link). Each clip is 1280x720 at a
nominal 30 fps: over the first 30 frames the phone comes closer (pixels per module rise from
~0.9 to the clip's final value) and settles (defocus and motion blur fall), then it is held for
15 frames. The same seeded phone/background is rendered in every frame; sensor noise is fresh per
frame. Writes OUT/clipNN/fNNN.png and OUT/clipNN/truth.txt."""
import argparse
import importlib.util
import os

import cv2
import numpy as np


def load_gen(path):
    spec = importlib.util.spec_from_file_location("gen_corpus", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True, help="path to gen_corpus.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("--clips", type=int, default=12)
    ap.add_argument("--seed", type=int, default=20240613)
    a = ap.parse_args()
    g = load_gen(a.gen)
    W, H = 1280, 720
    approach, hold = 30, 15
    for c in range(a.clips):
        sym = g.SYMS[c % 3]
        rng0 = np.random.default_rng([a.seed, 777, c])
        code = g.share_code(rng0)
        payload = g.verify_link(rng0) if sym == "qr" else code
        final_ppm = rng0.uniform(2.6, 3.6)
        angle, tx, ty = rng0.uniform(-8, 8), rng0.uniform(-8, 8), rng0.uniform(-8, 8)
        d = os.path.join(a.out, f"clip{c:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "truth.txt"), "w") as fh:
            fh.write(payload + "\n")
        for i in range(approach + hold):
            t = min(1.0, i / (approach - 1))
            p = dict(ppm=0.9 + (final_ppm - 0.9) * t, angle=angle, tilt_x=tx * (2 - t), tilt_y=ty,
                     blur=2.6 - 2.0 * t, noise=0.0, motion=10.0 * (1 - t), contrast=1.0, glare=0,
                     grad=0, jpeg=0, moire=0, glare_r=0, mid=128)
            out = None
            for _ in range(20):
                out = g.make_frame(sym, payload, W, H, p, np.random.default_rng([a.seed, 778, c]))
                if out is not None:
                    break
                p["ppm"] *= 0.9
            img = out[0].astype(np.float32)
            img += np.random.default_rng([a.seed, 779, c, i]).normal(0, 3.0, img.shape)
            cv2.imwrite(os.path.join(d, f"f{i:03d}.png"), np.clip(img, 0, 255).astype(np.uint8))
    print(f"wrote {a.clips} clips to {a.out}")


if __name__ == "__main__":
    main()
