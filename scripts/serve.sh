#!/usr/bin/env bash
# Builds the project and runs the example server on SQLite in ./data, on 127.0.0.1:8080.
# Extra arguments go to messenger-server (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release --target messenger-server messenger-cli
exec build/release/examples/server/messenger-server --data-dir data --host 127.0.0.1 \
  --port 8080 "$@"
