#!/usr/bin/env bash
# Builds the benchmarks (Release) into build-bench/ and runs every one with the flags docs/benchmarks.md
# quotes, saving each program's raw output under build-bench/results/<program>.txt, then regenerates
# the headline table at the top of docs/benchmarks.md from them (scripts/benchmark_table.sh). Results are only
# comparable within one run (ratios to the baselines printed next to them); run on a quiet machine.
# Usage: bash scripts/benchmarks.sh [quick]   ("quick" runs fewer repetitions, for a smoke test)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

repetitions=5
[[ "${1:-}" == quick ]] && repetitions=1

bash scripts/bootstrap.sh
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DWAVEFRONT_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j "$(nproc)" --target format_bench sender_bench metrics_bench t_digest_bench \
  proxy_throughput http_throughput wfsend

results=build-bench/results
mkdir -p "$results"
{
  echo "load_before $(cut -d' ' -f1 /proc/loadavg)"
  echo "memory $(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)"
} >"$results/machine.txt"
google_benchmark=(--benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true)
run() {
  local name="$1"
  shift
  echo "== $name (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$@" | tee "$results/$name.txt"
}
run format_bench build-bench/bench/format_bench "${google_benchmark[@]}" --benchmark_min_time=0.2
run sender_bench build-bench/bench/sender_bench "${google_benchmark[@]}"
run t_digest_bench build-bench/bench/t_digest_bench "${google_benchmark[@]}"
run metrics_bench build-bench/bench/metrics_bench --benchmark_min_time=0.2
run proxy_throughput build-bench/bench/proxy_throughput
run proxy_memory build-bench/bench/proxy_throughput --memory
run http_throughput build-bench/bench/http_throughput
echo "== wfsend (load: $(cut -d' ' -f1-3 /proc/loadavg))"
bash scripts/bench_wfsend.sh
echo "load_after $(cut -d' ' -f1 /proc/loadavg)" >>"$results/machine.txt"
bash scripts/benchmark_table.sh >/dev/null
echo "benchmarks: raw outputs in $results/; the table is at the top of docs/benchmarks.md"
