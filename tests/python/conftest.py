"""Fixtures of the Python tests: a real server on 127.0.0.1 with a SQLite file in tmp_path, and
clients that are closed at the end of each test. Every wait is bounded."""

import os
import pathlib
import socket
import threading
import time
from types import SimpleNamespace

import pytest

import messenger

PASSWORD = "correct horse battery"
# Seconds an expected event or reply may take; generous, since CI shares two cores.
WAIT = 15.0
REQUEST_TIMEOUT = 10.0

REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "python"


def make_server(data_dir, **options):
    """A server on a free loopback port; minimum password cost keeps registrations fast."""
    options.setdefault("password_cost", messenger.PasswordCost.minimum)
    options.setdefault("log_level", "warn")
    return messenger.Server(host="127.0.0.1", port=0, data_dir=data_dir, **options)


@pytest.fixture
def server(tmp_path):
    with make_server(tmp_path / "data") as running:
        yield running


@pytest.fixture
def new_client(server):
    """Makes clients of `server`; each is closed when the test ends."""
    made = []

    def make(**options):
        options.setdefault("request_timeout", REQUEST_TIMEOUT)
        options.setdefault("log_level", "warn")
        client = messenger.Client(server.url(), **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def new_user(new_client):
    """Registers `name` on a new client; returns (client, user)."""

    def make(name, **options):
        client = new_client(**options)
        return client, client.register_user(name, PASSWORD).user

    return make


def wait_for(client, matches, timeout=WAIT):
    """The first event of `client` for which `matches(event)` holds, polling up to `timeout`."""
    deadline = time.monotonic() + timeout
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        event = client.poll_event(min(left, 0.5))
        if event is None:
            continue
        if matches(event):
            return event
        seen.append(event)
    raise AssertionError(f"no matching event within {timeout} s; saw {seen}")


def message_with_text(text):
    return lambda e: isinstance(e, messenger.MessageEvent) and e.message.text == text


def thread_count():
    """Threads of this process, native ones included."""
    return len(os.listdir("/proc/self/task"))


def fd_count():
    return len(os.listdir("/proc/self/fd"))


def wait_until(condition, timeout=WAIT):
    """Whether `condition()` became true within `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def settle(measure, target, timeout=WAIT):
    """`measure()` once it is at most `target`, or its last value after `timeout`: threads and
    sockets of the system may take a moment to go."""
    deadline = time.monotonic() + timeout
    value = measure()
    while value > target and time.monotonic() < deadline:
        time.sleep(0.05)
        value = measure()
    return value


def python_env():
    """The environment for a Python subprocess that imports this same `messenger` package."""
    package_root = os.path.dirname(os.path.dirname(messenger.__file__))
    return dict(os.environ, PYTHONPATH=package_root, PYTHONUNBUFFERED="1")


@pytest.fixture
def silent_listener():
    """A loopback socket that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except socket.timeout:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    yield SimpleNamespace(port=listener.getsockname()[1], accepted=accepted)
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    listener.close()
