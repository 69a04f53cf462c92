#!/usr/bin/env bash
# Peak memory of `nnlab train` on a generated 10,000,000-row CSV (issue 7's memory goal:
# hold only the parsed f64 columns). Prints the peak resident set size and the wall time of
# one epoch, parsing included.
#
#   bench/memory.sh [ROWS]      # default 10000000; the CSV goes to $TMPDIR (not the repo)
#
# The CSV is the course's data at scale: x1 an integer in [0,5), x2 an integer in [0,10),
# y = x1^2 + x2 + U[0,10) with 6 decimals (about 137 MB for 10M rows). awk's generator is
# seeded, so a given ROWS gives the same file on the same awk.
set -euo pipefail

rows="${1:-10000000}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="${TMPDIR:-/tmp}"
csv="$tmp/nnlab-memory-$rows.csv"
target="${CARGO_TARGET_DIR:-$here/target}"

if [ ! -x /usr/bin/time ]; then
    echo "bench/memory.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi

if [ ! -s "$csv" ]; then
    echo "writing $rows rows to $csv" >&2
    awk -v rows="$rows" 'BEGIN {
        srand(7);
        print "x1,x2,y";
        for (i = 0; i < rows; i++) {
            x1 = int(rand() * 5); x2 = int(rand() * 10);
            printf "%d,%d,%.6f\n", x1, x2, x1 * x1 + x2 + rand() * 10;
        }
    }' > "$csv.partial"
    mv "$csv.partial" "$csv"
fi

(cd "$here" && cargo build --release -p nnlab >&2)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
/usr/bin/time -v "$target/release/nnlab" train --data "$csv" --inputs x1,x2 --target y \
    --epochs 1 --no-store -q > /dev/null 2> "$log" || { cat "$log" >&2; exit 1; }
echo "rows:          $rows ($(du -h "$csv" | cut -f1) CSV)"
echo "f64 columns:   $((rows * 3 * 8 / 1000)) kB (x1, x2, y as f64)"
grep -E 'Maximum resident set size|Elapsed \(wall clock\)' "$log" | sed 's/^[[:space:]]*//'
