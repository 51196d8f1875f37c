#!/usr/bin/env bash
# Runs every quality evaluation reported in docs/benchmarks.md.
# Usage: benchmarks/evaluate.sh [path/to/shared/datasets]   (default: ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/datasets}
helpline=${HELPLINE:-.venv/bin/helpline}

run() {
    echo "\$ helpline $*"
    "$helpline" "$@" 2>/dev/null | tail -n 1
}

run eval intents --train "$data/banking77/train.csv" --test "$data/banking77/dev.csv"
for seed in 0 1 2 3 4; do
    run eval intents --train "$data/banking77/train.csv" --test "$data/banking77/dev.csv" \
        --examples-per-intent 10 --seed "$seed"
done
run eval intents --train "$data/clinc150/train.jsonl" --test "$data/clinc150/val.jsonl"
run eval retrieval --corpus kb_index/sample_kb --queries benchmarks/data/sample_kb_queries.jsonl \
    --qrels benchmarks/data/sample_kb_qrels.jsonl
# The section questions: the line before the last holds article@1 and section@1.
echo "\$ helpline eval retrieval ... sample_kb_section_qrels.jsonl"
"$helpline" eval retrieval --corpus kb_index/sample_kb --queries benchmarks/data/sample_kb_section_queries.jsonl \
    --qrels benchmarks/data/sample_kb_section_qrels.jsonl 2>/dev/null | tail -n 2
