#!/usr/bin/env bash
# Installs everything needed to build, test, fuzz and format-check wavefront on Debian 12 (bookworm).
# Idempotent: when every package is already installed it touches nothing and does not call apt.
# Runs apt as root, through sudo when not root. Non-interactive.
set -euo pipefail

packages=(
  # toolchain and build
  build-essential cmake ninja-build pkg-config git ca-certificates openssl
  # library dependencies (HTTP client, compression)
  libcurl4-openssl-dev zlib1g-dev libssl-dev
  # tools: command-line parsing, local HTTP test server
  libcli11-dev libcpp-httplib-dev
  # the receiver component (tools/receiver/): Boost.Beast's HTTP parser, header-only
  libboost-dev
  # tests and benchmarks
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  # fuzzing, sanitizers, formatting
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "bootstrap: dpkg-query not found; this script supports Debian 12 (install the packages above yourself)" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#packages[@]} packages already installed"
  exit 0
fi

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "bootstrap: not root and sudo is not available; install as root: ${missing[*]}" >&2
    exit 1
  fi
  as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
fi

export DEBIAN_FRONTEND=noninteractive
echo "bootstrap: installing ${missing[*]}"
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
echo "bootstrap: done"
