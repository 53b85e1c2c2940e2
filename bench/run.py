#!/usr/bin/env python3
"""Runs a benchmark scenario the way docs/benchmarks.md reports it: repeats, medians, the
ceilings in the same run, and the load average beside each figure.

    bench/run.py chat        [--bench PATH] [--server PATH] [--repeats 3] [--quick]
    bench/run.py fanout | connect | idle | history | reconnect | ceilings | generator-check

Every run of messenger-bench prints one JSON object; they all go to --out (a JSON-lines file)
and a summary is printed at the end.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BUILD = os.path.join(HERE, "..", "build-bench")
LADDER = [1000, 2500, 5000, 10000, 25000, 50000, 100000]
# A step passes when everything offered arrives, nothing is lost and p99 stays within this.
P99_LIMIT_MS = 10.0
FULL_DELIVERY = 0.99
RUN_LIMIT_S = 1800
FANOUT_IN_FLIGHT = 32


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class Runner:
    def __init__(self, args):
        self.args = args
        self.out = open(args.out, "a")

    def run(self, label, *extra):
        cmd = [self.args.bench, "--server", self.args.server] + [str(x) for x in extra]
        load_before = load_average()
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_LIMIT_S)
        lines = [l for l in done.stdout.splitlines() if l.strip()]
        try:
            report = json.loads(lines[-1])
        except (IndexError, ValueError):
            report = {"error": "no JSON", "stderr": done.stderr[-500:]}
        report["label"] = label
        report["load_before"] = load_before
        report["load_after"] = load_average()
        self.out.write(json.dumps(report) + "\n")
        self.out.flush()
        print(f"{label}: {json.dumps(report)}", flush=True)
        return report

    def repeat(self, label, *extra):
        return [self.run(f"{label} #{i + 1}", *extra) for i in range(self.args.repeats)]


def median(reports, key):
    values = [r[key] for r in reports if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else None


def summary(label, reports, keys):
    cells = ", ".join(f"{k}={median(reports, k)}" for k in keys)
    loads = ", ".join(f"{r['load_before']:.2f}" for r in reports)
    line = f"SUMMARY {label}: median of {len(reports)}: {cells}; load averages {loads}"
    print(line, flush=True)
    return line


CHAT_KEYS = ["offered_per_s", "delivered_per_s", "p50_ms", "p99_ms", "p999_ms", "max_ms",
             "lost", "errors", "unsent", "server_cpu_us_per_msg", "server_cpu_cores",
             "generator_cpu_cores", "server_rss_kb", "server_kb_per_conn"]


def step_passes(reports, rate):
    delivered = median(reports, "delivered_per_s") or 0
    return (delivered >= FULL_DELIVERY * rate and (median(reports, "p99_ms") or 1e9) <= P99_LIMIT_MS
            and all(r.get("lost") == 0 and r.get("errors") == 0 and r.get("unsent") == 0
                    for r in reports))


def timing(args):
    if args.quick:
        return ["--warmup", "1", "--measure", "3", "--drain", "3"]
    return ["--warmup", "3", "--measure", "10", "--drain", "5"]


def chat(runner, args):
    lines = []
    failures = 0
    best = None
    for rate in LADDER:
        reports = runner.repeat(f"chat rate {rate}", "--scenario", "chat", "--users", args.users,
                                "--rate", rate, "--durability", args.durability, *timing(args))
        lines.append(summary(f"chat rate {rate}", reports, CHAT_KEYS))
        if step_passes(reports, rate):
            best = rate
            failures = 0
        else:
            failures += 1
            if failures == 2:
                break
    print(f"SUMMARY chat: highest rate delivered in full with p99 <= {P99_LIMIT_MS} ms: {best}")
    reports = runner.repeat("chat closed loop", "--scenario", "chat", "--users", args.users,
                            "--rate", 0, "--in-flight", 4, "--durability", args.durability,
                            *timing(args))
    lines.append(summary("chat closed loop (4 in flight per sender)", reports,
                         CHAT_KEYS + ["stored_messages", "deliveries"]))
    ceilings(runner, args)


def ceilings(runner, args):
    reports = runner.repeat("echo ceiling closed loop", "--scenario", "echo-ceiling", "--users",
                            args.users, "--rate", 0, "--in-flight", 4, *timing(args))
    summary("echo ceiling closed loop (4 in flight per sender)", reports, CHAT_KEYS)
    for batch in [16, 256, 4096]:
        reports = runner.repeat(f"sqlite ceiling batch {batch}", "--scenario", "sqlite-ceiling",
                                "--batch", batch, "--measure", 5)
        summary(f"sqlite ceiling batch {batch}", reports, ["rows_per_s", "p50_ms", "p99_ms"])


def fanout(runner, args):
    for size in [10, 100, 1000]:
        # One sender: enough requests in flight that group commit can batch them (the server
        # allows 256 unanswered per connection).
        reports = runner.repeat(f"fanout {size}", "--scenario", "fanout", "--group-size", size,
                                "--rate", 0, "--in-flight", FANOUT_IN_FLIGHT, *timing(args))
        summary(f"fanout group of {size} (closed loop, {FANOUT_IN_FLIGHT} in flight)", reports,
                ["delivered_per_s", "deliveries_per_s", "p50_ms", "p99_ms", "max_ms", "lost",
                 "errors", "server_cpu_us_per_msg", "server_cpu_cores", "generator_cpu_cores"])
    reports = runner.repeat("echo ceiling fanout", "--scenario", "echo-ceiling", "--users", 1000,
                            "--rate", 0, "--in-flight", 4, *timing(args))
    summary("echo ceiling, 1000 connections", reports, CHAT_KEYS)


def connect(runner, args):
    # Argon2id at libsodium's interactive cost takes about a second of a core each here, so
    # the password logins are fewer than the resumes.
    reports = runner.repeat("connect", "--scenario", "connect", "--users", 10000,
                            "--password-logins", 40, "--handshakes", 200)
    summary("connect", reports, ["ready", "logins_per_s", "p50_ms", "p99_ms", "password_ready",
                                 "password_logins_per_s", "password_p99_ms", "errors"])


def idle(runner, args):
    keys = ["ready", "server_kb_per_conn", "kernel_tcp_kb_per_conn", "server_rss_kb", "errors"]
    reports = runner.repeat("idle 10000", "--scenario", "idle", "--users", 10000)
    summary("idle 10000", reports, keys)
    # Past RLIMIT_NOFILE's hard limit (20,000 here) this cannot fit; once shows how it fails.
    reports = [runner.run("idle 50000", "--scenario", "idle", "--users", 50000)]
    summary("idle 50000", reports, keys)


def history(runner, args):
    reports = [runner.run("history", "--scenario", "history", "--history-messages", 1000000,
                          "--chats", 1000, "--samples", 300)]
    summary("history", reports, ["p50_ms", "p99_ms", "max_ms", "seed_s", "errors"])


def reconnect(runner, args):
    reports = runner.repeat("reconnect", "--scenario", "reconnect", "--users", 10000,
                            "--messages", 1000)
    summary("reconnect", reports, ["ready", "all_caught_up_s", "p50_ms", "p99_ms",
                                   "updates_received", "lost", "errors"])


def generator_check(runner, args):
    """One generator, then two at once, against one echo server (our cheapest peer). The
    generator reports its own CPU (getrusage); if a second instance raises the total, one
    instance was not enough to saturate the server."""
    echo = subprocess.Popen([args.bench, "--scenario", "echo-server"], stderr=subprocess.PIPE,
                            text=True)
    try:
        line = echo.stderr.readline()
        url = line.split("listening on ")[1].strip()
        common = ["--scenario", "echo-ceiling", "--attach", url, "--server-pid", echo.pid,
                  "--users", 250, "--rate", 0, "--in-flight", 4] + timing(args)
        single = runner.run("generator single", *common)
        cmd = [args.bench, "--server", args.server] + [str(x) for x in common]
        pair = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        reports = [json.loads(p.communicate(timeout=RUN_LIMIT_S)[0].splitlines()[-1])
                   for p in pair]
        total = sum(r.get("delivered_per_s", 0) for r in reports)
        print(f"SUMMARY generator: one instance {single.get('delivered_per_s')} msg/s using "
              f"{single.get('generator_cpu_cores')} cores (server "
              f"{single.get('server_cpu_cores')}); two instances {total} msg/s using "
              f"{[r.get('generator_cpu_cores') for r in reports]} cores (server "
              f"{reports[0].get('server_cpu_cores')})", flush=True)
    finally:
        echo.terminate()
        echo.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--bench", default=os.path.join(DEFAULT_BUILD, "bench", "messenger-bench"))
    parser.add_argument("--server", default=os.path.join(DEFAULT_BUILD, "examples", "server",
                                                         "messenger-server"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--durability", default="full", choices=["full", "normal"])
    parser.add_argument("--quick", action="store_true", help="1 s warm-up, 3 s measured")
    parser.add_argument("--out", default=os.path.join(DEFAULT_BUILD, "bench-results.jsonl"))
    args = parser.parse_args()
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print(f"load average {load_average():.2f}; {now}")
    runner = Runner(args)
    scenarios = {"chat": chat, "ceilings": ceilings, "fanout": fanout, "connect": connect,
                 "idle": idle, "history": history, "reconnect": reconnect,
                 "generator-check": generator_check}
    scenarios[args.scenario](runner, args)


if __name__ == "__main__":
    sys.exit(main())
