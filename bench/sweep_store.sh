#!/usr/bin/env bash
# The run store at scale (issue 16, items 1 and 2): a sweep of the course network (100
# generated rows x 300 epochs, per-sample SGD on the lanes) run by the release binary with
# and without the store, alternately, under GNU time; then the store's bytes per run beyond
# the raw history and the time of `nnlab runs list --sweep ID` over the sweep just stored.
#
#   bench/sweep_store.sh [SEEDS] [ROUNDS]   # default 10000 seeds x 10 rates = 100,000 runs, 3 rounds
#   bench/sweep_store.sh 100 7              # the course's 1000-run sweep, 7 rounds
#   NNLAB=/tmp/nnlab bench/sweep_store.sh    # a binary already built
#
# Prints, per round and side: wall seconds, CPU seconds (user + system, all threads) and
# the peak resident set size (GNU time's "Maximum resident set size"). The store is a fresh
# file in $TMPDIR for each stored round, so each round writes the same amount.
set -euo pipefail

seeds="${1:-10000}"
rounds="${2:-3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/nnlab-sweep-store.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/time ]; then
    echo "bench/sweep_store.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi
# NNLAB=path/to/nnlab measures that binary instead of building the release one.
nnlab="${NNLAB:-}"
if [ -z "$nnlab" ]; then
    (cd "$here" && cargo build --release -p nnlab >&2)
    nnlab="$target/release/nnlab"
fi
vary=(--vary lr=0.0005,0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5 --vary "seed=0..$seeds")
runs=$((10 * seeds))

# One sweep under GNU time; prints "wall cpu rss_kb".
measure() {
    local log="$tmp/time.log"
    /usr/bin/time -v "$nnlab" sweep "${vary[@]}" "$@" > /dev/null 2> "$log"
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 }
        /Maximum resident set size/ { r = $2 }
        END { printf "%.2f %.2f %d\n", w, u + s, r }' "$log"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "round side wall_s cpu_s peak_rss_kb"
for r in $(seq 1 "$rounds"); do
    store="$tmp/runs-$r.sqlite"
    # Alternate which side goes first, so a neighbour's load falls on both alike.
    if [ $((r % 2)) -eq 1 ]; then order="none store"; else order="store none"; fi
    for side in $order; do
        if [ "$side" = none ]; then
            echo "$r no-store $(measure --no-store)"
        else
            echo "$r store $(measure --store "$store")"
        fi
    done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Size of the last round's store: database, WAL and chunk files, against the raw history
# (300 train losses and one constant rate per run, 8 bytes each).
store="$tmp/runs-$rounds.sqlite"
"$nnlab" runs --store "$store" list --limit 1 > /dev/null   # folds the WAL, like any command
files=("$store" "$store"-chunks)
[ -e "$store"-wal ] && files+=("$store"-wal)
bytes=$(du -cb "${files[@]}" | tail -1 | cut -f1)
history=$((runs * 301 * 8))
echo "store: $bytes bytes for $runs runs: $((bytes / runs)) per run, $(((bytes - history) / runs)) beyond the raw history"

id=$("$nnlab" runs --store "$store" list --limit 1 --json | sed -n 's/.*"sweep": *"\([^"]*\)".*/\1/p' | head -1)
for k in 1 2 3; do
    start=$(date +%s.%N)
    "$nnlab" runs --store "$store" list --sweep "$id" > /dev/null
    end=$(date +%s.%N)
    echo "runs list --sweep $id ($runs runs): $(echo "$end - $start" | bc) s"
done
