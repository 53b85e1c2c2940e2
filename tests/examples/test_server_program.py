"""messenger-server as an operator runs it: flags, a config file, its log, and its signals.

The binaries come from MESSENGER_SERVER_BIN and MESSENGER_CLI_BIN (set by CTest). Every server
listens on 127.0.0.1 with a port the kernel picks, and every wait is bounded.
"""

import os
import re
import signal
import socket
import subprocess
import time

import pytest

SERVER_BIN = os.environ.get("MESSENGER_SERVER_BIN", "")
CLI_BIN = os.environ.get("MESSENGER_CLI_BIN", "")
PASSWORD = "correct horse battery"
TIMEOUT = 30  # seconds for any one process step

pytestmark = pytest.mark.skipif(
    not (os.path.exists(SERVER_BIN) and os.path.exists(CLI_BIN)),
    reason="MESSENGER_SERVER_BIN and MESSENGER_CLI_BIN must name the built programs",
)


def run_server(*args):
    return subprocess.run([SERVER_BIN, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT)


class RunningServer:
    """A server process whose log goes to a file, so that nothing blocks on a full pipe."""

    def __init__(self, tmp_path, *args):
        self.log_path = tmp_path / f"server-{time.monotonic_ns()}.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([SERVER_BIN, *args], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=log)
        port = self.wait_for_log(r"listening on ws://127\.0\.0\.1:(\d+)/ws")[1]
        self.url = f"ws://127.0.0.1:{port}/ws"

    def log(self):
        return self.log_path.read_text()

    def wait_for_log(self, pattern):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.log()):
                return match
            assert self.process.poll() is None, f"the server exited early:\n{self.log()}"
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in the server's log:\n{self.log()}")

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        return self.process.wait(timeout=TIMEOUT)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.kill()


def cli(url, *args):
    env = dict(os.environ, MESSENGER_PASSWORD=PASSWORD)
    return subprocess.run([CLI_BIN, "--url", url, *args], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=TIMEOUT)


def test_help_lists_every_option_the_config_file_accepts():
    done = run_server("--help")

    assert done.returncode == 0
    for option in ["--host", "--port", "--data-dir", "--durability", "--log-level",
                   "--password-cost", "--threads", "--ping-interval-ms", "--pong-timeout-ms",
                   "--requests-per-second", "--allow-origin", "--web-root", "--config"]:
        assert option in done.stdout


@pytest.mark.parametrize("args, complaint", [
    (["--port", "70000"], "port must be 0 to 65535"),
    (["--password-cost", "cheap"], "password-cost must be interactive, moderate or minimum"),
    (["--durability", "none"], "durability must be full or normal"),
    (["--log-level", "loud"], "log-level must be"),
    (["--colour", "blue"], "unknown option colour"),
    (["--port"], "option --port needs a value"),
    (["--host", "256.1.1.1"], "host must be an IPv4 or IPv6 address"),
    (["--host", "localhost"], "host must be an IPv4 or IPv6 address"),
    (["--allow-origin", ""], "allow-origin needs an origin"),
    (["stray"], "unexpected argument stray"),
])
def test_a_bad_flag_exits_2_and_names_the_problem(args, complaint):
    done = run_server(*args)

    assert done.returncode == 2
    assert complaint in done.stderr


def test_a_config_file_sets_the_options_and_a_bad_line_is_named(tmp_path, servers):
    config = tmp_path / "server.conf"
    config.write_text("# an operator's file\n"
                      "host = 127.0.0.1\n"
                      "port = 0\n"
                      f"data-dir = {tmp_path / 'data'}\n"
                      "password-cost = minimum\n"
                      "log-level = debug\n")
    server = RunningServer(tmp_path, "--config", str(config))
    servers.append(server)

    assert (tmp_path / "data" / "messenger.db").exists()
    assert cli(server.url, "--user", "alice", "--register", "--list-chats").returncode == 0
    server.wait_for_log(r"debug\s+server: user \d+ logged in from 127\.0\.0\.1")

    config.write_text("port = 0\nthis line has no equals sign\n")
    done = run_server("--config", str(config))
    assert done.returncode == 2
    assert f"{config}:2: expected key = value" in done.stderr


def test_sigterm_logs_the_stop_exits_0_and_keeps_what_was_acknowledged(tmp_path, servers):
    data = str(tmp_path / "data")
    server = RunningServer(tmp_path, "--port", "0", "--data-dir", data,
                           "--password-cost", "minimum")
    servers.append(server)
    for name in ("alice", "bob"):
        assert cli(server.url, "--user", name, "--register", "--list-chats").returncode == 0
    sent = cli(server.url, "--user", "alice", "--send-to", "bob", "--message",
               "kept across a restart")
    assert sent.returncode == 0, sent.stderr
    server.wait_for_log(r"server: connection from 127\.0\.0\.1:\d+")

    assert server.stop() == 0
    log = server.log()
    assert "SIGTERM received" in log
    assert re.search(r"server: stopped$", log, re.MULTILINE)

    again = RunningServer(tmp_path, "--port", "0", "--data-dir", data)
    servers.append(again)
    read = cli(again.url, "--user", "bob", "--receive", "1")
    assert read.returncode == 0, read.stderr
    assert "kept across a restart" in read.stdout
    assert again.stop(signal.SIGINT) == 0
    assert "SIGINT received" in again.log()


