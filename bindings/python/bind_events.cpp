#include <pybind11/stl.h>

#include "python_module.hpp"

namespace messenger::python {
namespace {

py::object optional_error(const std::optional<Error>& error) {
  return error ? error_object(*error) : py::none();
}

void bind_stream_events(py::module_& m) {
  py::class_<MessageEvent>(m, "MessageEvent",
                           "A message arrived in one of the user's chats (the user's own from "
                           "another device too), or a record of a change to a chat.")
      .def_readonly("message", &MessageEvent::message)
      .def_readonly("cursor", &MessageEvent::cursor, "its position in the update stream")
      .def("__repr__",
           [](const MessageEvent& e) { return py::str("MessageEvent({!r})").format(e.message); });
  py::class_<ReceiptEvent>(m, "ReceiptEvent",
                           "A member's watermarks moved: every message up to delivered_seq is "
                           "delivered to them, up to seen_seq seen by them.")
      .def_readonly("chat_id", &ReceiptEvent::chat_id)
      .def_readonly("user_id", &ReceiptEvent::user_id)
      .def_readonly("delivered_seq", &ReceiptEvent::delivered_seq)
      .def_readonly("seen_seq", &ReceiptEvent::seen_seq)
      .def_readonly("cursor", &ReceiptEvent::cursor)
      .def("__repr__", [](const ReceiptEvent& e) {
        return py::str("ReceiptEvent(chat_id={}, user_id={}, delivered_seq={}, seen_seq={})")
            .format(e.chat_id, e.user_id, e.delivered_seq, e.seen_seq);
      });
  py::class_<ChatEvent>(m, "ChatEvent",
                        "The user was added to a chat (a direct chat someone opened, or a "
                        "group).")
      .def_readonly("chat", &ChatEvent::chat)
      .def_readonly("cursor", &ChatEvent::cursor)
      .def("__repr__",
           [](const ChatEvent& e) { return py::str("ChatEvent({!r})").format(e.chat); });
  py::class_<ResetEvent>(m, "ResetEvent",
                         "The server no longer holds the updates since this client's cursor: "
                         "fetch chats and histories again; the events that follow may repeat.")
      .def("__repr__", [](const ResetEvent&) { return py::str("ResetEvent()"); });
}

void bind_live_events(py::module_& m) {
  py::class_<TypingEvent>(m, "TypingEvent",
                          "A member is typing in a chat (`typing`), or stopped. Never stored.")
      .def_readonly("chat_id", &TypingEvent::chat_id)
      .def_readonly("user_id", &TypingEvent::user_id)
      .def_readonly("typing", &TypingEvent::typing)
      .def("__repr__", [](const TypingEvent& e) {
        return py::str("TypingEvent(chat_id={}, user_id={}, typing={})")
            .format(e.chat_id, e.user_id, e.typing);
      });
  py::class_<PresenceEvent>(m, "PresenceEvent",
                            "A user who shares a chat with this one came online or went "
                            "offline.")
      .def_readonly("presence", &PresenceEvent::presence)
      .def("__repr__", [](const PresenceEvent& e) {
        return py::str("PresenceEvent({!r})").format(e.presence);
      });
  py::class_<SendResultEvent>(m, "SendResultEvent",
                              "A message queued with Client.queue_message was stored (`ack`) "
                              "or refused for good (`error`, an exception instance, not "
                              "raised).")
      .def_readonly("client_msg_id", &SendResultEvent::client_msg_id)
      .def_readonly("chat_id", &SendResultEvent::chat_id)
      .def_readonly("ack", &SendResultEvent::ack)
      .def_property_readonly("error",
                             [](const SendResultEvent& e) { return optional_error(e.error); })
      .def("__repr__", [](const SendResultEvent& e) {
        return py::str("SendResultEvent(client_msg_id={!r}, ack={!r}, error={!r})")
            .format(e.client_msg_id, e.ack, optional_error(e.error));
      });
  py::class_<ConnectionEvent>(m, "ConnectionEvent",
                              "The connection changed state; `error` (an exception instance, "
                              "not raised) says why it dropped.")
      .def_readonly("state", &ConnectionEvent::state)
      .def_property_readonly("error",
                             [](const ConnectionEvent& e) { return optional_error(e.error); })
      .def("__repr__", [](const ConnectionEvent& e) {
        return py::str("ConnectionEvent(state={}, error={!r})")
            .format(py::cast(e.state), optional_error(e.error));
      });
}

}  // namespace

py::object event_object(const ClientEvent& event) {
  return std::visit([](const auto& alternative) { return py::cast(alternative); }, event);
}

void bind_events(py::module_& m) {
  bind_stream_events(m);
  bind_live_events(m);
}

}  // namespace messenger::python
