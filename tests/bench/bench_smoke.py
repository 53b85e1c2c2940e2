"""Runs every benchmark scenario at a tiny size; each must print one JSON object with
ready > 0, lost == 0 and errors == 0. Timings are printed, never asserted."""

import json
import subprocess
import sys
import tempfile

# Each run is seconds; the limit only stops a hung run.
RUN_LIMIT_S = 120

TINY = {
    "chat": ["--users", "20", "--rate", "200", "--warmup", "0.3", "--measure", "0.7",
             "--drain", "2"],
    "chat-closed": ["--scenario", "chat", "--users", "10", "--rate", "0", "--warmup", "0.2",
                    "--measure", "0.5", "--drain", "2"],
    "echo-ceiling": ["--users", "10", "--rate", "0", "--warmup", "0.2", "--measure", "0.5",
                     "--drain", "2"],
    "fanout": ["--group-size", "10", "--rate", "0", "--warmup", "0.2", "--measure", "0.5",
               "--drain", "2"],
    "idle": ["--users", "50"],
    "connect": ["--users", "50", "--password-logins", "4"],
    "history": ["--history-messages", "2000", "--chats", "20", "--samples", "5"],
    "reconnect": ["--users", "30", "--messages", "20"],
    "sqlite-ceiling": ["--batch", "16", "--measure", "0.3"],
}


def main():
    bench, server = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory(prefix="bench-smoke-") as work:
        for name, extra in TINY.items():
            args = [bench, "--server", server, "--work-dir", work]
            if "--scenario" not in extra:
                args += ["--scenario", name]
            done = subprocess.run(args + extra, capture_output=True, text=True,
                                  timeout=RUN_LIMIT_S)
            lines = [line for line in done.stdout.splitlines() if line.strip()]
            print(name, lines[-1] if lines else "(no output)", flush=True)
            try:
                if len(lines) != 1:
                    raise ValueError(f"expected one line of JSON, got {len(lines)}")
                report = json.loads(lines[0])
                if not isinstance(report, dict):
                    raise ValueError("not a JSON object")
                if report.get("ready", 0) <= 0:
                    raise ValueError("ready is not above 0")
                if report.get("lost") != 0:
                    raise ValueError(f"lost is {report.get('lost')}")
                if report.get("errors") != 0:
                    raise ValueError(f"errors is {report.get('errors')}")
            except ValueError as problem:
                failures.append(f"{name}: {problem}\n{done.stderr[-2000:]}")
    for failure in failures:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