def test_a_second_server_on_the_same_data_folder_is_refused(tmp_path, servers):
    data = str(tmp_path / "data")
    servers.append(RunningServer(tmp_path, "--port", "0", "--data-dir", data))

    done = run_server("--port", "0", "--data-dir", data)

    assert done.returncode == 1
    assert "cannot start" in done.stderr


def test_a_taken_port_is_refused_with_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        done = run_server("--port", str(port), "--data-dir", str(tmp_path / "data"))

    assert done.returncode == 1
    assert "cannot start" in done.stderr


def http_request(port, method, target):
    """The head lines and body of a raw request, so that the path reaches the server unchanged."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        connection.sendall(f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Connection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.decode().split("\r\n"), body


def http_get(port, target):
    """The status line and body of a raw GET."""
    head, body = http_request(port, "GET", target)
    return head[0], body


def test_the_web_root_serves_its_files_and_nothing_outside_it(tmp_path, servers):
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<p>the client</p>")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    server = RunningServer(tmp_path, "--port", "0", "--data-dir", str(tmp_path / "data"),
                           "--web-root", str(web))
    servers.append(server)
    port = int(server.url.split(":")[2].split("/")[0])

    status, body = http_get(port, "/")
    assert " 200 " in status and body == b"<p>the client</p>"
    head, body = http_request(port, "HEAD", "/index.html")
    assert " 200 " in head[0] and body == b""
    assert f"Content-Length: {len('<p>the client</p>')}" in head
    for target in ["//etc/passwd", "/" + str(secret), "/../secret.txt", "/%2e%2e/secret.txt",
                   "/data/messenger.db", "/../data/messenger.db"]:
        status, body = http_get(port, target)
        assert " 4" in status, (target, status)
        assert b"not for the web" not in body and b"root:" not in body


def test_a_config_file_may_start_with_a_byte_order_mark_and_name_another_beside_it(tmp_path,
                                                                                  servers):
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "main.conf").write_bytes(b"\xef\xbb\xbfport = 0\nconfig = more.conf\n")
    (folder / "more.conf").write_text(f"data-dir = {tmp_path / 'data'}\nhost = 127.0.0.1\n")

    servers.append(RunningServer(tmp_path, "--config", str(folder / "main.conf")))

    assert (tmp_path / "data" / "messenger.db").exists()


def test_config_files_that_name_each_other_are_refused_once_with_the_chain(tmp_path):
    (tmp_path / "self.conf").write_text("port = 0\nconfig = self.conf\n")
    done = run_server("--config", str(tmp_path / "self.conf"))
    assert done.returncode == 2
    assert done.stderr.count("names itself") == 1
    assert done.stderr.count("self.conf:2:") == 1

    (tmp_path / "a.conf").write_text("config = b.conf\n")
    (tmp_path / "b.conf").write_text("# back to the first\nconfig = a.conf\n")
    done = run_server("--config", str(tmp_path / "a.conf"))
    assert done.returncode == 2
    assert f"{tmp_path / 'a.conf'}:1: {tmp_path / 'b.conf'}:2: config file" in done.stderr
    assert done.stderr.count("names itself") == 1


def test_log_level_off_prints_nothing_even_on_sigterm(tmp_path):
    process = subprocess.Popen([SERVER_BIN, "--port", "0", "--data-dir", str(tmp_path / "data"),
                                "--log-level", "off"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not (tmp_path / "data" / "messenger.db").exists():
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
    assert process.returncode == 0
    assert stderr == ""


def test_an_ipv6_address_is_written_in_brackets_in_the_url(tmp_path, servers):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    process = subprocess.Popen([SERVER_BIN, "--host", "::1", "--port", "0", "--data-dir",
                                str(tmp_path / "data")],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + TIMEOUT
        while "server: listening" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()
        assert re.search(r"listening on ws://\[::1\]:\d+/ws", line), line
    finally:
        process.kill()
        process.wait(timeout=TIMEOUT)


@pytest.mark.parametrize("layout", ["web root is a file", "data inside the web root"])
def test_a_web_root_that_would_serve_nothing_or_the_database_stops_the_start(tmp_path, layout):
    web = tmp_path / "web"
    if layout == "web root is a file":
        web.write_text("not a folder")
        data = tmp_path / "data"
    else:
        web.mkdir()
        data = web / "data"

    done = run_server("--port", "0", "--data-dir", str(data), "--web-root", str(web))

    assert done.returncode == 1
    assert "cannot start" in done.stderr
    assert not (data / "messenger.db").exists()
