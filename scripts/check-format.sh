#!/usr/bin/env bash
# Checks that every C++ header and source (*.h, *.cc) under include src test bench examples tools is
# formatted as .clang-format says, with clang-format-14; changes nothing. `--fix` reformats in place.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

clang_format="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "check-format: $clang_format not found (run scripts/bootstrap.sh)" >&2
  exit 1
fi

directories=()
for directory in include src test bench examples tools; do
  [[ -d "$directory" ]] && directories+=("$directory")
done

files=()
while IFS= read -r -d '' file; do
  files+=("$file")
done < <(find "${directories[@]}" -type d \( -name build -o -name 'build-*' -o -name 'cmake-build-*' \) -prune -o -type f \( -name '*.h' -o -name '*.cc' \) -print0 | sort -z)

if ((${#files[@]} == 0)); then
  echo "check-format: no files to check"
  exit 0
fi

if [[ "${1:-}" == "--fix" ]]; then
  "$clang_format" -i "${files[@]}"
  echo "check-format: reformatted ${#files[@]} files"
  exit 0
fi

if "$clang_format" --dry-run -Werror "${files[@]}"; then
  echo "check-format: ${#files[@]} files are clang-format clean"
else
  echo "check-format: formatting differs (see above); fix with: bash scripts/check-format.sh --fix" >&2
  exit 1
fi
