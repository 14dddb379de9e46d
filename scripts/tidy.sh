#!/usr/bin/env bash
# Runs clang-tidy-14 (configuration: .clang-tidy) on every source of the library and the tools, using
# the compile commands of a build configured like scripts/test.sh. Any finding fails the script.
# Usage: bash scripts/tidy.sh [build-dir]   (default build/; configured if needed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="${1:-build}"

bash scripts/bootstrap.sh
if [[ ! -f "$build_dir/compile_commands.json" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAVEFRONT_WERROR=ON >/dev/null
fi
# The generated version header must exist before the sources can be parsed.
cmake --build "$build_dir" --target wavefront_objects -j "$(nproc)" >/dev/null

mapfile -t sources < <(find src tools -name '*.cc' | sort)
echo "tidy: ${#sources[@]} files"
log="$build_dir/tidy.log"
status=0
run-clang-tidy-14 -quiet -p "$build_dir" -j "$(nproc)" "${sources[@]}" >"$log" 2>&1 || status=$?
grep -v -E '^(Running clang-tidy|[0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed [0-9]+ warnings|Use -header-filter|clang-tidy-14 )' "$log" || true
if ((status != 0)); then
  echo "tidy: findings above (full log: $log)"
  exit 1
fi
echo "tidy: clean"
