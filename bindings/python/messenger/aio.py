"""asyncio on top of `messenger.Client`: awaitable requests and an async iterator of events.

    client = messenger.aio.AsyncClient(messenger.Client(url))
    await client.login("alice", "correct horse battery")
    await client.send_message(chat_id, "hello")
    async for event in client.events():
        ...

Each request runs the blocking call in the loop's default executor (a thread), so the loop goes on
while the library waits; the GIL is released there. Events come from the client's network thread
through `loop.call_soon_threadsafe`.
"""

import asyncio
import functools
from typing import Any, AsyncIterator

from . import Client

__all__ = ["AsyncClient"]


class AsyncClient:
    """Awaitable requests on a `messenger.Client`, which it owns: `aclose` closes it."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Awaits `client.<method>(*args, **kwargs)`, run in the loop's default executor."""
        loop = asyncio.get_running_loop()
        bound = getattr(self.client, method)
        return await loop.run_in_executor(None, functools.partial(bound, *args, **kwargs))

    async def register_user(self, name: str, password: str):
        """Awaitable `Client.register_user`."""
        return await self.call("register_user", name, password)

    async def login(self, name: str, password: str):
        """Awaitable `Client.login`."""
        return await self.call("login", name, password)

    async def send_message(self, chat_id: int, text: str, client_msg_id: str = ""):
        """Awaitable `Client.send_message`: the SendAck once the message is stored."""
        return await self.call("send_message", chat_id, text, client_msg_id)

    async def events(self) -> AsyncIterator[Any]:
        """Every event of the client, as it comes, until the loop that iterates stops.

        Sets the client's event handler while it runs and removes it at the end, so that
        events queue for `poll_event` again. Break out of the loop (or wrap a step in
        `asyncio.wait_for`) to stop waiting.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()
        self.client.set_event_handler(
            lambda event: loop.call_soon_threadsafe(queue.put_nowait, event))
        try:
            while True:
                yield await queue.get()
        finally:
            self.client.set_event_handler(None)

    async def aclose(self) -> None:
        """Closes the client, in the executor since closing joins its network thread."""
        await self.call("close")

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
