#include <cstddef>

#include "client_handle.hpp"
#include "result_boxes.hpp"
#include "sized_struct.hpp"
#include "status.hpp"

namespace messenger::capi {
namespace {

/// The size of `msgr_history_query` in the first version of the header.
constexpr std::size_t kHistoryQueryFirstSize =
    offsetof(msgr_history_query, limit) + sizeof(size_t);

msgr_history_query default_history_query() {
  HistoryQuery defaults;
  msgr_history_query query{};
  query.size = sizeof query;
  query.direction = MSGR_HISTORY_BEFORE;
  query.order = MSGR_HISTORY_NEWEST_FIRST;
  query.limit = defaults.limit;
  return query;
}

/// The C++ query from the caller's struct, or an error message naming what is
/// wrong.
const char *convert(const msgr_history_query &in, HistoryQuery &out) {
  msgr_history_query query = default_history_query();
  if (!read_sized(in, kHistoryQueryFirstSize, query))
    return "unknown struct size";
  if (!enum_in_range(query.direction, MSGR_HISTORY_BEFORE,
                     MSGR_HISTORY_AFTER)) {
    return "unknown direction";
  }
  if (!enum_in_range(query.order, MSGR_HISTORY_NEWEST_FIRST,
                     MSGR_HISTORY_OLDEST_FIRST)) {
    return "unknown order";
  }

  out.chat_id = query.chat_id;
  if (query.anchor != 0) out.anchor = query.anchor;
  out.direction = static_cast<HistoryDirection>(query.direction);
  out.order = static_cast<HistoryOrder>(query.order);
  out.limit = query.limit;
  return nullptr;
}

static_assert(static_cast<int>(HistoryDirection::after) == MSGR_HISTORY_AFTER);
static_assert(static_cast<int>(HistoryOrder::oldest_first) ==
              MSGR_HISTORY_OLDEST_FIRST);

/// An id array argument: NULL is allowed only with a count of 0.
Argument ids_argument(const int64_t *ids, std::size_t count, const char *name) {
  static const int64_t kNone = 0;
  return {count == 0 ? &kNone : ids, name};
}

}  // namespace
}  // namespace messenger::capi

namespace capi = messenger::capi;

extern "C" {

msgr_status msgr_client_find_user(msgr_client *client, const char *name,
                                  msgr_user **out) {
  capi::clear(out);
  return capi::guarded(__func__,
                       {{client, "client"}, {name, "name"}, {out, "out"}}, [&] {
                         return capi::deliver<capi::UserBox>(
                             client->client.find_user(name), out);
                       });
}

msgr_status msgr_client_open_direct_chat(msgr_client *client, int64_t other,
                                         msgr_chat **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    return capi::deliver<capi::ChatBox>(client->client.open_direct_chat(other),
                                        out);
  });
}

msgr_status msgr_client_create_group(msgr_client *client, const char *title,
                                     const int64_t *members, size_t count,
                                     msgr_chat **out) {
  capi::clear(out);
  return capi::guarded(__func__,
                       {{client, "client"},
                        {title, "title"},
                        capi::ids_argument(members, count, "members"),
                        {out, "out"}},
                       [&] {
                         auto ids = capi::id_list(members, count);
                         return capi::deliver<capi::ChatBox>(
                             client->client.create_group(title, ids), out);
                       });
}

msgr_status msgr_client_list_chats(msgr_client *client, msgr_chat_list **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    return capi::deliver<capi::ChatListBox>(client->client.list_chats(), out);
  });
}

msgr_status msgr_client_send_message(msgr_client *client, int64_t chat,
                                     const char *text,
                                     const char *client_msg_id,
                                     msgr_send_ack **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {text, "text"}}, [&] {
    auto ack = client->client.send_message(chat, text,
                                           capi::optional_text(client_msg_id));
    return capi::deliver<capi::SendAckBox>(ack, out);
  });
}

