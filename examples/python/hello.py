"""The smallest messenger program: a server and a client in one process, one message."""

import messenger

with messenger.Server(port=0) as server, messenger.Client(server.url()) as client:
    session = client.register_user("alice", "correct horse battery")
    notes = client.open_direct_chat(session.user.id)  # a chat with oneself
    client.send_message(notes.id, "hello")
    print(client.history(notes.id)[0].text)
