#!/usr/bin/env bash
# Builds the project and runs the example server on SQLite in ./data, on 127.0.0.1:8080, serving
# the browser client from examples/web.
# Extra arguments go to messenger-server (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release --target messenger-server messenger-cli
echo "messenger: open http://127.0.0.1:8080/ in a browser, or the port you passed with --port" \
  "(Ctrl+C stops the server)"
exec build/release/examples/server/messenger-server --data-dir data --host 127.0.0.1 \
  --port 8080 --web-root examples/web "$@"
