"""The real messenger-server spoken to by Python's websockets, an independent implementation.

Exercises the protocol end to end as a third-party client would, including bad input: every
refusal must be a clear error reply on a connection that stays usable.
"""

import asyncio
import json
import os
import re
import subprocess
import tempfile
import time

import pytest
import websockets

SERVER_BIN = os.environ.get("MESSENGER_SERVER_BIN", "")
START_TIMEOUT = 30
STEP_TIMEOUT = 10


@pytest.fixture(scope="module")
def server_url():
    assert os.path.exists(SERVER_BIN), "MESSENGER_SERVER_BIN must name messenger-server"
    with tempfile.TemporaryDirectory() as data:
        process = subprocess.Popen(
            [SERVER_BIN, "--host", "127.0.0.1", "--port", "0", "--data-dir", data],
            stderr=subprocess.PIPE, text=True)
        url = None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            if match := re.search(r"listening on (ws://\S+)", line):
                url = match.group(1)
                break
        assert url, "messenger-server did not say where it listens"
        try:
            yield url
        finally:
            process.terminate()
            assert process.wait(timeout=30) == 0


class Peer:
    """One protocol connection with numbered requests and a queue of events."""

    def __init__(self, socket):
        self.socket = socket
        self.next_id = 1
        self.events = []

    @classmethod
    async def open(cls, url, **kwargs):
        peer = cls(await websockets.connect(url, **kwargs))
        reply = await peer.call("hello", protocol=1, client="python-interop")
        assert reply["ok"] is True and reply["protocol"] == 1
        return peer

    async def send_raw(self, text):
        await self.socket.send(text)

    async def receive_reply(self, request_id):
        while True:
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), STEP_TIMEOUT))
            if "event" in frame:
                self.events.append(frame)
            elif frame.get("id") == request_id:
                return frame

    async def call(self, request_type, **fields):
        request_id = self.next_id
        self.next_id += 1
        await self.socket.send(json.dumps({"id": request_id, "type": request_type, **fields}))
        return await self.receive_reply(request_id)

    async def event(self, name, **match):
        def matches(frame):
            return frame["event"] == name and all(frame.get(k) == v for k, v in match.items())
        while True:
            for index, frame in enumerate(self.events):
                if matches(frame):
                    return self.events.pop(index)
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), STEP_TIMEOUT))
            if "event" in frame:
                self.events.append(frame)


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_two_python_clients_chat_with_receipts(server_url):
    async def scenario():
        alice = await Peer.open(server_url)
        bob = await Peer.open(server_url)
        registered = await alice.call("register", name="py_alice", password="password alice")
        assert registered["ok"] and registered["token"]
        bob_user = (await bob.call("register", name="py_bob", password="password bob"))["user"]

        chat = (await alice.call("open_direct_chat", user_id=bob_user["id"]))["chat"]
        sent = await alice.call("send_message", chat_id=chat["id"], client_msg_id="m1",
                                text="hello from python ✓")
        assert sent["ok"] and sent["seq"] == 1

        message = (await bob.event("message"))["message"]
        assert message["text"] == "hello from python ✓"
        assert (await bob.call("ack_delivered", chat_id=chat["id"], seq=1))["ok"]
        receipt = await alice.event("receipt", user_id=bob_user["id"])
        assert receipt["delivered_seq"] == 1

        assert (await bob.call("mark_seen", chat_id=chat["id"], seq=1))["ok"]
        seen = await alice.event("receipt", user_id=bob_user["id"], seen_seq=1)
        assert seen["delivered_seq"] == 1

        history = await alice.call("get_history", chat_id=chat["id"])
        assert [m["status"] for m in history["messages"]] == ["seen"]
        await alice.socket.close()
        await bob.socket.close()

    run(scenario())


def test_bad_input_gets_clear_errors_and_the_connection_stays(server_url):
    async def scenario():
        peer = await Peer.open(server_url)
        await peer.send_raw("{not json")
        frame = json.loads(await asyncio.wait_for(peer.socket.recv(), STEP_TIMEOUT))
        assert frame["id"] is None and frame["error"]["code"] == "bad_request"

        unknown = await peer.call("teleport", where="moon")
        assert unknown["error"]["code"] == "unknown_type"

        early = await peer.call("list_chats")
        assert early["error"]["code"] == "unauthenticated"

        wrong = await peer.call("login", name="nobody_here", password="whatever it is")
        assert wrong["error"]["code"] == "invalid_credentials"

        await peer.call("register", name="py_carol", password="password carol")
        huge = await peer.call("send_message", chat_id=1, client_msg_id="x", text="a" * 20000)
        assert huge["error"]["code"] == "too_large"

        stranger = await peer.call("get_history", chat_id=1)
        assert stranger["error"]["code"] in ("not_a_member", "not_found")

        assert (await peer.call("list_chats"))["ok"] is True
        await peer.socket.close()

    run(scenario())


def test_a_frame_over_the_limit_is_refused(server_url):
    async def scenario():
        peer = await Peer.open(server_url, max_size=None)
        await peer.send_raw(json.dumps({"id": 9, "type": "hello", "protocol": 1,
                                        "client": "x" * (2 << 20)}))
        try:
            frame = json.loads(await asyncio.wait_for(peer.socket.recv(), STEP_TIMEOUT))
            assert frame["error"]["code"] == "too_large"
        except websockets.ConnectionClosed as closed:
            assert closed.code == 1009
        await peer.socket.close()

    run(scenario())


def test_a_foreign_browser_origin_is_refused(server_url):
    async def scenario():
        with pytest.raises(websockets.InvalidStatusCode) as refused:
            await websockets.connect(server_url, origin="http://evil.example")
        assert refused.value.status_code == 403

    run(scenario())
