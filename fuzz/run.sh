#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, one job at a time, and prints its final stats.
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET]     # default 300
#
# Needs `cargo install cargo-fuzz`. On a stable toolchain RUSTC_BOOTSTRAP=1 unlocks the nightly
# flags cargo-fuzz passes (sanitizers, coverage). Corpora grow in fuzz/corpus/ (not committed);
# crashes land in fuzz/artifacts/ and belong, minimized, in tests/untrusted.rs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export RUSTC_BOOTSTRAP=1
secs=${1:-300}

# model_bytes: seeds are the committed model and prefixes of it (made here, not committed: they
# are as large as models/ontonotes.nlm).
mkdir -p corpus/highlight corpus/offsets corpus/model_bytes seeds/model_bytes.gen
model=../models/ontonotes.nlm
if [[ -s $model ]]; then
    cp "$model" seeds/model_bytes.gen/full.nlm
    for n in 64 1024 16384 262144; do head -c $n "$model" > "seeds/model_bytes.gen/prefix-$n.nlm"; done
fi
# Tiny valid models (a few KB, trained in well under a second on a slice of CoNLL-2003): with the
# full multi-megabyte model as the only valid seed each run takes ~0.1 s and the fuzzer barely mutates the
# parser's inner structure; these make tens of thousands of runs reach it.
conll=../../shared/data/conll2003
if [[ -f $conll/train.docstart.txt ]]; then
    tmp=$(mktemp -d)
    head -n 3000 "$conll/train.docstart.txt" > "$tmp/train.txt"
    head -n 1000 "$conll/dev.docstart.txt" > "$tmp/dev.txt"
    (cd .. && cargo build --release --quiet -p nerlight-cli)
    for bits in 8 10; do
        ../target/release/nerlight train --train "$tmp/train.txt" --dev "$tmp/dev.txt" \
            --out "seeds/model_bytes.gen/tiny-$bits.nlm" --seed 1 --epochs 2 --bits $bits \
            --groups none --min-count 2 2>/dev/null
    done
    rm -rf "$tmp"
fi

# model_bytes inputs may be as long as the committed model, plus room for mutations to grow it.
model_max_len=$(( $( [[ -s $model ]] && stat -c %s "$model" || echo 0) + 65536 ))

cargo fuzz build -O
for target in offsets highlight model_bytes; do
    seeds=seeds/$target
    [[ $target == model_bytes ]] && seeds=seeds/model_bytes.gen
    echo "=== $target (${secs}s)"
    cargo fuzz run -O "$target" "corpus/$target" "$seeds" -- \
        -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
        -max_len=$([[ $target == model_bytes ]] && echo "$model_max_len" || echo 4096) 2>&1 |
        grep -E '^(stat::|Done|INFO: seed corpus)|cov:.*(INITED|DONE)|panicked|ERROR|SUMMARY' || true
    echo "corpus: $(ls "corpus/$target" | wc -l) files, $(du -sh "corpus/$target" | cut -f1)"
done
