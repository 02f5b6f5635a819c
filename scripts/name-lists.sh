#!/usr/bin/env bash
# Name lists for `nerlight train --gazetteer-list`: well-known organisations, sports teams,
# listed companies and people, from two MIT-licensed packages on the public registries.
#
#   bash scripts/name-lists.sh [OUT]      # default ../cache/names/names.tsv
#
# - npm `compromise` 14.17.0 (MIT): its lexicon's Organization and SportsTeam entries → ORG,
#   its Person entries → PERSON (lowercase, as compromise stores them; the trainer lowercases
#   every phrase anyway). The lexicon is packed with npm `efrt` 2.7.0 (MIT), unpacked here.
# - PyPI `pytickersymbols` 1.17.10 (MIT): the names of 20 stock indices and of their 1,837
#   member companies → ORG, each also without its legal suffix ("Apple Inc." → "Apple"), the
#   suffixes being those of ../shared/data/gazetteers/org_legal_suffixes.txt.
#
# Output: `LABEL<TAB>name` lines, sorted, deduplicated (case-insensitively per label), after a
# comment saying where they come from. Same versions, same bytes. Needs npm, pip and python3.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-../cache/names/names.tsv}"
data="${NERLIGHT_DATA:-../shared/data}"
suffixes="$data/gazetteers/org_legal_suffixes.txt"
[[ -f "$suffixes" ]] || { echo "name-lists.sh: $suffixes not found" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent compromise@14.17.0 efrt@2.7.0 >/dev/null)
mkdir -p "$work/compromise" "$work/efrt"
tar xzf "$work/compromise-14.17.0.tgz" -C "$work/compromise" --strip-components=1
tar xzf "$work/efrt-2.7.0.tgz" -C "$work/efrt" --strip-components=1
pip download --quiet --no-deps pytickersymbols==1.17.10 -d "$work" >/dev/null
python3 -m zipfile -e "$work/pytickersymbols-1.17.10-py3-none-any.whl" "$work/pts"

cat >"$work/compromise.mjs" <<'EOF'
import { unpack } from './efrt/src/index.js'
import lexicon from './compromise/src/2-two/preTagger/model/lexicon/_data.js'
import misc from './compromise/src/2-two/preTagger/model/lexicon/misc.js'
const kinds = { Organization: 'ORG', SportsTeam: 'ORG', Person: 'PERSON' }
const names = []
for (const [tag, packed] of Object.entries(lexicon)) {
  if (kinds[tag]) for (const name of Object.keys(unpack(packed))) names.push(`${kinds[tag]}\t${name}`)
}
for (const [name, tag] of Object.entries(misc)) if (kinds[tag]) names.push(`${kinds[tag]}\t${name}`)
console.log(names.join('\n'))
EOF
node "$work/compromise.mjs" >"$work/compromise.tsv"

python3 - "$work" "$suffixes" "$out" <<'EOF'
import os, re, sys
work, suffixes, out = sys.argv[1:]
sys.path.insert(0, os.path.join(work, "pts"))
from pytickersymbols.indices_data import INDICES

# Longest suffix first, so "Co., Ltd." goes before "Ltd.".
legal = sorted({l.strip().lower() for l in open(suffixes, encoding="utf-8") if l.strip()},
               key=len, reverse=True)

def without_suffix(name):
    low = name.lower()
    for s in legal:
        for sep in (", ", " "):
            if low.endswith(sep + s):
                return name[: len(name) - len(sep + s)].rstrip(" ,")
    return None

names = {}
def add(label, name):
    name = re.sub(r"\s+", " ", name).strip()
    if name:
        names.setdefault((label, name.lower()), name)

for line in open(os.path.join(work, "compromise.tsv"), encoding="utf-8"):
    label, _, name = line.rstrip("\n").partition("\t")
    add(label, name)
for index, entry in INDICES.items():
    add("ORG", entry.get("name") or index)
    for company in entry["companies"]:
        add("ORG", company["name"])
        short = without_suffix(company["name"])
        if short:
            add("ORG", short)

os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    f.write("# nerlight name list: npm compromise 14.17.0 (MIT; Organization, SportsTeam -> ORG,\n"
            "# Person -> PERSON) and PyPI pytickersymbols 1.17.10 (MIT; indices and companies -> ORG)\n")
    for (label, _), name in sorted(names.items()):
        f.write(f"{label}\t{name}\n")
counts = {}
for label, _ in names:
    counts[label] = counts.get(label, 0) + 1
print(f"name-lists.sh: {out}: {len(names)} names ("
      + ", ".join(f"{n:,} {l}" for l, n in sorted(counts.items())) + ")")
EOF
