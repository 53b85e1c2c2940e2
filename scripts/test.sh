#!/usr/bin/env bash
# Builds everything and runs every test: a release build with warnings as errors, an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and a short run of each fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
# Node packages for the interop and browser tests, pinned by their lock files.
for dir in tests/interop tests/web; do
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done

jobs=$(nproc)
fuzz_seconds=${MESSENGER_FUZZ_SECONDS:-20}

configure() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DMESSENGER_WERROR=ON "$@" >/dev/null
}

echo "== release build"
configure build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/release -j "$jobs"

echo "== sanitizer build"
configure build/sanitize -DCMAKE_BUILD_TYPE=Debug -DMESSENGER_SANITIZE=ON
cmake --build build/sanitize -j "$jobs"

echo "== fuzzer build"
CC=clang CXX=clang++ configure build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESSENGER_FUZZ=ON
cmake --build build/fuzz -j "$jobs"

status=0
echo "== tests (release)"
ctest --test-dir build/release -j "$jobs" --output-on-failure || status=1
echo "== tests (sanitizers)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/sanitize -j "$jobs" --output-on-failure || status=1

echo "== fuzzing, ${fuzz_seconds}s per target"
for target in build/fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  name=${name#fuzz_}
  corpus=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$name/." "$corpus/" 2>/dev/null || true
  if "$target" -max_total_time="$fuzz_seconds" -print_final_stats=0 "$corpus" \
      >"build/fuzz/$name.log" 2>&1; then
    echo "fuzz $name: ok"
  else
    echo "fuzz $name: FAILED (see build/fuzz/$name.log)"
    tail -n 40 "build/fuzz/$name.log"
    status=1
  fi
  rm -rf "$corpus"
done

exit $status
