#include "result_boxes.hpp"

#include <cstring>

namespace messenger::capi {
namespace {

// The C enums list the C++ ones in the same order, so a cast converts.
static_assert(static_cast<int>(ChatKind::group) == MSGR_CHAT_GROUP);
static_assert(static_cast<int>(MemberRole::owner) == MSGR_ROLE_OWNER);
static_assert(static_cast<int>(MessageStatus::seen) == MSGR_MESSAGE_SEEN);
static_assert(static_cast<int>(MessageKind::chat_renamed) ==
              MSGR_KIND_CHAT_RENAMED);

}  // namespace

UserBox::UserBox(const User &user) : msgr_user{}, name_(user.name) {
  id = user.id;
  name = name_.c_str();
  created_at = user.created_at;
  last_seen = user.last_seen;
}

SessionBox::SessionBox(const Session &session)
    : msgr_session{}, user_(session.user), token_(session.token) {
  user = &user_;
  token = token_.c_str();
}

MemberBox::MemberBox(const ChatMember &member)
    : msgr_chat_member{}, name_(member.name) {
  user_id = member.user_id;
  name = name_.c_str();
  role = static_cast<msgr_member_role>(member.role);
  delivered_seq = member.delivered_seq;
  seen_seq = member.seen_seq;
}

ChatBox::ChatBox(const Chat &chat)
    : msgr_chat{}, title_(chat.title), members_(chat.members) {
  id = chat.id;
  kind = static_cast<msgr_chat_kind>(chat.kind);
  title = title_.c_str();
  created_at = chat.created_at;
  last_seq = chat.last_seq;
  member_count = members_.size();
  members = members_.data();
}

MessageBox::MessageBox(const Message &message)
    : msgr_message{},
      client_msg_id_(message.client_msg_id),
      text_(message.text) {
  id = message.id;
  chat_id = message.chat_id;
  seq = message.seq;
  sender_id = message.sender_id;
  client_msg_id = client_msg_id_.c_str();
  text = text_.c_str();
  text_len = text_.size();
  created_at = message.created_at;
  status = static_cast<msgr_message_status>(message.status);
  kind = static_cast<msgr_message_kind>(message.kind);
  subject_id = message.subject_id;
}

SummaryBox::SummaryBox(const ChatSummary &summary)
    : msgr_chat_summary{}, chat_(summary.chat) {
  if (summary.last_message)
    last_message_ = std::make_unique<MessageBox>(*summary.last_message);
  chat = &chat_;
  last_message = last_message_.get();
  unread = summary.unread;
}

PresenceBox::PresenceBox(const Presence &presence) : msgr_presence{} {
  user_id = presence.user_id;
  online = presence.online ? 1 : 0;
  last_seen = presence.last_seen;
}

SendAckBox::SendAckBox(const SendAck &ack) : msgr_send_ack{} {
  message_id = ack.message_id;
  chat_id = ack.chat_id;
  seq = ack.seq;
  created_at = ack.created_at;
}

char *copy_string(std::string_view text) {
  auto *copy = new char[text.size() + 1];
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

}  // namespace messenger::capi

namespace capi = messenger::capi;

extern "C" {

void msgr_string_free(char *string) { delete[] string; }

void msgr_user_free(msgr_user *user) {
  delete static_cast<capi::UserBox *>(user);
}

void msgr_session_free(msgr_session *session) {
  delete static_cast<capi::SessionBox *>(session);
}

void msgr_chat_free(msgr_chat *chat) {
  delete static_cast<capi::ChatBox *>(chat);
}

void msgr_message_list_free(msgr_message_list *list) {
  delete static_cast<capi::MessageListBox *>(list);
}

void msgr_chat_list_free(msgr_chat_list *list) {
  delete static_cast<capi::ChatListBox *>(list);
}

void msgr_send_ack_free(msgr_send_ack *ack) {
  delete static_cast<capi::SendAckBox *>(ack);
}

void msgr_presence_list_free(msgr_presence_list *list) {
  delete static_cast<capi::PresenceListBox *>(list);
}

}  // extern "C"
