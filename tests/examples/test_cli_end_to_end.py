"""messenger-cli against the real messenger-server, both as processes on 127.0.0.1.

The binaries come from MESSENGER_SERVER_BIN and MESSENGER_CLI_BIN (set by CTest). Every wait is
bounded: processes by subprocess timeouts, output by deadlines.
"""

import os
import pty
import queue
import re
import select
import signal
import subprocess
import threading
import time

import pytest

SERVER_BIN = os.environ.get("MESSENGER_SERVER_BIN", "")
CLI_BIN = os.environ.get("MESSENGER_CLI_BIN", "")
PASSWORD = "correct horse battery"

START_TIMEOUT = 30  # seconds for the server to say where it listens
PROCESS_TIMEOUT = 60  # seconds for one CLI run
CLI_WAIT = "20"  # the CLI's own --timeout, below PROCESS_TIMEOUT so that it reports first
STOP_TIMEOUT = 30

pytestmark = pytest.mark.skipif(
    not (os.path.exists(SERVER_BIN) and os.path.exists(CLI_BIN)),
    reason="MESSENGER_SERVER_BIN and MESSENGER_CLI_BIN must name the built programs",
)


class LineStream:
    """Collects the lines of a pipe on a thread, so that reading never blocks a test forever."""

    def __init__(self, pipe):
        self.lines = queue.Queue()
        self.seen = []
        self._thread = threading.Thread(target=self._pump, args=(pipe,), daemon=True)
        self._thread.start()

    def _pump(self, pipe):
        for line in pipe:
            self.lines.put(line.rstrip("\n"))

    def finish(self, timeout):
        """Every line, once the pipe has closed (its process has exited)."""
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the pipe did not close"
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        return self.seen

    def wait_for(self, pattern, timeout):
        """The first match of `pattern` in a line, waiting up to `timeout` seconds."""
        for line in self.seen:
            if match := re.search(pattern, line):
                return match
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in {timeout} s; got {self.seen}")


