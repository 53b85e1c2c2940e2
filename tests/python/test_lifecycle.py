"""Closing: context managers, threads and file descriptors back to baseline, interpreter exit."""

import gc
import os
import socket
import subprocess
import sys
import textwrap
import threading

import pytest

import messenger
from conftest import (PASSWORD, WAIT, fd_count, make_server, message_with_text,
                      settle, thread_count, wait_for, wait_until)

ROUNDS = 5


def test_a_client_closed_by_with_refuses_requests_with_disconnected(server):
    with messenger.Client(server.url()) as client:
        client.register_user("alice", PASSWORD)
        assert client.state() in (messenger.ConnectionState.syncing,
                                  messenger.ConnectionState.connected)
    assert client.state() == messenger.ConnectionState.disconnected
    assert client.user() is None
    with pytest.raises(messenger.Disconnected, match="closed"):
        client.find_user("alice")
    client.close()


def one_round(data_dir):
    """A server, two users, a message each way, everything closed."""
    with make_server(data_dir) as server, messenger.Client(server.url()) as alice, \
            messenger.Client(server.url()) as bob:
        alice.login("alice", PASSWORD)
        bob_user = bob.login("bob", PASSWORD).user
        bob.set_event_handler(lambda event: None)
        chat = alice.open_direct_chat(bob_user.id)
        alice.send_message(chat.id, "hi")
        bob.send_message(chat.id, "hi back")
        wait_for(alice, message_with_text("hi back"))


def test_threads_and_file_descriptors_return_to_baseline_after_repeated_use(tmp_path):
    with make_server(tmp_path) as server:
        for name in ("alice", "bob"):
            with messenger.Client(server.url()) as client:
                client.register_user(name, PASSWORD)
    one_round(tmp_path)  # the first round may open what lives for the process (libraries)
    threads, fds = thread_count(), fd_count()
    for _ in range(ROUNDS):
        one_round(tmp_path)
    assert settle(thread_count, threads) == threads
    assert settle(fd_count, fds) == fds


def test_a_client_dropped_without_close_joins_its_thread(server):
    threads = thread_count()
    client = messenger.Client(server.url())
    client.register_user("alice", PASSWORD)
    client.set_event_handler(lambda event: None)
    assert thread_count() > threads
    del client
    gc.collect()
    assert settle(thread_count, threads) == threads


def test_a_client_whose_last_reference_goes_in_its_own_handler_is_freed(server):
    threads = thread_count()
    holder = [messenger.Client(server.url())]
    dropped = threading.Event()

    def handler(event):
        holder.clear()  # the last reference: the client is collected on its own thread
        dropped.set()

    me = holder[0].register_user("alice", PASSWORD).user
    holder[0].set_event_handler(handler)
    with messenger.Client(server.url()) as other:
        other.login("alice", PASSWORD)
        other.send_message(other.open_direct_chat(me.id).id, "wake up")
        assert dropped.wait(WAIT)
    assert settle(thread_count, threads) == threads


def test_a_server_dropped_without_stop_stops(tmp_path):
    threads = thread_count()
    server = make_server(tmp_path)
    server.start()
    port = server.port()
    del server
    gc.collect()
    assert settle(thread_count, threads) == threads
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_closing_from_another_thread_ends_a_waiting_poll_with_disconnected(server):
    client = messenger.Client(server.url())
    client.register_user("alice", PASSWORD)
    while client.poll_event(0.5) is not None:  # the connection's own events
        pass
    outcome = []

    def poll():
        # The close may first hand over its own "disconnected" event; the poll after it fails.
        for _ in range(10):
            try:
                outcome.append(client.poll_event(timeout=WAIT))
            except messenger.Error as error:
                outcome.append(error)
                return

    waiter = threading.Thread(target=poll)
    waiter.start()
    client.close()
    waiter.join(WAIT)
    assert not waiter.is_alive()
    assert isinstance(outcome[-1], messenger.Disconnected)
    assert all(isinstance(e, messenger.ConnectionEvent) for e in outcome[:-1])


def test_the_interpreter_exits_cleanly_with_objects_left_open(tmp_path):
    script = textwrap.dedent(f"""
        import messenger
        server = messenger.Server(port=0, data_dir={str(tmp_path)!r},
                                  password_cost=messenger.PasswordCost.minimum)
        server.start()
        alice = messenger.Client(server.url())
        me = alice.register_user("alice", {PASSWORD!r}).user
        alice.set_event_handler(lambda event: print("event", type(event).__name__, flush=True))
        notes = alice.open_direct_chat(me.id)
        alice.send_message(notes.id, "left open")
        print("exiting", flush=True)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "exiting" in done.stdout


def test_a_waiting_request_releases_the_gil_so_another_thread_can_close(silent_listener):
    url = f"ws://127.0.0.1:{silent_listener.port}/ws"
    client = messenger.Client(url, request_timeout=WAIT, reconnect=False, log_level="off")
    outcome = []

    def login():
        try:
            client.login("alice", PASSWORD)
        except messenger.Error as error:
            outcome.append(error)

    waiter = threading.Thread(target=login)
    waiter.start()
    # The listener's Python thread runs only if the waiting request let go of the GIL.
    assert wait_until(lambda: silent_listener.accepted)
    client.close()
    waiter.join(WAIT)
    assert not waiter.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], messenger.Disconnected)
