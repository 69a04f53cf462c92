#!/usr/bin/env bash
# Issue 17: the server under load, on loopback only, bounded in time (about 70 s) and count.
# Starts `nnlab serve --no-store` on a free 127.0.0.1 port, then
#   1. 50 sessions stepping for 20 s beside 1,000 stalled connections (heads never
#      finished; each closed one is opened again): p50/p99/max of the sessions' requests;
#   2. 20,100 stalled connections at once, from two client processes of 10,050 (one
#      process may open 20,000 files here), held 15 s, probed every 100 ms;
# and prints the server's resident memory (VmRSS, and the peak VmHWM) and open files
# before, during (the most seen, sampled every 0.2 s) and after each phase.
#
#   bench/serve_load.sh                 # builds the release binaries first
#   PROFILE=debug bench/serve_load.sh   # the same with unoptimized builds (a quick try)
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-release}"
target="${CARGO_TARGET_DIR:-target}/$profile"
if [ "$profile" = release ]; then
    cargo build --release -p nnlab -p nnlab-serve --bin nnlab --example stalled_load >&2
else
    cargo build -p nnlab -p nnlab-serve --bin nnlab --example stalled_load >&2
fi
client="$target/examples/stalled_load"
tmp="$(mktemp -d)"
"$target/nnlab" serve --host 127.0.0.1 --port 0 --no-store > "$tmp/out" 2> "$tmp/err" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
    grep -q "open http://" "$tmp/out" && break
    sleep 0.1
done
addr="$(sed -n 's|.*open http://\([^/]*\)/.*|\1|p' "$tmp/out")"
[ -n "$addr" ] || { cat "$tmp/err" >&2; echo "the server did not start" >&2; exit 1; }

kb() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$server/status"; }
files() { ls "/proc/$server/fd" | wc -l; }
report() { echo "server $1: VmRSS $(kb VmRSS) kB, VmHWM $(kb VmHWM) kB, $(files) open files"; }
# Samples the server's open files while the clients run; prints the most seen.
watch_files() {
    local most=0 n
    while kill -0 "$@" 2>/dev/null; do
        n=$(files); [ "$n" -gt "$most" ] && most=$n
        sleep 0.2
    done
    echo "server during: at most $most open files"
}

echo "nnlab serve at $addr (pid $server), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
report "before"
"$client" sessions "$addr" --sessions 50 --secs 20 --stalled 1000 &
c1=$!
watch_files "$c1"
wait "$c1"
report "after 50 sessions + 1,000 stalled"
"$client" flood "$addr" --stalled 10050 --secs 15 &
c2=$!
"$client" flood "$addr" --stalled 10050 --secs 15 &
c3=$!
watch_files "$c2" "$c3"
wait "$c2" "$c3"
report "after 20,100 stalled"
