"""Events by callback: the handler runs on the client's network thread, holding the GIL."""

import threading

import messenger

arrived = threading.Event()
texts = []


def on_event(event):
    # Short, and no blocking request of this client here: hand work to another thread.
    if isinstance(event, messenger.MessageEvent):
        texts.append(event.message.text)
        arrived.set()


with messenger.Server(port=0) as server, \
        messenger.Client(server.url()) as alice, messenger.Client(server.url()) as bob:
    alice.register_user("alice", "correct horse battery")
    bob_id = bob.register_user("bob", "correct horse battery").user.id
    bob.set_event_handler(on_event)
    chat = alice.open_direct_chat(bob_id)
    alice.send_message(chat.id, "hi bob")
    if not arrived.wait(timeout=10):
        raise SystemExit("no message within 10 s")
print(texts)
