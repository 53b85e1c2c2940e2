#!/usr/bin/env bash
# Installs the Debian packages the project builds, runs and tests with. Idempotent: quiet and
# quick when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libasio-dev libsodium-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev doctest-dev
  libssl-dev libhttp-parser-dev nlohmann-json3-dev
  python3 python3-pytest python3-websockets python3-dev pybind11-dev nodejs npm
  chromium
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# nodejs from other sources ships npm inside it; do not ask apt for a second one.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for package in "${missing[@]}"; do [ "$package" = npm ] || filtered+=("$package"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if command -v node >/dev/null 2>&1; then
  filtered=()
  for package in "${missing[@]+"${missing[@]}"}"; do [ "$package" = nodejs ] || filtered+=("$package"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
