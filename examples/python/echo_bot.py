#!/usr/bin/env python3
"""An echo bot: logs in and answers every text message it receives with the same text.

    echo_bot.py --url ws://127.0.0.1:8080/ws --name echo --password 'correct horse battery' \
        --register --max-messages 10 --seconds 60

It stops after --max-messages answers or --seconds, whichever comes first. Messages that
arrived while it was away come first (the client catches up on login); with --data-file it
remembers how far it got, so a restarted bot does not answer them twice.
"""

import argparse
import sys
import time

import messenger

# How long one poll waits, so that the --seconds bound is checked often.
POLL_SECONDS = 0.2


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8080/ws")
    parser.add_argument("--name", default="echo")
    parser.add_argument("--password", required=True)
    parser.add_argument("--register", action="store_true",
                        help="create the account when the login fails")
    parser.add_argument("--max-messages", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--data-file", default=None,
                        help="SQLite file keeping the session and stream cursor")
    return parser.parse_args(argv)


def sign_in(client, args):
    try:
        return client.login(args.name, args.password).user
    except messenger.InvalidCredentials:
        if not args.register:
            raise
        return client.register_user(args.name, args.password).user


def answer(client, message):
    try:
        client.send_message(message.chat_id, message.text)
    except (messenger.Disconnected, messenger.Timeout):
        # The client reconnects by itself; the outbox sends the answer once it is back.
        client.queue_message(message.chat_id, message.text)
    client.mark_seen(message.chat_id, message.seq)


def echo(client, me, args):
    deadline = time.monotonic() + args.seconds
    answered = 0
    while answered < args.max_messages and (left := deadline - time.monotonic()) > 0:
        event = client.poll_event(min(left, POLL_SECONDS))
        if not isinstance(event, messenger.MessageEvent):
            continue
        message = event.message
        if message.kind != messenger.MessageKind.text or message.sender_id == me.id:
            continue
        answer(client, message)
        answered += 1
    return answered


def main(argv=None):
    args = parse_args(argv)
    with messenger.Client(args.url, device="echo-bot", data_file=args.data_file) as client:
        try:
            me = sign_in(client, args)
        except messenger.Error as error:
            print(f"cannot sign in as {args.name}: {error}", file=sys.stderr)
            return 1
        print(f"echo bot {me.name} (id {me.id}) ready", flush=True)
        try:
            answered = echo(client, me, args)
        except KeyboardInterrupt:
            answered = None
    print(f"answered {answered} messages" if answered is not None else "interrupted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
