"""Errors are exceptions: one class per error code, all under messenger.Error."""

import messenger

with messenger.Server(port=0) as server:
    with messenger.Client(server.url(), request_timeout=5) as client:
        client.register_user("alice", "correct horse battery")
        try:
            client.find_user("nobody")
        except messenger.NotFound as error:
            print("not found:", error.code, error.message)
        try:
            client.send_message(999, "into the void")
        except messenger.Error as error:  # NotAMember: the chat is not one of hers
            print(type(error).__name__, error.code)
    # The client is closed: its thread is joined and later calls raise Disconnected.
    try:
        client.find_user("alice")
    except messenger.Disconnected:
        print("closed")
