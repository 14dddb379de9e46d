#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset `fuzz`: clang-14, ASan + UBSan) and runs each for a fixed
# time on a scratch copy of its seed corpus in test/fuzz/corpus/. Usage: bash scripts/fuzz.sh [seconds]
# (default 20 per target). A crash leaves its input in build-fuzz/artifacts/ and fails the script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-20}"

bash scripts/bootstrap.sh
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target format_fuzz url_fuzz reader_fuzz

mkdir -p build-fuzz/artifacts
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for target in format url reader; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  cp -n test/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  "build-fuzz/test/fuzz/${target}_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix=build-fuzz/artifacts/ "$corpus" 2>&1 | grep -E '^(Done|stat::number_of_executed_units|==)' || true
  if ls build-fuzz/artifacts/crash-* build-fuzz/artifacts/leak-* build-fuzz/artifacts/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found a failing input:" build-fuzz/artifacts/*
    exit 1
  fi
done
echo "fuzz: no failures"
