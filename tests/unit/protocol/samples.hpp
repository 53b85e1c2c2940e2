#pragma once

#include <vector>

#include "protocol/messages.hpp"

// One filled-in value of every request, reply and event, for round trips.
namespace messenger::protocol::samples {

inline User user() {
  return User{.id = 2, .name = "bob", .created_at = 1717171800000, .last_seen = 1717179000000};
}

inline Chat group() {
  return Chat{.id = 13,
              .kind = ChatKind::group,
              .title = "Climbing \xF0\x9F\xA7\x97",
              .created_at = 1717172100000,
              .last_seq = 7,
              .members = {{.user_id = 1,
                           .name = "alice",
                           .role = MemberRole::owner,
                           .delivered_seq = 7,
                           .seen_seq = 7},
                          {.user_id = 2,
                           .name = "bob",
                           .role = MemberRole::admin,
                           .delivered_seq = 5,
                           .seen_seq = 3},
                          {.user_id = 3,
                           .name = "carol",
                           .role = MemberRole::member,
                           .delivered_seq = 0,
                           .seen_seq = 0}}};
}

// An empty chat with oneself.
inline Chat direct() {
  return Chat{.id = 12,
              .kind = ChatKind::direct,
              .title = "",
              .created_at = 1717172000000,
              .last_seq = 0,
              .members = {{.user_id = 1,
                           .name = "alice",
                           .role = MemberRole::member,
                           .delivered_seq = 0,
                           .seen_seq = 0}}};
}

inline Message message(Seq seq, MessageStatus status) {
  return Message{.id = 90 + seq,
                 .chat_id = 13,
                 .seq = seq,
                 .sender_id = 1,
                 .client_msg_id = "c-" + std::to_string(seq),
                 .text = "line one\nline \"two\" \\ \xC3\xA9",
                 .created_at = 1717175000000 + seq,
                 .status = status};
}

// A record of a change written into the chat's order: carol (3) added by bob (2).
inline Message member_added(Seq seq) {
  return Message{.id = 90 + seq,
                 .chat_id = 13,
                 .seq = seq,
                 .sender_id = 2,
                 .client_msg_id = "",
                 .text = "",
                 .created_at = 1717175000000 + seq,
                 .status = MessageStatus::delivered,
                 .kind = MessageKind::member_added,
                 .subject_id = 3};
}

inline std::vector<RequestBody> requests() {
  HistoryQuery history{.chat_id = 13,
                       .anchor = 40,
                       .direction = HistoryDirection::after,
                       .order = HistoryOrder::oldest_first,
                       .limit = 20};
  return {
      Hello{.protocol = 1, .client = "test-client/1.0"},
      Register{.name = "alice", .password = "correct horse", .device = "laptop"},
      Login{.name = "alice", .password = "correct horse", .device = "phone"},
      Resume{.token = "hV2bq8sYQ0rJm3kT1xZp9wLc4nD7fE6gA5uR-iO_yBs"},
      Logout{},
      Logout{.all = true},
      ChangePassword{.current = "correct horse", .password = "battery staple"},
      FindUser{.name = "bob"},
      OpenDirectChat{.user_id = 2},
      CreateGroup{.title = "Climbing", .members = {2, 3}},
      ListChats{},
      SendMessage{.chat_id = 13, .client_msg_id = "c-1", .text = "hello \xE2\x9C\x93"},
      AckDelivered{.chat_id = 13, .seq = 7},
      MarkSeen{.chat_id = 13, .seq = 0},
      GetHistory{.query = history},
      Sync{.cursor = 96, .limit = 200},
      Typing{.chat_id = 13},
      GetPresence{.user_ids = {2, 3}},
      GetChat{.chat_id = 13},
      AddMembers{.chat_id = 13, .user_ids = {4, 5}},
      RemoveMember{.chat_id = 13, .user_id = 3},
      LeaveChat{.chat_id = 13},
      RenameChat{.chat_id = 13, .title = "Bouldering \xF0\x9F\xA7\x97"},
  };
}

inline std::vector<ReplyBody> replies() {
  return {
      HelloReply{.protocol = 1, .server = "messenger/0.1"},
      SessionReply{.user = user(), .token = "hV2bq8sYQ0rJm3kT1xZp9wLc4nD7fE6gA5uR-iO_yBs"},
      UserReply{.user = user()},
      ChatReply{.chat = group()},
      ChatListReply{.chats = {{.chat = group(),
                               .last_message = message(7, MessageStatus::delivered),
                               .unread = 2},
                              {.chat = direct(), .last_message = std::nullopt, .unread = 0}}},
      SendReply{.ack = {.message_id = 96, .chat_id = 13, .seq = 8, .created_at = 1717175100000}},
      HistoryReply{.messages = {message(7, MessageStatus::seen), message(6, MessageStatus::sent)}},
      EmptyReply{},
      SyncReply{.updates = {ChatEvent{.chat = group(), .cursor = 90},
                            MessageEvent{.message = member_added(8), .cursor = 98},
                            ReceiptEvent{.chat_id = 13,
                                         .user_id = 3,
                                         .delivered_seq = 8,
                                         .seen_seq = 8,
                                         .cursor = 99}},
                .cursor = 99,
                .more = true},
      SyncReply{.updates = {}, .cursor = 120, .more = false},
      PresenceReply{.presence = {{.user_id = 2, .online = true, .last_seen = 1717179000000},
                                 {.user_id = 3, .online = false, .last_seen = 0}}},
  };
}

inline std::vector<ServerEvent> events() {
  return {
      MessageEvent{.message = message(8, MessageStatus::sent), .cursor = 98},
      ReceiptEvent{.chat_id = 13, .user_id = 2, .delivered_seq = 8, .seen_seq = 6, .cursor = 101},
      ChatEvent{.chat = group(), .cursor = 102},
      TypingEvent{.chat_id = 13, .user_id = 2, .typing = true},
      PresenceEvent{.presence = {.user_id = 2, .online = false, .last_seen = 1717179000000}},
      MessageEvent{.message = member_added(9), .cursor = 103},
  };
}

}  // namespace messenger::protocol::samples
