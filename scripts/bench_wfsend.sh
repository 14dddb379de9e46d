#!/usr/bin/env bash
# End-to-end numbers for the wfsend tool, each next to a baseline measured in the same run:
#   import: CSV rows/s (two tag columns, three value columns) into `wfsend listen --quiet` over
#           loopback TCP, against `wc -l` reading the same file;
#   lint:   MB/s over the canonical lines of that import, against `wc -l` on the same file.
# Medians of 3 runs. Writes build-bench/results/wfsend.txt. Called by scripts/benchmarks.sh (which
# builds build-bench/); usage alone: bash scripts/bench_wfsend.sh [rows]   (default 1,000,000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-1000000}"
build_dir="${WFSEND_BENCH_BUILD:-build-bench}"
wfsend="$build_dir/tools/wfsend/wfsend"
results="$build_dir/results"
work="$build_dir/wfsend-bench"
mkdir -p "$results" "$work"

csv="$work/rows.csv"
lines="$work/lines.txt"
[[ -s "$csv" && "$(wc -l <"$csv")" -eq $((rows + 1)) ]] || bash examples/generate_example_data.sh "$csv" "$rows"
import_args=(--timestamp-column timestamp --source-column host --tag-columns region,service
  --value-column cpu,mem,latency_ms --quiet)
"$wfsend" import "$csv" "${import_args[@]}" --to - >"$lines"

now() { date +%s%N; }
seconds_since() { awk -v end="$(now)" -v start="$1" 'BEGIN { printf "%.4f", (end - start) / 1e9 }'; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

port_file="$work/port"
rm -f "$port_file"
"$wfsend" listen --port 0 --port-file "$port_file" --quiet 2>"$work/listen.err" &
listen_pid=$!
trap 'kill -INT $listen_pid 2>/dev/null || true; wait $listen_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do [[ -s "$port_file" ]] && break; sleep 0.05; done
url="tcp://127.0.0.1:$(head -n 1 "$port_file")"

import_times=() wc_csv_times=() lint_times=() wc_lines_times=()
for run in 1 2 3; do
  start=$(now); wc -l "$csv" >/dev/null; wc_csv_times+=("$(seconds_since "$start")")
  start=$(now); "$wfsend" import "$csv" "${import_args[@]}" --to "$url"; import_times+=("$(seconds_since "$start")")
  start=$(now); wc -l "$lines" >/dev/null; wc_lines_times+=("$(seconds_since "$start")")
  start=$(now); "$wfsend" lint "$lines" --quiet; lint_times+=("$(seconds_since "$start")")
  echo "run $run: import ${import_times[-1]} s, wc -l csv ${wc_csv_times[-1]} s, lint ${lint_times[-1]} s, wc -l lines ${wc_lines_times[-1]} s"
done
csv_bytes=$(stat -c %s "$csv")
lines_bytes=$(stat -c %s "$lines")
{
  echo "wfsend_bench rows=$rows csv_bytes=$csv_bytes lines=$(wc -l <"$lines") lines_bytes=$lines_bytes load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "import_seconds $(median "${import_times[@]}")"
  echo "wc_csv_seconds $(median "${wc_csv_times[@]}")"
  echo "lint_seconds $(median "${lint_times[@]}")"
  echo "wc_lines_seconds $(median "${wc_lines_times[@]}")"
} | tee "$results/wfsend.txt"
