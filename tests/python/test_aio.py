"""messenger.aio: awaitable requests and an async iterator of events."""

import asyncio

import messenger
import messenger.aio
from conftest import PASSWORD, REQUEST_TIMEOUT, WAIT


def test_awaited_sends_arrive_through_the_async_event_iterator(server):
    async def scenario():
        async with messenger.aio.AsyncClient(messenger.Client(server.url())) as alice, \
                messenger.aio.AsyncClient(messenger.Client(server.url())) as bob:
            await alice.register_user("alice", PASSWORD)
            bob_user = (await bob.register_user("bob", PASSWORD)).user
            chat = await alice.call("open_direct_chat", bob_user.id)
            ack = await alice.send_message(chat.id, "async hello")
            assert ack.seq == 1

            events = bob.events()
            while True:
                event = await asyncio.wait_for(events.__anext__(), WAIT)
                if isinstance(event, messenger.MessageEvent):
                    break
            await events.aclose()
            return event.message.text

    assert asyncio.run(asyncio.wait_for(scenario(), WAIT * 2)) == "async hello"


def test_an_awaited_request_raises_the_library_error(server):
    async def scenario():
        async with messenger.aio.AsyncClient(
                messenger.Client(server.url(), request_timeout=REQUEST_TIMEOUT)) as alice:
            try:
                await alice.login("nobody", PASSWORD)
            except messenger.InvalidCredentials:
                return "refused"

    assert asyncio.run(asyncio.wait_for(scenario(), WAIT)) == "refused"


def test_the_loop_keeps_running_while_a_request_waits(server):
    async def scenario():
        loop = asyncio.get_running_loop()
        async with messenger.aio.AsyncClient(messenger.Client(server.url())) as alice:
            request = asyncio.ensure_future(alice.register_user("alice", PASSWORD))
            # Queued behind the request's first step, so it runs in the same turn of the loop:
            # no reply can have been handed back by then, unless that step blocked the loop
            # until the reply came. No timing is involved.
            next_turn = loop.create_future()
            loop.call_soon(lambda: next_turn.set_result(request.done()))
            done_by_then = await next_turn
            await request
            return done_by_then

    assert asyncio.run(asyncio.wait_for(scenario(), WAIT)) is False
