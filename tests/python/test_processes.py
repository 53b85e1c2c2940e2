"""Across processes: the example programs as subprocesses, talking over loopback sockets."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

import messenger
from conftest import EXAMPLES, PASSWORD, WAIT, message_with_text, python_env, wait_for

SERVER_BIN = os.environ.get("MESSENGER_SERVER_BIN", "")
STOP_TIMEOUT = 30


class Process:
    """A subprocess whose stdout lines are read on a thread, so that waits stay bounded."""

    def __init__(self, args):
        self.popen = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, env=python_env())
        self.lines = queue.Queue()
        self.seen = []
        self.stderr = []
        threading.Thread(target=self._pump, args=(self.popen.stdout, self.lines.put),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.popen.stderr, self.stderr.append),
                         daemon=True).start()

    @staticmethod
    def _pump(pipe, put):
        for line in pipe:
            put(line.rstrip("\n"))

    def wait_for(self, pattern, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r}; stdout {self.seen}, "
                             f"stderr {self.stderr[-20:]}")

    def finish(self, timeout=STOP_TIMEOUT):
        try:
            return self.popen.wait(timeout)
        finally:
            if self.popen.poll() is None:
                self.popen.kill()
                self.popen.wait(timeout)


@pytest.fixture
def processes():
    started = []

    def start(*args):
        process = Process(list(args))
        started.append(process)
        return process

    yield start
    for process in started:
        if process.popen.poll() is None:
            process.popen.kill()
            process.popen.wait(STOP_TIMEOUT)


def start_embedded_server(processes, tmp_path, *extra):
    process = processes(sys.executable, str(EXAMPLES / "embedded_server.py"), "--port", "0",
                        "--data-dir", str(tmp_path / "data"), "--password-cost", "minimum",
                        *extra)
    url = process.wait_for(r"listening on (ws://127\.0\.0\.1:\d+/ws)")[1]
    return process, url


def test_the_embedded_server_example_serves_clients_and_stops_on_ctrl_c(processes, tmp_path):
    server, url = start_embedded_server(processes, tmp_path)
    with messenger.Client(url) as alice, messenger.Client(url) as bob:
        alice.register_user("alice", PASSWORD)
        bob_user = bob.register_user("bob", PASSWORD).user
        chat = alice.open_direct_chat(bob_user.id)
        alice.send_message(chat.id, "across processes")
        wait_for(bob, message_with_text("across processes"))
        server.popen.send_signal(signal.SIGINT)
        assert server.finish() == 0
        server.wait_for(r"^stopped$")
        wait_for(bob, lambda e: isinstance(e, messenger.ConnectionEvent)
                 and e.state != messenger.ConnectionState.connected)
    assert (tmp_path / "data" / "messenger.db").is_file()


def test_the_embedded_server_example_stops_by_itself_after_its_seconds(processes, tmp_path):
    server, _ = start_embedded_server(processes, tmp_path, "--seconds", "0.5")
    assert server.finish() == 0
    server.wait_for(r"^stopped$")


def test_the_echo_bot_answers_each_message_with_the_same_text(processes, server, new_user):
    bot = processes(sys.executable, str(EXAMPLES / "echo_bot.py"), "--url", server.url(),
                    "--name", "echo", "--password", PASSWORD, "--register",
                    "--max-messages", "2", "--seconds", str(WAIT * 2))
    bot.wait_for(r"echo bot echo \(id \d+\) ready")
    alice, _ = new_user("alice")
    chat = alice.open_direct_chat(alice.find_user("echo").id)
    for text in ("first", "second"):
        alice.send_message(chat.id, text)
        reply = wait_for(alice, message_with_text(text))
        assert reply.message.sender_id != alice.user().id
    assert bot.finish() == 0
    bot.wait_for(r"answered 2 messages")


def test_the_echo_bot_reports_a_wrong_password_and_exits_with_1(processes, server, new_user):
    new_user("echo")
    bot = processes(sys.executable, str(EXAMPLES / "echo_bot.py"), "--url", server.url(),
                    "--name", "echo", "--password", "not the password", "--seconds", "5")
    assert bot.finish() == 1
    assert any("cannot sign in" in line for line in bot.stderr)


@pytest.mark.skipif(not os.path.exists(SERVER_BIN), reason="MESSENGER_SERVER_BIN not built")
def test_a_python_client_talks_to_the_messenger_server_program(processes, tmp_path):
    server = processes(SERVER_BIN, "--host", "127.0.0.1", "--port", "0", "--data-dir",
                       str(tmp_path / "data"), "--log-level", "info")
    # The program logs to stderr; its URL appears there.
    deadline = time.monotonic() + WAIT
    url = None
    while url is None and time.monotonic() < deadline:
        found = [re.search(r"listening on (ws://127\.0\.0\.1:\d+/ws)", line)
                 for line in list(server.stderr)]
        url = next((m[1] for m in found if m), None)
        time.sleep(0.05)
    assert url, server.stderr
    with messenger.Client(url) as alice:
        me = alice.register_user("alice", PASSWORD).user
        notes = alice.open_direct_chat(me.id)
        alice.send_message(notes.id, "to the C++ server")
        assert alice.history(notes.id)[0].text == "to the C++ server"
    server.popen.send_signal(signal.SIGTERM)
    assert server.finish() == 0
