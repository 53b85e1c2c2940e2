"""Interop with Python's `websockets` (Debian 12 ships 10.4, asyncio API): a Python client
against our server, and our client against a Python server. WS_ECHO names the ws_echo binary."""

import asyncio
import os
import subprocess
import sys

import pytest
import websockets

WS_ECHO = os.environ.get("WS_ECHO", "")
LIMIT_SECONDS = 20  # bound on every wait; reaching it fails the test

pytestmark = pytest.mark.skipif(not os.path.exists(WS_ECHO), reason="set WS_ECHO to ws_echo")


@pytest.fixture()
def echo_server():
    """Our server: ws_echo in server mode, ended by closing its stdin."""
    process = subprocess.Popen(
        [WS_ECHO, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("PORT "), line
        yield f"ws://127.0.0.1:{int(line.split()[1])}/ws"
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=LIMIT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, LIMIT_SECONDS))


def test_small_text_is_echoed(echo_server):
    async def scenario():
        async with websockets.connect(echo_server) as ws:
            await ws.send("hello")
            assert await ws.recv() == "hello"

    run(scenario())


def test_a_70_kb_message_is_echoed_intact(echo_server):
    text = "".join(chr(ord("a") + i % 26) for i in range(70_000))

    async def scenario():
        async with websockets.connect(echo_server) as ws:
            await ws.send(text)
            assert await ws.recv() == text

    run(scenario())


def test_a_fragmented_message_is_reassembled(echo_server):
    async def scenario():
        async with websockets.connect(echo_server) as ws:
            await ws.send(["frag", "men", "ted \U0001F600"])  # an iterable goes as fragments
            assert await ws.recv() == "fragmented \U0001F600"

    run(scenario())


def test_emoji_and_accents_survive(echo_server):
    text = "smile \U0001F600 caf\u00e9 \u20ac \U0010FFFF"

    async def scenario():
        async with websockets.connect(echo_server) as ws:
            await ws.send(text)
            assert await ws.recv() == text

    run(scenario())


def test_a_ping_is_answered(echo_server):
    async def scenario():
        async with websockets.connect(echo_server) as ws:
            pong = await ws.ping(b"are you there")
            await asyncio.wait_for(pong, LIMIT_SECONDS)
            await ws.send("after ping")
            assert await ws.recv() == "after ping"

    run(scenario())


def test_many_messages_come_back_in_order(echo_server):
    async def scenario():
        async with websockets.connect(echo_server) as ws:
            for i in range(500):
                await ws.send(str(i))
            for i in range(500):
                assert await ws.recv() == str(i)

    run(scenario())


def test_the_client_close_code_is_echoed(echo_server):
    async def scenario():
        ws = await websockets.connect(echo_server)
        await ws.close(code=4000, reason="bye")
        assert ws.close_code == 4000

    run(scenario())


def test_the_server_close_code_reaches_the_client(echo_server):
    async def scenario():
        async with websockets.connect(echo_server) as ws:
            await ws.send("close:4001")
            with pytest.raises(websockets.ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 4001
            assert ws.close_reason == "requested"

    run(scenario())


def test_invalid_utf8_is_refused_with_1007(echo_server):
    async def scenario():
        async with websockets.connect(echo_server) as ws:
            # websockets sends bytes as binary; write a raw text frame through its protocol.
            await ws.write_frame(True, websockets.frames.OP_TEXT, b"bad \xc0\xaf")
            with pytest.raises(websockets.ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1007

    run(scenario())


def test_our_client_against_a_python_server():
    async def echo(ws):
        async for message in ws:
            await ws.send(message)

    async def scenario():
        async with websockets.serve(echo, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            client = await asyncio.create_subprocess_exec(
                WS_ECHO, "client", f"ws://127.0.0.1:{port}/ws", "40",
                stdout=asyncio.subprocess.PIPE,
            )
            output, _ = await client.communicate()
            assert client.returncode == 0, output

    run(scenario())


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
