#!/bin/sh
# One command per scenario: bench/run.sh chat | fanout | connect | idle | history | reconnect |
# ceilings | generator-check [--quick] [--repeats N]. See docs/benchmarks.md.
exec python3 "$(dirname "$0")/run.py" "$@"
