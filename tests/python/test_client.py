"""messenger.Client against a server in the same process: the whole request surface."""

import pytest

import messenger
from conftest import PASSWORD, message_with_text, wait_for


def test_a_message_reaches_the_other_member_and_its_history(new_user):
    alice, _ = new_user("alice")
    bob, bob_user = new_user("bob")
    chat = alice.open_direct_chat(bob_user.id)
    assert chat.kind == messenger.ChatKind.direct
    assert sorted(m.name for m in chat.members) == ["alice", "bob"]

    ack = alice.send_message(chat.id, "hello bob")
    assert (ack.chat_id, ack.seq) == (chat.id, 1)
    event = wait_for(bob, message_with_text("hello bob"))
    assert event.message.seq == 1 and event.cursor > 0
    assert [m.text for m in bob.history(chat.id)] == ["hello bob"]


def test_login_on_a_second_client_finds_the_same_user(new_client, new_user):
    _, alice_user = new_user("alice")
    again = new_client()
    session = again.login("alice", PASSWORD)
    assert session.user.id == alice_user.id and session.token
    assert again.user().name == "alice"
    assert again.find_user("ALICE").id == alice_user.id
    live = (messenger.ConnectionState.syncing, messenger.ConnectionState.connected)
    assert again.state() in live


def test_sending_again_with_the_same_client_msg_id_returns_the_first_ack(new_user):
    alice, me = new_user("alice")
    notes = alice.open_direct_chat(me.id)
    first = alice.send_message(notes.id, "once", client_msg_id="m-1")
    second = alice.send_message(notes.id, "once", client_msg_id="m-1")
    assert (second.message_id, second.seq) == (first.message_id, first.seq)
    assert len(alice.history(notes.id)) == 1


def test_history_pages_by_anchor_direction_and_order(new_user):
    alice, me = new_user("alice")
    notes = alice.open_direct_chat(me.id)
    for n in range(1, 6):
        alice.send_message(notes.id, f"m{n}")
    newest = alice.history(notes.id, limit=2)
    assert [m.seq for m in newest] == [5, 4]
    older = alice.history(notes.id, anchor=4, limit=2)
    assert [m.seq for m in older] == [3, 2]
    after = alice.history(notes.id, anchor=2, direction=messenger.HistoryDirection.after,
                          order=messenger.HistoryOrder.oldest_first)
    assert [m.text for m in after] == ["m3", "m4", "m5"]


def test_the_chat_list_counts_unread_until_marked_seen(new_user):
    alice, _ = new_user("alice")
    bob, bob_user = new_user("bob")
    chat = alice.open_direct_chat(bob_user.id)
    alice.send_message(chat.id, "one")
    last = alice.send_message(chat.id, "two")
    wait_for(bob, message_with_text("two"))
    [summary] = bob.list_chats()
    assert summary.chat.id == chat.id and summary.unread == 2
    assert summary.last_message.text == "two"

    bob.ack_delivered(chat.id, last.seq)
    bob.mark_seen(chat.id, last.seq)
    assert bob.list_chats()[0].unread == 0
    receipt = wait_for(alice, lambda e: isinstance(e, messenger.ReceiptEvent) and e.seen_seq == 2)
    assert receipt.user_id == bob_user.id
    status = [m.status for m in alice.history(chat.id)]
    assert status == [messenger.MessageStatus.seen] * 2


def test_groups_record_additions_renames_removals_and_departures(new_user):
    alice, _ = new_user("alice")
    bob, bob_user = new_user("bob")
    _, carol_user = new_user("carol")
    group = alice.create_group("team", [bob_user.id])
    assert group.kind == messenger.ChatKind.group and group.title == "team"
    roles = {m.name: m.role for m in alice.get_chat(group.id).members}
    assert roles == {"alice": messenger.MemberRole.owner, "bob": messenger.MemberRole.member}

    assert len(alice.add_members(group.id, [carol_user.id]).members) == 3
    assert alice.rename_chat(group.id, "crew").title == "crew"
    assert len(alice.remove_member(group.id, carol_user.id).members) == 2
    bob.leave_chat(group.id)
    kinds = [m.kind for m in alice.history(group.id, order=messenger.HistoryOrder.oldest_first)]
    assert kinds[-4:] == [messenger.MessageKind.member_added, messenger.MessageKind.chat_renamed,
                          messenger.MessageKind.member_removed, messenger.MessageKind.member_left]


