#!/usr/bin/env bash
# Finds functions of the public API that libwavefront.so does not export.
#
# Usage: bash scripts/check-exports.sh LIBWAVEFRONT.a SOURCE_DIR
# (ctest runs it as `exports.public_symbols`). The library is compiled with hidden visibility, and
# only what WAVEFRONT_API marks is exported. A public struct without the mark whose member functions are
# defined in a .cc file (SenderUrl::redacted was one) compiles and links against the static library but
# not against the shared one. This script lists the defined, non-inline (GLOBAL binding) symbols of the
# static library that are HIDDEN, demangles them, and reports those under a name the public headers
# declare at namespace `wavefront` level (a class, struct or function name); private code lives in
# nested namespaces (wavefront::client, ::format, ...) or in anonymous namespaces, and is not reported.
# Inline functions (WEAK binding) are compiled into the caller and need no export. Exit status 1 and
# the list when any is found.
set -euo pipefail
archive=${1:?usage: check-exports.sh LIBWAVEFRONT.a SOURCE_DIR}
source_dir=${2:?usage: check-exports.sh LIBWAVEFRONT.a SOURCE_DIR}

# Names declared by the public headers: class/struct/enum names and function names, comments removed.
public_names=$(
  sed -e 's://.*$::' "$source_dir"/include/wavefront/*.h |
    grep -oE '(\b(class|struct)\s+(WAVEFRONT_API\s+)?[A-Za-z_][A-Za-z0-9_]*)|(\b[A-Za-z_][A-Za-z0-9_]*\s*\()' |
    sed -E -e 's/^(class|struct)\s+(WAVEFRONT_API\s+)?//' -e 's/\s*\($//' | sort -u
)
# Namespaces (public or private) are not names of the API even when a function shares the name
# (wavefront::histogram:: is a namespace, MetricRegistry::histogram() a function).
namespaces=$(grep -rhoE '\bnamespace\s+[A-Za-z_][A-Za-z0-9_:]*' "$source_dir"/include "$source_dir"/src |
  sed -E 's/namespace\s+//' | tr -s ':' '\n' | sort -u)

hidden=$(readelf -sW "$archive" | awk '$5 == "GLOBAL" && $6 == "HIDDEN" && $7 != "UND" && ($4 == "FUNC" || $4 == "OBJECT") { print $8 }' |
  c++filt | sort -u)

# wavefront::NAME... where NAME is a public name, unless NAME:: is a namespace.
missing=$(awk -v public="$public_names" -v spaces="$namespaces" '
  BEGIN {
    n = split(public, p, "\n"); for (i = 1; i <= n; i++) is_public[p[i]] = 1
    n = split(spaces, q, "\n"); for (i = 1; i <= n; i++) is_namespace[q[i]] = 1
  }
  /^wavefront::/ {
    rest = substr($0, 12)
    if (!match(rest, /^[A-Za-z_][A-Za-z0-9_]*/)) next
    name = substr(rest, 1, RLENGTH)
    if (substr(rest, RLENGTH + 1, 2) == "::" && (name in is_namespace)) next
    if (name in is_public) print
  }' <<<"$hidden")

if [[ -n "$missing" ]]; then
  echo "check-exports: declared in include/wavefront/ but hidden in the shared library (add WAVEFRONT_API):"
  printf '%s\n' "$missing" | sed 's/^/  /'
  exit 1
fi
echo "check-exports: every public symbol defined in the library is exported"
