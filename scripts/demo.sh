#!/usr/bin/env bash
# Builds wavefront into build/ and runs the demo: for now examples/format_lines, which prints the wire
# line of one point of each data type (metric, delta counter, distribution, span + span logs, event).
# Extra arguments are passed to the demo program. Installs missing dependencies first. Safe to re-run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What the demo runs: change these three lines to demo something else (e.g. the wfsend CLI).
demo_target=format_lines
demo_program=build/examples/format_lines
demo_args=()

bash scripts/bootstrap.sh

build_dir=build
if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  echo "demo: $build_dir/ was configured with another generator; reconfiguring it from scratch"
  rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
fi
# The same configuration as scripts/test.sh, so the two share one build.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAVEFRONT_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "$demo_target"

command=("$demo_program" "${demo_args[@]}" "$@")
echo
echo "demo: ${command[*]}"
exec "${command[@]}"
