#!/usr/bin/env bash
# Prints every figure the README and the model card quote, as Markdown tables: accuracy on both
# dev sets (`nerlight eval`, in each rendering the evaluator offers), the download size
# (`node bench/size.mjs`) and speed against the peers (`node bench/peers.mjs`). Run it before a
# release and copy the figures from its output, never from memory.
#
#   bash scripts/figures.sh            # accuracy, size and speed (speed takes a few minutes)
#   bash scripts/figures.sh --quick    # accuracy and size only
#
# Reads the corpora from ../shared/data (or $NERLIGHT_DATA). Builds what it needs first.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        *)
            echo "figures.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

data="${NERLIGHT_DATA:-../shared/data}"
for f in ontonotes/dev.docstart.txt conll2003/dev.docstart.txt; do
    [[ -f "$data/$f" ]] || { echo "figures.sh: $data/$f not found (set NERLIGHT_DATA)" >&2; exit 1; }
done

cargo build --locked --release -p nerlight-cli --quiet
bin=target/release/nerlight

# The renderings `nerlight eval --render` accepts (none before it existed: the corpus as
# written, tokens joined by spaces).
renders=(spaced)
if "$bin" eval --help | grep -q -- '--render'; then
    renders=(spaced natural)
fi

echo "## Accuracy: dev, exact-span micro P / R / F1 (bash scripts/figures.sh)"
echo
echo "| model | dev file | rendering | P | R | F1 | WORK_OF_ART F1 | command |"
echo "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |"
for spec in "ontonotes|models/ontonotes.nlm|ontonotes/dev.docstart.txt" \
            "conll2003|models/conll2003.nlm|conll2003/dev.docstart.txt"; do
    IFS='|' read -r name model dev <<<"$spec"
    for render in "${renders[@]}"; do
        args=(eval "$data/$dev" --model "$model" --json)
        shown="nerlight eval ../shared/data/$dev --model $model"
        if [[ "${#renders[@]}" -gt 1 ]]; then
            args+=(--render "$render")
            shown+=" --render $render"
        fi
        "$bin" "${args[@]}" | node -e '
            const [name, dev, render, shown] = process.argv.slice(1);
            const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
            const o = s.overall;
            const w = s.per_type.WORK_OF_ART;
            const f = (x) => x.toFixed(2);
            console.log(`| ${name} | ${dev} | ${render} | ${f(o.precision)} | ${f(o.recall)} | **${f(o.f1)}** | ${w ? f(w.f1) : "–"} | \`${shown}\` |`);
        ' "$name" "$dev" "$render" "$shown"
    done
done
echo

echo "## Size (node bench/size.mjs)"
echo
bash scripts/build-wasm.sh >/dev/null
node bench/size.mjs
echo

if [[ "$quick" == 1 ]]; then
    exit 0
fi

echo "## Speed (node bench/peers.mjs --passes 5)"
echo
(cd bench && npm ci --no-audit --no-fund --silent)
node bench/peers.mjs --passes 5