msgr_status msgr_history_query_init(msgr_history_query *query, size_t size) {
  return capi::guarded([&] {
    return capi::init_sized("msgr_history_query_init", query, size,
                            capi::kHistoryQueryFirstSize,
                            capi::default_history_query());
  });
}

msgr_status msgr_client_history(msgr_client *client,
                                const msgr_history_query *query,
                                msgr_message_list **out) {
  capi::clear(out);
  return capi::guarded(
      __func__, {{client, "client"}, {query, "query"}, {out, "out"}}, [&] {
        messenger::HistoryQuery converted;
        if (const char *wrong = capi::convert(*query, converted)) {
          return capi::invalid("msgr_client_history", wrong);
        }
        return capi::deliver<capi::MessageListBox>(
            client->client.history(converted), out);
      });
}

msgr_status msgr_client_ack_delivered(msgr_client *client, int64_t chat,
                                      int64_t seq) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    return capi::finish(client->client.ack_delivered(chat, seq));
  });
}

msgr_status msgr_client_mark_seen(msgr_client *client, int64_t chat,
                                  int64_t seq) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    return capi::finish(client->client.mark_seen(chat, seq));
  });
}

msgr_status msgr_client_queue_message(msgr_client *client, int64_t chat,
                                      const char *text,
                                      const char *client_msg_id,
                                      char **out_id) {
  capi::clear(out_id);
  return capi::guarded(__func__, {{client, "client"}, {text, "text"}}, [&] {
    auto id = client->client.queue_message(chat, text,
                                           capi::optional_text(client_msg_id));
    if (out_id) *out_id = capi::copy_string(id);
    return MSGR_OK;
  });
}

msgr_status msgr_client_outbox_size(const msgr_client *client, size_t *out) {
  if (out) *out = 0;
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    *out = client->client.outbox_size();
    return MSGR_OK;
  });
}

msgr_status msgr_client_cursor(const msgr_client *client, int64_t *out) {
  if (out) *out = 0;
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    *out = client->client.cursor();
    return MSGR_OK;
  });
}

msgr_status msgr_client_set_typing(msgr_client *client, int64_t chat) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    return capi::finish(client->client.set_typing(chat));
  });
}

msgr_status msgr_client_get_presence(msgr_client *client, const int64_t *users,
                                     size_t count, msgr_presence_list **out) {
  capi::clear(out);
  return capi::guarded(
      __func__,
      {{client, "client"},
       capi::ids_argument(users, count, "users"),
       {out, "out"}},
      [&] {
        auto presence =
            client->client.get_presence(capi::id_list(users, count));
        return capi::deliver<capi::PresenceListBox>(presence, out);
      });
}

msgr_status msgr_client_get_chat(msgr_client *client, int64_t chat,
                                 msgr_chat **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    return capi::deliver<capi::ChatBox>(client->client.get_chat(chat), out);
  });
}

msgr_status msgr_client_add_members(msgr_client *client, int64_t chat,
                                    const int64_t *users, size_t count,
                                    msgr_chat **out) {
  capi::clear(out);
  return capi::guarded(
      __func__, {{client, "client"}, capi::ids_argument(users, count, "users")},
      [&] {
        auto ids = capi::id_list(users, count);
        return capi::deliver<capi::ChatBox>(
            client->client.add_members(chat, ids), out);
      });
}

msgr_status msgr_client_remove_member(msgr_client *client, int64_t chat,
                                      int64_t user, msgr_chat **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    return capi::deliver<capi::ChatBox>(
        client->client.remove_member(chat, user), out);
  });
}

msgr_status msgr_client_leave_chat(msgr_client *client, int64_t chat) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    return capi::finish(client->client.leave_chat(chat));
  });
}

msgr_status msgr_client_rename_chat(msgr_client *client, int64_t chat,
                                    const char *title, msgr_chat **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {title, "title"}}, [&] {
    return capi::deliver<capi::ChatBox>(client->client.rename_chat(chat, title),
                                        out);
  });
}

}  // extern "C"
