#!/usr/bin/env python3
"""A messenger server inside a Python program: starts it, prints its URL, and stops it on
Ctrl+C (or SIGTERM) or after --seconds.

    embedded_server.py --port 8080 --data-dir data
"""

import argparse
import logging
import signal
import sys
import threading

import messenger


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--data-dir", default=None,
                        help="folder of the SQLite database; without it, memory only")
    parser.add_argument("--seconds", type=float, default=None,
                        help="stop after this long (default: on Ctrl+C only)")
    parser.add_argument("--log-level", default="info",
                        choices=["trace", "debug", "info", "warn", "error", "off"])
    parser.add_argument("--password-cost", default="interactive",
                        choices=["interactive", "moderate", "minimum"],
                        help="minimum is for tests only")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # The library's log lines go to Python's logging; show them on stderr.
    logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")

    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())

    server = messenger.Server(host=args.host, port=args.port, data_dir=args.data_dir,
                              password_cost=messenger.PasswordCost.__members__[args.password_cost],
                              log_level=args.log_level)
    try:
        server.start()
    except messenger.Error as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return 1
    with server:
        print(f"listening on {server.url()}", flush=True)
        stop.wait(args.seconds)
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