def test_a_queued_message_is_answered_by_a_send_result_event(new_user):
    alice, me = new_user("alice")
    notes = alice.open_direct_chat(me.id)
    client_msg_id = alice.queue_message(notes.id, "later", client_msg_id="q-1")
    assert client_msg_id == "q-1"
    result = wait_for(alice, lambda e: isinstance(e, messenger.SendResultEvent))
    assert result.client_msg_id == "q-1" and result.error is None
    assert result.ack.chat_id == notes.id
    assert alice.outbox_size() == 0


def test_typing_and_presence_reach_the_other_member(new_user):
    alice, alice_user = new_user("alice")
    bob, bob_user = new_user("bob")
    chat = alice.open_direct_chat(bob_user.id)
    wait_for(bob, lambda e: isinstance(e, messenger.ChatEvent))
    alice.set_typing(chat.id)
    typing = wait_for(bob, lambda e: isinstance(e, messenger.TypingEvent) and e.typing)
    assert (typing.chat_id, typing.user_id) == (chat.id, alice_user.id)

    [presence] = bob.get_presence([alice_user.id])
    assert presence.online
    alice.close()
    offline = wait_for(bob, lambda e: isinstance(e, messenger.PresenceEvent)
                       and not e.presence.online)
    assert offline.presence.user_id == alice_user.id


def test_a_token_resumes_the_session_on_another_client_until_logout(new_client, new_user):
    alice, alice_user = new_user("alice")
    token = new_client().login("alice", PASSWORD).token
    resumed = new_client()
    assert resumed.resume(token).id == alice_user.id
    resumed.logout()
    with pytest.raises(messenger.SessionRevoked):
        new_client().resume(token)
    assert alice.find_user("alice").id == alice_user.id


def test_a_message_sent_from_another_device_arrives_and_moves_the_cursor(new_client, new_user):
    alice, me = new_user("alice")
    notes = alice.open_direct_chat(me.id)
    wait_for(alice, lambda e: isinstance(e, messenger.ChatEvent))
    before = alice.cursor()
    phone = new_client()
    phone.login("alice", PASSWORD)
    phone.send_message(notes.id, "tick")
    event = wait_for(alice, message_with_text("tick"))
    assert event.cursor > before
    assert alice.cursor() >= event.cursor


def test_logout_all_ends_every_session_of_the_user(new_client, new_user):
    alice, _ = new_user("alice")
    other = new_client()
    token = other.login("alice", PASSWORD).token
    alice.logout_all()
    with pytest.raises(messenger.SessionRevoked):
        new_client().resume(token)


def test_change_password_keeps_this_session_and_ends_the_others(new_client, new_user):
    alice, _ = new_user("alice")
    other_token = new_client().login("alice", PASSWORD).token
    with pytest.raises(messenger.InvalidCredentials):
        alice.change_password("wrong password", "a new long password")
    alice.change_password(PASSWORD, "a new long password")
    assert alice.find_user("alice").name == "alice"
    with pytest.raises(messenger.SessionRevoked):
        new_client().resume(other_token)
    with pytest.raises(messenger.InvalidCredentials):
        new_client().login("alice", PASSWORD)
    new_client().login("alice", "a new long password")


def test_a_data_file_keeps_the_session_for_the_next_client(new_client, tmp_path):
    data_file = tmp_path / "alice.db"
    first = new_client(data_file=data_file)
    me = first.register_user("alice", PASSWORD).user
    first.close()
    second = new_client(data_file=str(data_file))
    assert second.user() is None
    second.connect()
    assert second.user().id == me.id
    assert second.find_user("alice").id == me.id
