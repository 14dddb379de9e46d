#!/usr/bin/env bash
# Throughput of each text metric format of `wfsend import` (prometheus, influx, graphite, opentsdb),
# each next to `wc -l` on the same file in the same run. The files are generated here (N samples each,
# 8 series, two tags); the import writes the wire lines to /dev/null (`--to -`), so the figure is the
# reading, parsing and formatting, not a network. Times are the process's user+system CPU seconds
# (/usr/bin/time; wc -l as 20 passes / 20), medians of 3, so that other work on the machine costs less. Usage:
#   bash scripts/bench_import_formats.sh [samples]   (default 500000; WFSEND_BENCH_BUILD=build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
samples="${1:-500000}"
build_dir="${WFSEND_BENCH_BUILD:-build}"
wfsend="$build_dir/tools/wfsend/wfsend"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

awk -v n="$samples" 'BEGIN {
  print "# TYPE http_requests_total counter" > "'"$work"'/data.prom"
  for (i = 0; i < n; i++) {
    s = i % 8; t = 1700000000000 + i
    printf "http_requests_total{host=\"web-%d\",code=\"200\"} %d %.0f\n", s, i, t > "'"$work"'/data.prom"
    printf "cpu,host=web-%d,region=eu usage=%d.5 %.0f000000\n", s, i, t > "'"$work"'/data.lp"
    printf "servers.web-%d.cpu;region=eu %d.5 %.0f\n", s, i, 1700000000 + i > "'"$work"'/data.graphite"
    printf "put sys.cpu %.0f %d.5 host=web-%d region=eu\n", 1700000000 + i, i, s > "'"$work"'/data.tsdb"
  }
}'

cpu_seconds() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.3f", $1 + $2 }'; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

printf '| format | samples | wfsend import (CPU s, median of 3) | samples/s | wc -l (CPU s) | ratio wc/import |\n|---|---|---|---|---|---|\n'
for pair in prometheus:data.prom influx:data.lp graphite:data.graphite opentsdb:data.tsdb; do
  format="${pair%%:*}" file="$work/${pair#*:}"
  imports=() counts=()
  for _ in 1 2 3; do
    # wc -l is too quick for the clock's 10 ms ticks: 20 passes, divided by 20.
    counts+=("$(cpu_seconds bash -c 'for _ in $(seq 20); do wc -l "$1"; done' _ "$file" | awk '{ printf "%.4f", $1 / 20 }')")
    imports+=("$(cpu_seconds "$wfsend" import "$file" --format "$format" --to - --quiet)")
  done
  import_s="$(median "${imports[@]}")" wc_s="$(median "${counts[@]}")"
  awk -v f="$format" -v n="$samples" -v i="$import_s" -v w="$wc_s" 'BEGIN {
    rate = i > 0 ? n / i : 0; ratio = i > 0 ? w / i : 0
    printf "| %s | %d | %.3f | %.2f M | %.4f | %.3f |\n", f, n, i, rate / 1e6, w, ratio }'
done
