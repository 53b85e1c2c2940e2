#pragma once

#include <memory>
#include <string>
#include <vector>

#include "messenger.h"
#include "messenger/client.hpp"
#include "messenger/types.hpp"

// The C structs handed to callers, each wrapped in a "box" that derives from it
// and owns what its pointers point to. A box is built in place and never moved,
// so those pointers stay valid until the caller frees the box through its C
// struct.
namespace messenger::capi {

/// Owned boxes of one kind and the array of pointers to them that a C list
/// shows.
template <typename Box, typename View>
class BoxArray {
 public:
  template <typename Range>
  explicit BoxArray(const Range &values) {
    boxes_.reserve(values.size());
    views_.reserve(values.size());
    for (const auto &value : values) {
      boxes_.push_back(std::make_unique<Box>(value));
      views_.push_back(boxes_.back().get());
    }
  }

  std::size_t size() const { return views_.size(); }
  const View *const *data() const { return views_.data(); }

 private:
  std::vector<std::unique_ptr<Box>> boxes_;
  std::vector<const View *> views_;
};

class UserBox : public msgr_user {
 public:
  explicit UserBox(const User &user);
  UserBox(const UserBox &) = delete;
  UserBox &operator=(const UserBox &) = delete;

 private:
  std::string name_;
};

class SessionBox : public msgr_session {
 public:
  explicit SessionBox(const Session &session);
  SessionBox(const SessionBox &) = delete;
  SessionBox &operator=(const SessionBox &) = delete;

 private:
  UserBox user_;
  std::string token_;
};

class MemberBox : public msgr_chat_member {
 public:
  explicit MemberBox(const ChatMember &member);
  MemberBox(const MemberBox &) = delete;
  MemberBox &operator=(const MemberBox &) = delete;

 private:
  std::string name_;
};

class ChatBox : public msgr_chat {
 public:
  explicit ChatBox(const Chat &chat);
  ChatBox(const ChatBox &) = delete;
  ChatBox &operator=(const ChatBox &) = delete;

 private:
  std::string title_;
  BoxArray<MemberBox, msgr_chat_member> members_;
};

class MessageBox : public msgr_message {
 public:
  explicit MessageBox(const Message &message);
  MessageBox(const MessageBox &) = delete;
  MessageBox &operator=(const MessageBox &) = delete;

 private:
  std::string client_msg_id_;
  std::string text_;
};

class SummaryBox : public msgr_chat_summary {
 public:
  explicit SummaryBox(const ChatSummary &summary);
  SummaryBox(const SummaryBox &) = delete;
  SummaryBox &operator=(const SummaryBox &) = delete;

 private:
  ChatBox chat_;
  std::unique_ptr<MessageBox> last_message_;
};

class PresenceBox : public msgr_presence {
 public:
  explicit PresenceBox(const Presence &presence);
};

class SendAckBox : public msgr_send_ack {
 public:
  explicit SendAckBox(const SendAck &ack);
};

/// A C list (`count`, `items`) of boxes.
template <typename List, typename Box, typename View>
class ListBox : public List {
 public:
  template <typename Range>
  explicit ListBox(const Range &values) : List{}, items_(values) {
    this->count = items_.size();
    this->items = items_.data();
  }
  ListBox(const ListBox &) = delete;
  ListBox &operator=(const ListBox &) = delete;

 private:
  BoxArray<Box, View> items_;
};

using MessageListBox = ListBox<msgr_message_list, MessageBox, msgr_message>;
using ChatListBox = ListBox<msgr_chat_list, SummaryBox, msgr_chat_summary>;
using PresenceListBox = ListBox<msgr_presence_list, PresenceBox, msgr_presence>;

/// A string the caller frees with `msgr_string_free`.
char *copy_string(std::string_view text);

}  // namespace messenger::capi
