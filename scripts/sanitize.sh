#!/usr/bin/env bash
# Builds wavefront and its tests with sanitizers (Debug, clang-14, warnings as errors) and runs ctest.
#   bash scripts/sanitize.sh            ASan + UBSan in build-asan/ (same as `address`)
#   bash scripts/sanitize.sh thread     TSan in build-tsan/
# Benchmarks and examples are off; the packaging tests (label `packaging`) are left out, since they
# install and link the library outside the sanitizer build. Installs missing dependencies first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:-address}"
case "$mode" in
  address) build_dir=build-asan; sanitizers=address,undefined ;;
  thread) build_dir=build-tsan; sanitizers=thread ;;
  *)
    echo "usage: $0 [address|thread]" >&2
    exit 2
    ;;
esac
compiler="${WAVEFRONT_SANITIZE_CXX:-clang++-14}"

bash scripts/bootstrap.sh

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# test/tsan.supp documents its one suppression (races reported inside the uninstrumented cpp-httplib).
# die_after_fork=0: the library starts a fresh flusher thread in a child of fork() (test/lifecycle/).
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$PWD/test/tsan.supp"

if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
fi
cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER="$compiler" \
  -DWAVEFRONT_SANITIZE="$sanitizers" \
  -DWAVEFRONT_WERROR=ON \
  -DWAVEFRONT_BUILD_TESTS=ON \
  -DWAVEFRONT_BUILD_BENCHMARKS=OFF \
  -DWAVEFRONT_BUILD_EXAMPLES=OFF
cmake --build "$build_dir" -j "$(nproc)"

# TSan of clang 14 cannot map its shadow memory with more than 28 bits of mmap randomisation.
runner=()
if [[ "$mode" == thread ]] && [[ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" -gt 28 ]] &&
  command -v setarch >/dev/null 2>&1; then
  runner=(setarch "$(uname -m)" -R)
fi

log="$build_dir/ctest.log"
set +e
"${runner[@]}" ctest --test-dir "$build_dir" --output-on-failure -j2 -LE packaging 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo
echo "sanitize ($mode): $(grep -E 'tests passed|tests failed' "$log" | tail -n 1 || echo "ctest printed no summary (exit status $status)")"
exit "$status"
