"""Errors raise the exception class of their code, all under messenger.Error."""

import socket

import pytest

import messenger
from conftest import PASSWORD, make_server


def test_every_error_code_but_ok_has_its_own_exception_class():
    classes = [v for v in vars(messenger).values() if isinstance(v, type)
               and issubclass(v, messenger.Error) and v is not messenger.Error]
    codes = {cls.code for cls in classes}
    assert codes == set(messenger.ErrorCode.__members__.values()) - {messenger.ErrorCode.ok}
    assert len(classes) == len(codes)


def test_timeout_and_disconnected_are_also_the_builtin_errors():
    assert issubclass(messenger.Timeout, TimeoutError)
    assert issubclass(messenger.Disconnected, ConnectionError)


def test_a_wrong_password_raises_invalid_credentials_with_code_and_message(new_client, new_user):
    new_user("alice")
    with pytest.raises(messenger.InvalidCredentials) as raised:
        new_client().login("alice", "not the password")
    assert isinstance(raised.value, messenger.Error)
    assert raised.value.code == messenger.ErrorCode.invalid_credentials
    assert raised.value.message and str(raised.value) == raised.value.message


def test_a_taken_name_raises_name_taken(new_client, new_user):
    new_user("alice")
    with pytest.raises(messenger.NameTaken):
        new_client().register_user("Alice", PASSWORD)


def test_a_name_with_a_space_raises_invalid_name(new_client):
    with pytest.raises(messenger.InvalidName):
        new_client().register_user("two words", PASSWORD)


def test_reading_a_chat_of_others_raises_not_a_member(new_user):
    alice, _ = new_user("alice")
    bob, bob_user = new_user("bob")
    _, carol_user = new_user("carol")
    chat = bob.open_direct_chat(carol_user.id)
    with pytest.raises(messenger.NotAMember):
        alice.history(chat.id)
    with pytest.raises(messenger.NotAMember):
        alice.send_message(chat.id, "let me in")


def test_an_unknown_user_raises_not_found(new_user):
    alice, _ = new_user("alice")
    with pytest.raises(messenger.NotFound):
        alice.find_user("nobody")


def test_renaming_a_direct_chat_raises_forbidden(new_user):
    alice, _ = new_user("alice")
    _, bob_user = new_user("bob")
    chat = alice.open_direct_chat(bob_user.id)
    with pytest.raises(messenger.Forbidden):
        alice.rename_chat(chat.id, "ours")


def test_a_text_over_the_limit_raises_too_large(new_user):
    alice, me = new_user("alice")
    notes = alice.open_direct_chat(me.id)
    with pytest.raises(messenger.TooLarge):
        alice.send_message(notes.id, "x" * ((16 << 10) + 1))  # Limits.max_text_bytes + 1


def test_a_request_after_the_server_stopped_raises_disconnected(tmp_path):
    server = make_server(tmp_path / "data")
    server.start()
    with messenger.Client(server.url(), reconnect=False) as alice:
        alice.register_user("alice", PASSWORD)
        server.stop()
        with pytest.raises(messenger.Disconnected):
            alice.find_user("alice")


def test_a_server_that_never_answers_raises_timeout(silent_listener):
    url = f"ws://127.0.0.1:{silent_listener.port}/ws"
    with messenger.Client(url, request_timeout=0.3, reconnect=False, log_level="off") as client:
        with pytest.raises(messenger.Timeout) as raised:
            client.login("alice", PASSWORD)
    assert isinstance(raised.value, TimeoutError)


def test_nothing_listening_raises_disconnected(silent_listener):
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    with messenger.Client(f"ws://127.0.0.1:{port}/ws", reconnect=False, log_level="off") as c:
        with pytest.raises(messenger.Disconnected):
            c.connect()


def test_negative_durations_raise_value_error():
    with pytest.raises(ValueError, match="request_timeout"):
        messenger.Client(request_timeout=-1)
    with pytest.raises(ValueError, match="timeout"):
        with messenger.Client() as client:
            client.poll_event(-0.5)


def test_a_reconnect_minimum_above_the_maximum_raises_value_error():
    with pytest.raises(ValueError, match="reconnect_min must not be above reconnect_max"):
        messenger.Client(reconnect_min=5, reconnect_max=0.01)
