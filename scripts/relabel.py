#!/usr/bin/env python3
"""A corpus annotated with another label set, relabelled into a model's types: extra training
text for `nerlight train` (gold names where the two label sets agree, the model's own
predictions for the types the corpus does not annotate).

CoNLL-2003 (Reuters news of 1996, a third of it sports) marks PER, ORG, LOC and MISC, not
OntoNotes's 18 types. Its names become OntoNotes names by these rules:

- a name the model finds with a "the" before it keeps that "the" (OntoNotes's convention: "the
  Islamic Republic", "the Senate"; CoNLL's spans never hold it);
- PER → PERSON, ORG → ORG (clubs, companies, parties: OntoNotes's ORG as well);
- LOC → the model's label when the model finds exactly that span as GPE, LOC or FAC, else GPE;
- MISC → the model's label when the model finds exactly that span as NORP, EVENT, PRODUCT,
  WORK_OF_ART, LAW or LANGUAGE; otherwise the sentence is left out (a MISC name with no
  OntoNotes type would teach the model that it is no name);
- the types CoNLL does not annotate (DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL)
  come from the model, where they overlap no gold name; any other name the model finds is
  dropped (the gold says there is none).

The model is run through the CLI (`--model`, `--jsonl --offsets codepoint`) on each document
written as the trainer writes spaced text (tokens joined by spaces, one sentence per line).
Output: the same CoNLL format (`token<TAB>tag`, BIO), documents and sentences kept in order.

With `--names-only` it writes the corpus's gold PER and ORG names only, as PERSON and ORG, and
every other token O (the model is not run): a gold test of people and organizations (a third
of CoNLL-2003 is sports: clubs, players) for an OntoNotes model, `nerlight eval` scoring only
the types in the file.

    python3 scripts/relabel.py --corpus ../shared/data/conll2003/train.docstart.txt \\
        --nerlight target/release/nerlight --model models/ontonotes.nlm \\
        --out ../cache/conll-as-ontonotes.txt
"""

import argparse
import bisect
import json
import subprocess
import sys

NUMERIC = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
LOC_TYPES = {"GPE", "LOC", "FAC"}
MISC_TYPES = {"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}


def read_docs(path):
    """Documents as lists of sentences of (token, tag)."""
    docs, doc, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "-DOCSTART-":
                if sent:
                    doc.append(sent)
                if doc:
                    docs.append(doc)
                doc, sent = [], []
            elif cols == [""]:
                if sent:
                    doc.append(sent)
                sent = []
            else:
                sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def spans(tags):
    """(start, end, label) token spans of BIO tags."""
    out, start, label = [], None, None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and (t == "O" or t.startswith("B-") or t[2:] != label):
            out.append((start, i, label))
            start = None
        if t != "O" and start is None:
            start, label = i, t[2:]
    return out


def names_only(corpus, out):
    rename = {"PER": "PERSON", "ORG": "ORG"}
    with open(corpus, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[0] != "-DOCSTART-" and cols[-1] != "O":
                label = rename.get(cols[-1][2:])
                cols[-1] = f"{cols[-1][:2]}{label}" if label else "O"
            w.write("\t".join(cols) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--nerlight", default="target/release/nerlight")
    ap.add_argument("--model", help="the model whose labels fill in (not with --names-only)")
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--names-only",
        action="store_true",
        help="write only the gold PER and ORG names (as PERSON and ORG), nothing from the model: "
        "a gold test of those two types in OntoNotes's labels (the model is not run)",
    )
    a = ap.parse_args()
    if a.names_only:
        names_only(a.corpus, a.out)
        return
    if not a.model:
        ap.error("--model is needed (the model whose labels fill in)")

    docs = read_docs(a.corpus)
    texts, offsets = [], []
    for doc in docs:
        pos, text, starts = 0, [], []
        for sent in doc:
            line = []
            for tok, _ in sent:
                starts.append(pos)
                line.append(tok)
                pos += len(tok) + 1
            text.append(" ".join(line))
        texts.append("\n".join(text))
        offsets.append(starts)
    run = subprocess.run(
        [a.nerlight, "--jsonl", "--offsets", "codepoint", "--model", a.model],
        input="\n".join(json.dumps(t) for t in texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    predicted = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(predicted) == len(docs)

    kept = dropped = 0
    counts = {}
    with open(a.out, "w", encoding="utf-8") as f:
        for doc, starts, ents in zip(docs, offsets, predicted):
            # Model entities as token spans of the document.
            first = {s: i for i, s in enumerate(starts)}
            model = {}
            for e in ents:
                i = first.get(e["start"])
                j = bisect.bisect_left(starts, e["end"])  # the first token at or past its end
                if i is not None:
                    model[(i, j)] = e["label"]
            f.write("-DOCSTART-\tO\n\n")
            base = 0
            for sent in doc:
                n = len(sent)
                tags = ["O"] * n
                gold = spans([t for _, t in sent])
                ok = True
                for s, e, label in gold:
                    m = model.get((base + s, base + e))
                    # OntoNotes spans may open with "the" ("the Islamic Republic"), CoNLL's
                    # never do: where the model took the "the" in, so does the new span.
                    if s > 0 and sent[s - 1][0].lower() == "the" and (base + s - 1, base + e) in model:
                        m = model[(base + s - 1, base + e)]
                        if tags[s - 1] == "O":
                            s -= 1
                    if label == "PER":
                        new = "PERSON"
                    elif label == "ORG":
                        new = "ORG"
                    elif label == "LOC":
                        new = m if m in LOC_TYPES else "GPE"
                    elif m in MISC_TYPES:
                        new = m
                    else:
                        ok = False
                        break
                    counts[new] = counts.get(new, 0) + 1
                    for k in range(s, e):
                        tags[k] = ("B-" if k == s else "I-") + new
                if not ok:
                    dropped += 1
                    base += n
                    continue
                for (i, j), label in model.items():
                    s, e = i - base, j - base
                    if label in NUMERIC and 0 <= s < e <= n and all(t == "O" for t in tags[s:e]):
                        counts[label] = counts.get(label, 0) + 1
                        for k in range(s, e):
                            tags[k] = ("B-" if k == s else "I-") + label
                for (tok, _), tag in zip(sent, tags):
                    f.write(f"{tok}\t{tag}\n")
                f.write("\n")
                kept += 1
                base += n
    print(
        f"{a.out}: {kept} sentences kept, {dropped} left out (a MISC name with no type); "
        f"names: {dict(sorted(counts.items()))}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
