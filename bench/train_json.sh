#!/usr/bin/env bash
# Issue 16: what printing costs next to training. Runs `nnlab train` on 30,000 rows x 100
# epochs (no store) with `-q`, `-q --json`, `-q --json --predictions` and `-q --out DIR`,
# one of each per round in turn (so load from other processes falls on all alike), and
# prints each one's median wall time and CPU time (`perf stat` task-clock: every thread)
# and their ratios to `-q`. On a loaded machine the CPU times are the figures to trust.
#
#   cargo build --release -p nnlab && ROUNDS=11 bench/train_json.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${NNLAB:-target/release/nnlab}
rounds=${ROUNDS:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
modes=("-q" "-q --json" "-q --json --predictions" "-q --out $tmp/out")
for ((r = 0; r < rounds; r++)); do
  for k in "${!modes[@]}"; do
    s=$(date +%s%N)
    # shellcheck disable=SC2086
    perf stat -x, -e task-clock -o "$tmp/stat" \
      "$bin" train --rows 30000 --epochs 100 --no-store ${modes[$k]} > "$tmp/stdout"
    cpu=$(awk -F, '/task-clock/ {print int($1 * 1000)}' "$tmp/stat")
    echo "$k $(( ($(date +%s%N) - s) / 1000 )) $cpu" >> "$tmp/times"
  done
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { awk -v k="$1" -v c="$2" '$1 == k {print $c}' "$tmp/times" | median; }
for k in "${!modes[@]}"; do
  awk -v w="$(col "$k" 2)" -v c="$(col "$k" 3)" -v bw="$(col 0 2)" -v bc="$(col 0 3)" \
    -v name="${modes[$k]/$tmp\/out/DIR}" \
    'BEGIN {printf "%-26s wall %8.1f ms (%.2fx of -q)  cpu %8.1f ms (%.2fx)\n",
            name, w / 1000, w / bw, c / 1000, c / bc}'
done
