#!/usr/bin/env bash
# Writes a realistic CSV of host metrics for trying `wfsend import` (the README imports it into
# `wfsend listen`). Deterministic: the same arguments always give the same bytes (fixed awk seed).
#
#   examples/generate_example_data.sh OUTPUT.csv [ROWS]      ROWS defaults to 300000
#
# Columns: timestamp (ISO 8601, UTC, one sample per host every 10 s from 2024-01-01T00:00:00Z), host,
# region, service (some values contain a comma, so they are quoted), cpu (%), mem (%), latency_ms
# (about one cell in a thousand is empty: no sample). Import it with, for example:
#
#   wfsend import OUTPUT.csv --timestamp-column timestamp --source-column host \
#     --tag-columns region,service --value-column cpu,mem,latency_ms --prefix example.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 OUTPUT.csv [ROWS]" >&2
  exit 2
fi
output="$1"
rows="${2:-300000}"
if ! [[ "$rows" =~ ^[0-9]+$ ]]; then
  echo "$0: ROWS must be a whole number, got '$rows'" >&2
  exit 2
fi

awk -v rows="$rows" 'BEGIN {
  srand(20240101)  # fixed seed: deterministic output
  hosts = 48
  split("us-west-2 us-east-1 eu-central-1", regions, " ")
  split("checkout|search|cart, api|auth|payments, eu", services, "|")
  for (h = 1; h <= hosts; h++) {
    host_region[h] = regions[(h - 1) % 3 + 1]
    host_service[h] = services[(h - 1) % 5 + 1]
    base_cpu[h] = 15 + rand() * 50
    base_mem[h] = 30 + rand() * 40
    base_latency[h] = 20 + rand() * 80
  }
  print "timestamp,host,region,service,cpu,mem,latency_ms"
  for (row = 0; row < rows; row++) {
    h = row % hosts + 1
    second = int(row / hosts) * 10
    day = int(second / 86400) + 1
    in_day = second % 86400
    timestamp = sprintf("2024-01-%02dT%02d:%02d:%02dZ", day, int(in_day / 3600), int(in_day % 3600 / 60),
                        in_day % 60)
    service = host_service[h]
    if (index(service, ",") > 0) service = "\"" service "\""
    cpu = base_cpu[h] + 10 * sin(second / 3600 + h) + (rand() - 0.5) * 8
    if (cpu < 0) cpu = 0
    if (cpu > 100) cpu = 100
    mem = base_mem[h] + second / 86400 * 5 + (rand() - 0.5) * 2
    latency = base_latency[h] * (0.5 + rand()) + (rand() < 0.01 ? 400 * rand() : 0)
    latency_text = rand() < 0.001 ? "" : sprintf("%.1f", latency)
    printf "%s,web-%02d,%s,%s,%.1f,%.1f,%s\n", timestamp, h, host_region[h], service, cpu, mem, latency_text
  }
}' > "$output"
