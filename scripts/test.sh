#!/usr/bin/env bash
# Builds wavefront (RelWithDebInfo, warnings as errors) into build/ with Ninja and runs the whole test
# suite with ctest. Installs missing dependencies first (scripts/bootstrap.sh). Safe to re-run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/bootstrap.sh

build_dir=build
# A build directory made with another generator cannot be reused: start it over.
if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  echo "test: $build_dir/ was configured with another generator; reconfiguring it from scratch"
  rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAVEFRONT_WERROR=ON
cmake --build "$build_dir" -j "$(nproc)"

log="$build_dir/ctest.log"
set +e
ctest --test-dir "$build_dir" --output-on-failure -j2 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo
echo "test: $(grep -E 'tests passed|tests failed' "$log" | tail -n 1 || echo "ctest printed no summary (exit status $status)")"
exit "$status"
