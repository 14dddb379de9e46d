#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset `fuzz`: clang-14, ASan + UBSan) and runs each for a fixed
# time on a scratch copy of its seed corpus in test/fuzz/corpus/. Usage: bash scripts/fuzz.sh [seconds]
# (default 20 per target). A crash leaves its input in build-fuzz/artifacts/ and fails the script (after
# the other targets have run). The seed corpora include the regression-* inputs of bugs found earlier,
# which every run replays first. docs/fuzzing.md says what each target checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-20}"
targets=(format url reader csv jsonl listen input)

bash scripts/bootstrap.sh
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

rm -rf build-fuzz/artifacts
mkdir -p build-fuzz/artifacts
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
for target in "${targets[@]}"; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  cp -n test/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  "build-fuzz/test/fuzz/${target}_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$target-" "$corpus" 2>&1 |
    grep -E '^(Done|stat::number_of_executed_units|==|SUMMARY)' || true
  if compgen -G "build-fuzz/artifacts/$target-*" >/dev/null; then
    echo "fuzz: $target found a failing input:" build-fuzz/artifacts/"$target"-*
    failed+=("$target")
  fi
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: failures in: ${failed[*]}"
  exit 1
fi
echo "fuzz: no failures"
