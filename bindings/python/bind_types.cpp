#include <pybind11/stl.h>

#include "messenger/server.hpp"
#include "messenger/types.hpp"
#include "python_module.hpp"

namespace messenger::python {
namespace {

void bind_enums(py::module_& m) {
  py::enum_<ConnectionState>(m, "ConnectionState",
                             "Where a client's connection stands. `syncing`: logged in and "
                             "catching up on what happened while away.")
      .value("disconnected", ConnectionState::disconnected)
      .value("connecting", ConnectionState::connecting)
      .value("syncing", ConnectionState::syncing)
      .value("connected", ConnectionState::connected);
  py::enum_<Durability>(m, "Durability", "How hard a server's commit works to survive power loss.")
      .value("full", Durability::full, "fsync on every commit (the default)")
      .value("normal", Durability::normal, "survives a crash of the process, not a power loss");
  py::enum_<PasswordCost>(m, "PasswordCost", "How much work a password hash costs.")
      .value("interactive", PasswordCost::interactive, "Argon2id, 64 MiB (the default)")
      .value("moderate", PasswordCost::moderate, "Argon2id, 256 MiB")
      .value("minimum", PasswordCost::minimum, "the least libsodium allows: tests only");
  py::enum_<LogLevel>(m, "LogLevel", "Levels of the library's log lines.")
      .value("trace", LogLevel::trace)
      .value("debug", LogLevel::debug)
      .value("info", LogLevel::info)
      .value("warn", LogLevel::warn)
      .value("error", LogLevel::error)
      .value("off", LogLevel::off);
  py::enum_<ChatKind>(m, "ChatKind", "A direct chat between two users, or a group.")
      .value("direct", ChatKind::direct)
      .value("group", ChatKind::group);
  py::enum_<MemberRole>(m, "MemberRole", "A member's role in a chat.")
      .value("member", MemberRole::member)
      .value("admin", MemberRole::admin)
      .value("owner", MemberRole::owner);
  py::enum_<MessageKind>(m, "MessageKind",
                         "Text from a person, or a record of a change to the chat written into "
                         "its order by the server.")
      .value("text", MessageKind::text)
      .value("member_added", MessageKind::member_added, "subject_id joined, added by sender_id")
      .value("member_removed", MessageKind::member_removed, "subject_id was removed by sender_id")
      .value("member_left", MessageKind::member_left, "sender_id left")
      .value("chat_renamed", MessageKind::chat_renamed, "sender_id renamed the chat to text");
  py::enum_<MessageStatus>(m, "MessageStatus", "How far a message got for the asking user.")
      .value("sent", MessageStatus::sent)
      .value("delivered", MessageStatus::delivered)
      .value("seen", MessageStatus::seen);
  py::enum_<HistoryDirection>(m, "HistoryDirection", "Which side of the anchor a page reads.")
      .value("before", HistoryDirection::before)
      .value("after", HistoryDirection::after);
  py::enum_<HistoryOrder>(m, "HistoryOrder", "The order of the messages in a page.")
      .value("newest_first", HistoryOrder::newest_first)
      .value("oldest_first", HistoryOrder::oldest_first);
}

void bind_people(py::module_& m) {
  py::class_<User>(m, "User", "An account. Timestamps are milliseconds since the Unix epoch.")
      .def_readonly("id", &User::id)
      .def_readonly("name", &User::name)
      .def_readonly("created_at", &User::created_at)
      .def_readonly("last_seen", &User::last_seen,
                    "when the user's last connection closed; 0 if never")
      .def("__repr__",
           [](const User& u) { return py::str("User(id={}, name={!r})").format(u.id, u.name); });
  py::class_<Presence>(m, "Presence", "Whether a user is online now, and when they last were.")
      .def_readonly("user_id", &Presence::user_id)
      .def_readonly("online", &Presence::online)
      .def_readonly("last_seen", &Presence::last_seen)
      .def("__repr__", [](const Presence& p) {
        return py::str("Presence(user_id={}, online={})").format(p.user_id, p.online);
      });
  py::class_<Session>(m, "Session", "A successful login: who, and the token that resumes it.")
      .def_readonly("user", &Session::user)
      .def_readonly("token", &Session::token, "secret: keep it like a password")
      // The token stays out of the repr, which ends up in logs.
      .def("__repr__",
           [](const Session& s) { return py::str("Session(user={!r})").format(s.user); });
}

void bind_chats(py::module_& m) {
  py::class_<ChatMember>(m, "ChatMember",
                         "A member of a chat with the watermarks that give every message its "
                         "status for them.")
      .def_readonly("user_id", &ChatMember::user_id)
      .def_readonly("name", &ChatMember::name)
      .def_readonly("role", &ChatMember::role)
      .def_readonly("delivered_seq", &ChatMember::delivered_seq)
      .def_readonly("seen_seq", &ChatMember::seen_seq)
      .def("__repr__", [](const ChatMember& c) {
        return py::str("ChatMember(user_id={}, name={!r}, role={})")
            .format(c.user_id, c.name, py::cast(c.role));
      });
  py::class_<Chat>(m, "Chat", "A chat with its members, roles and watermarks.")
      .def_readonly("id", &Chat::id)
      .def_readonly("kind", &Chat::kind)
      .def_readonly("title", &Chat::title, "empty for direct chats")
      .def_readonly("created_at", &Chat::created_at)
      .def_readonly("last_seq", &Chat::last_seq, "seq of the newest message, 0 when empty")
      .def_readonly("members", &Chat::members)
      .def("__repr__", [](const Chat& c) {
        return py::str("Chat(id={}, kind={}, title={!r}, members={})")
            .format(c.id, py::cast(c.kind), c.title, c.members.size());
      });
  py::class_<ChatSummary>(m, "ChatSummary",
                          "One line of the chat list: the chat, its last message, the unread "
                          "count.")
      .def_readonly("chat", &ChatSummary::chat)
      .def_readonly("last_message", &ChatSummary::last_message)
      .def_readonly("unread", &ChatSummary::unread)
      .def("__repr__", [](const ChatSummary& s) {
        return py::str("ChatSummary(chat_id={}, unread={})").format(s.chat.id, s.unread);
      });
}

void bind_messages(py::module_& m) {
  py::class_<Message>(m, "Message", "A stored message; `seq` orders it in its chat.")
      .def_readonly("id", &Message::id)
      .def_readonly("chat_id", &Message::chat_id)
      .def_readonly("seq", &Message::seq)
      .def_readonly("sender_id", &Message::sender_id)
      .def_readonly("client_msg_id", &Message::client_msg_id, "the sender's idempotency key")
      .def_readonly("text", &Message::text)
      .def_readonly("created_at", &Message::created_at)
      .def_readonly("status", &Message::status)
      .def_readonly("kind", &Message::kind)
      .def_readonly("subject_id", &Message::subject_id, "the member a membership change is about")
      .def("__repr__", [](const Message& msg) {
        return py::str("Message(chat_id={}, seq={}, sender_id={}, kind={}, text={!r})")
            .format(msg.chat_id, msg.seq, msg.sender_id, py::cast(msg.kind), msg.text);
      });
  py::class_<SendAck>(m, "SendAck", "Acknowledgement of a stored message.")
      .def_readonly("message_id", &SendAck::message_id)
      .def_readonly("chat_id", &SendAck::chat_id)
      .def_readonly("seq", &SendAck::seq)
      .def_readonly("created_at", &SendAck::created_at)
      .def("__repr__", [](const SendAck& a) {
        return py::str("SendAck(chat_id={}, seq={}, message_id={})")
            .format(a.chat_id, a.seq, a.message_id);
      });
}

}  // namespace

void bind_types(py::module_& m) {
  bind_enums(m);
  bind_people(m);
  bind_chats(m);
  bind_messages(m);
}

}  // namespace messenger::python