class Server:
    def __init__(self, data_dir):
        self.process = subprocess.Popen(
            [SERVER_BIN, "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir),
             "--log-level", "info"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True)
        self.log = LineStream(self.process.stderr)
        port = self.log.wait_for(r"listening on ws://127\.0\.0\.1:(\d+)/ws", START_TIMEOUT)[1]
        self.url = f"ws://127.0.0.1:{port}/ws"

    def stop(self):
        """SIGTERM, then the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STOP_TIMEOUT)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "data")
    yield running
    running.kill()


def cli_env():
    env = dict(os.environ)
    env["MESSENGER_PASSWORD"] = PASSWORD
    return env


def run_cli(server, *args):
    return subprocess.run([CLI_BIN, "--url", server.url, *args], env=cli_env(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT)


def register(server, *names):
    for name in names:
        done = run_cli(server, "--user", name, "--register", "--list-chats")
        assert done.returncode == 0, done.stderr


def start_cli(server, *args):
    """A CLI process running beside the test: (process, stdout lines, stderr lines)."""
    process = subprocess.Popen([CLI_BIN, "--url", server.url, *args], env=cli_env(),
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    return process, LineStream(process.stdout), LineStream(process.stderr)


def test_a_message_is_received_seen_and_delivered_later_to_an_offline_user(server):
    register(server, "alice", "bob")

    # --log-level info makes bob say on stderr when he is connected, so that the message is
    # likely to reach him live rather than in the catch-up (both must work).
    bob, bob_out, bob_log = start_cli(server, "--user", "bob", "--receive", "1", "--mark-seen",
                                      "--timeout", CLI_WAIT, "--log-level", "info")
    bob_log.wait_for(r"connected to ", START_TIMEOUT)
    text = "hello bob, ünïcode ✓"
    alice = run_cli(server, "--user", "alice", "--send-to", "bob", "--message", text,
                    "--wait-status", "seen", "--timeout", CLI_WAIT)
    assert alice.returncode == 0, alice.stderr
    sent = re.fullmatch(r"sent chat=(\d+) seq=1 id=(\d+)", alice.stdout.splitlines()[0])
    assert sent, alice.stdout
    assert alice.stdout.splitlines()[1:] == ["status seq=1 seen"]

    assert bob.wait(timeout=PROCESS_TIMEOUT) == 0, bob_log.finish(STOP_TIMEOUT)
    chat = sent[1]
    assert bob_out.finish(STOP_TIMEOUT) == [f"message chat={chat} seq=1 from=alice text={text}"]

    # Bob is offline now: the message waits for him and comes in his catch-up at login.
    alice = run_cli(server, "--user", "alice", "--send-to", "bob", "--message",
                    "while you were away", "--wait-status", "sent")
    assert alice.returncode == 0, alice.stderr
    assert alice.stdout.splitlines()[1] == "status seq=2 sent"
    bob = run_cli(server, "--user", "bob", "--receive", "1", "--timeout", CLI_WAIT)
    assert bob.returncode == 0, bob.stderr
    assert bob.stdout.splitlines() == [
        f"message chat={chat} seq=2 from=alice text=while you were away"]

    assert server.stop() == 0


def test_a_retry_with_the_same_client_msg_id_returns_the_first_acknowledgement(server):
    register(server, "alice", "bob")
    first = run_cli(server, "--user", "alice", "--send-to", "bob", "--message", "once",
                    "--client-msg-id", "retry-1")
    again = run_cli(server, "--user", "alice", "--send-to", "bob", "--message", "once",
                    "--client-msg-id", "retry-1")
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert again.stdout == first.stdout

    chats = run_cli(server, "--user", "bob", "--list-chats")
    assert chats.returncode == 0, chats.stderr
    assert re.fullmatch(r'chat id=\d+ kind=direct unread=1 last_seq=1 name="alice" last="once"',
                        chats.stdout.strip()), chats.stdout


def test_waiting_for_delivery_to_an_offline_user_ends_with_exit_code_3(server):
    register(server, "alice", "bob")
    alice = run_cli(server, "--user", "alice", "--send-to", "bob", "--message", "anyone?",
                    "--wait-status", "delivered", "--timeout", "0.5")
    assert alice.returncode == 3
    assert alice.stdout.splitlines()[0].startswith("sent ")
    assert alice.stderr.startswith("error: timeout: ")


def test_a_wrong_password_fails_with_the_library_error(server):
    register(server, "alice")
    env = cli_env()
    env["MESSENGER_PASSWORD"] = "not the password"
    done = subprocess.run([CLI_BIN, "--url", server.url, "--user", "alice", "--list-chats"],
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT)
    assert done.returncode == 1
    assert done.stderr.startswith("error: invalid_credentials: ")
    assert done.stdout == ""


class Terminal:
    """messenger-cli on a pseudo-terminal, read with deadlines."""

    def __init__(self, args, env):
        master, slave = pty.openpty()
        self.process = subprocess.Popen(args, env=env, stdin=slave, stdout=slave, stderr=slave,
                                        close_fds=True, start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = ""

    def type(self, text):
        os.write(self.master, text.encode())

    def wait_for(self, pattern, timeout=START_TIMEOUT, start=0):
        """The first match of `pattern` in what the terminal showed from offset `start` on."""
        deadline = time.monotonic() + timeout
        while not (match := re.search(pattern, self.output[start:])):
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"no {pattern!r} on the terminal; it shows:\n{self.output}")
        return match

    def _read(self, timeout):
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the program exited and closed the terminal
            return False
        self.output += chunk.decode(errors="replace")
        return bool(chunk)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=STOP_TIMEOUT)
        os.close(self.master)


def test_the_interactive_client_sends_shows_marks_and_receives_on_a_terminal(server):
    register(server, "alice", "bob")
    env = cli_env()
    del env["MESSENGER_PASSWORD"]
    terminal = Terminal([CLI_BIN, "--url", server.url], env)
    try:
        terminal.wait_for(r"name: ")
        terminal.type("alice\n")
        terminal.wait_for(r"password: ")
        terminal.type(PASSWORD + "\n")
        terminal.wait_for(r"logged in as alice")
        assert PASSWORD not in terminal.output

        terminal.type("/open bob\n")
        terminal.wait_for(r"── bob ──")
        terminal.type("hi from the terminal\n")
        seq = terminal.wait_for(r"\[bob\] alice: hi from the terminal ✓ \(seq (\d+)\)")[1]

        bob = run_cli(server, "--user", "bob", "--receive", "1", "--mark-seen",
                      "--timeout", CLI_WAIT)
        assert bob.returncode == 0, bob.stderr
        terminal.wait_for(rf"\[bob\] seq {seq} ✓✓ seen")

        reply = run_cli(server, "--user", "bob", "--send-to", "alice", "--message", "hi alice")
        assert reply.returncode == 0, reply.stderr
        terminal.wait_for(r"\[bob\] bob: hi alice")

        terminal.type("/quit\n")
        assert terminal.process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        terminal.close()


def test_a_message_sent_from_another_device_shows_its_marks_changing(server):
    register(server, "alice", "bob")
    terminal = Terminal([CLI_BIN, "--url", server.url, "--user", "alice"], cli_env())
    try:
        terminal.wait_for(r"logged in as alice")
        terminal.type("/open bob\n")
        terminal.wait_for(r"── bob ──")

        sent = run_cli(server, "--user", "alice", "--send-to", "bob", "--message",
                       "from my other device")
        assert sent.returncode == 0, sent.stderr
        terminal.wait_for(r"\[bob\] alice: from my other device ✓")

        bob = run_cli(server, "--user", "bob", "--receive", "1", "--mark-seen",
                      "--timeout", CLI_WAIT)
        assert bob.returncode == 0, bob.stderr
        terminal.wait_for(r"\[bob\] seq \d+ ✓✓ seen")
        assert terminal.output.count("[online]") == 1

        terminal.type("/quit\n")
        assert terminal.process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        terminal.close()


def test_the_password_changes_and_sessions_end_from_the_terminal(server):
    register(server, "alice")
    terminal = Terminal([CLI_BIN, "--url", server.url, "--user", "alice"], cli_env())
    other_device = Terminal([CLI_BIN, "--url", server.url, "--user", "alice"], cli_env())
    try:
        other_device.wait_for(r"logged in as alice")
        terminal.wait_for(r"logged in as alice")
        terminal.type("/password\n")
        terminal.wait_for(r"current password: ")
        terminal.type(PASSWORD + "\n")
        terminal.wait_for(r"new password: ")
        terminal.type("a new long password\n")
        terminal.wait_for(r"new password again: ")
        terminal.type("not the same one\n")
        terminal.wait_for(r"the new passwords differ; nothing changed")

        # A prompt is looked for only in what came after the command, and each answer is
        # typed only once its prompt shows: the echo goes off just before the prompt.
        start = len(terminal.output)
        terminal.type("/password\n")
        terminal.wait_for(r"current password: ", start=start)
        terminal.type(PASSWORD + "\n")
        terminal.wait_for(r"new password: ", start=start)
        terminal.type("a new long password\n")
        terminal.wait_for(r"new password again: ", start=start)
        terminal.type("a new long password\n")
        terminal.wait_for(r"password changed; your other devices are logged out")
        assert "a new long password" not in terminal.output
        other_device.wait_for(r"\[session ended: .*password changed.*\] log in again")
        assert other_device.process.wait(timeout=STOP_TIMEOUT) == 1
        assert "reconnecting" not in other_device.output

        old = run_cli(server, "--user", "alice", "--list-chats")
        assert old.returncode != 0
        assert "invalid_credentials" in old.stderr
        env = dict(cli_env(), MESSENGER_PASSWORD="a new long password")
        new = subprocess.run([CLI_BIN, "--url", server.url, "--user", "alice", "--list-chats"],
                             env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             timeout=PROCESS_TIMEOUT)
        assert new.returncode == 0, new.stderr

        terminal.type("/logout-all\n")
        terminal.wait_for(r"logged out on every device")
        assert terminal.process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        terminal.close()
        other_device.close()


def test_a_new_chat_is_announced_once_and_old_chats_not_at_every_start(server):
    register(server, "alice", "bob")
    sent = run_cli(server, "--user", "alice", "--send-to", "bob", "--message", "an old chat")
    assert sent.returncode == 0, sent.stderr

    bob = Terminal([CLI_BIN, "--url", server.url, "--user", "bob"], cli_env())
    alice = Terminal([CLI_BIN, "--url", server.url, "--user", "alice"], cli_env())
    try:
        bob.wait_for(r"logged in as bob")
        bob.type("/chats\n")
        bob.wait_for(r"alice: an old chat")
        alice.wait_for(r"logged in as alice")
        alice.type('/group "Team chat" bob\n')
        alice.wait_for(r"── Team chat ──")

        bob.wait_for(r"\[Team chat\] you were added to this group")
        bob.type("/chats\n")
        bob.wait_for(r"Team chat")
        assert "a new direct chat" not in bob.output
        assert bob.output.count("you were added to this group") == 1
        bob.type("/quit\n")
        alice.type("/quit\n")
        assert bob.process.wait(timeout=STOP_TIMEOUT) == 0
        assert alice.process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        bob.close()
        alice.close()
