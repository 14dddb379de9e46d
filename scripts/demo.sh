#!/usr/bin/env bash
# The project's main job, on this machine only (no account, no network): builds wfsend, starts
# `wfsend listen` (a local Wavefront-compatible receiver) on a free loopback port, imports the example
# data through both paths a real deployment uses — a generated CSV of 300,000 rows of host metrics over
# raw TCP (proxy port) and a JSONL file with every data type over HTTP (proxy://) — showing the
# progress bar on a terminal, then stops the receiver and prints what it received.
# Installs missing Debian packages first. Safe to re-run. Extra arguments go to the CSV import.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/bootstrap.sh

build_dir=build
if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  echo "demo: $build_dir/ was configured with another generator; reconfiguring it from scratch"
  rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
fi
# The same configuration as scripts/test.sh, so the two share one build.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAVEFRONT_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target wfsend
wfsend="$build_dir/tools/wfsend/wfsend"

data_dir="$build_dir/demo"
mkdir -p "$data_dir"
csv="$data_dir/host_metrics.csv"
if [[ ! -s "$csv" ]]; then
  echo "demo: generating $csv"
  bash examples/generate_example_data.sh "$csv" 300000
fi

received="$data_dir/received.txt"
port_file="$data_dir/listen.port"
rm -f "$received" "$port_file"
"$wfsend" listen --port 0 --port-file "$port_file" --out "$received" &
listen_pid=$!
stop_listen() { kill -INT "$listen_pid" 2>/dev/null || true; wait "$listen_pid" 2>/dev/null || true; }
trap stop_listen EXIT

# The receiver writes its port once it listens; a file written by another process has no better signal.
for _ in $(seq 1 200); do
  [[ -s "$port_file" ]] && break
  kill -0 "$listen_pid" 2>/dev/null || { echo "demo: wfsend listen did not start" >&2; exit 1; }
  sleep 0.05
done
port="$(head -n 1 "$port_file")"

run() {
  echo
  echo "demo: $*"
  "$@"
}
run "$wfsend" import "$csv" --timestamp-column timestamp --source-column host --tag-columns region,service \
  --value-column cpu,mem,latency_ms --prefix example. --to "tcp://127.0.0.1:$port" "$@"
run "$wfsend" import examples/all_types.jsonl --to "proxy://127.0.0.1:$port"

echo
echo "demo: stopping the receiver (SIGINT); its summary:"
trap - EXIT
stop_listen
echo
echo "demo: $(wc -l <"$received") lines received into $received, for example:"
head -n 3 "$received"
grep -m 1 '^!M' "$received" || true
grep -m 1 '^@Event' "$received" || true
