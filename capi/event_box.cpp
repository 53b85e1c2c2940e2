#include "event_box.hpp"

#include "status.hpp"

namespace messenger::capi {
namespace {

static_assert(static_cast<int>(ConnectionState::connected) ==
              MSGR_STATE_CONNECTED);

}  // namespace

EventBox::EventBox(const ClientEvent &event) : msgr_event{} {
  std::visit([this](const auto &alternative) { fill(alternative); }, event);
  client_msg_id = client_msg_id_.c_str();
  error_message = error_message_.c_str();
}

void EventBox::fill(const MessageEvent &event) {
  type = MSGR_EVENT_MESSAGE;
  message_ = std::make_unique<MessageBox>(event.message);
  message = message_.get();
  chat_id = event.message.chat_id;
  cursor = event.cursor;
}

void EventBox::fill(const ReceiptEvent &event) {
  type = MSGR_EVENT_RECEIPT;
  chat_id = event.chat_id;
  user_id = event.user_id;
  delivered_seq = event.delivered_seq;
  seen_seq = event.seen_seq;
  cursor = event.cursor;
}

void EventBox::fill(const ChatEvent &event) {
  type = MSGR_EVENT_CHAT;
  chat_ = std::make_unique<ChatBox>(event.chat);
  chat = chat_.get();
  chat_id = event.chat.id;
  cursor = event.cursor;
}

void EventBox::fill(const TypingEvent &event) {
  type = MSGR_EVENT_TYPING;
  chat_id = event.chat_id;
  user_id = event.user_id;
  typing = event.typing ? 1 : 0;
}

void EventBox::fill(const PresenceEvent &event) {
  type = MSGR_EVENT_PRESENCE;
  presence_ = std::make_unique<PresenceBox>(event.presence);
  presence = presence_.get();
  user_id = event.presence.user_id;
}

void EventBox::fill(const SendResultEvent &event) {
  type = MSGR_EVENT_SEND_RESULT;
  client_msg_id_ = event.client_msg_id;
  chat_id = event.chat_id;
  if (event.ack) {
    ack_ = std::make_unique<SendAckBox>(*event.ack);
    ack = ack_.get();
  }
  fill_error(event.error);
}

void EventBox::fill(const ResetEvent &) { type = MSGR_EVENT_RESET; }

void EventBox::fill(const ConnectionEvent &event) {
  type = MSGR_EVENT_CONNECTION;
  state = static_cast<msgr_connection_state>(event.state);
  fill_error(event.error);
}

void EventBox::fill_error(const std::optional<Error> &failure) {
  if (!failure) return;
  error = to_status(failure->code);
  error_message_ =
      failure->message.empty() ? to_wire(failure->code) : failure->message;
}

}  // namespace messenger::capi

extern "C" void msgr_event_free(msgr_event *event) {
  delete static_cast<messenger::capi::EventBox *>(event);
}
