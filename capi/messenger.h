/*
 * messenger.h: the C ABI of messenger, an embeddable messaging engine.
 *
 * One header for C11 and C++. It wraps the C++ `messenger::Server` and
 * `messenger::Client`; the library `libmessenger.so` holds the whole
 * engine and exports only the `msgr_` functions below.
 *
 * Rules that hold for every function:
 *
 * - Status: a function that can fail returns `msgr_status`: MSGR_OK (0) or
 *   a negative code. Then `msgr_last_error_message()` says why, in words.
 *   An invalid argument (a NULL handle, a NULL required pointer, a wrong
 *   struct size, an unknown enum value) gives MSGR_BAD_REQUEST.
 * - No C++ exception leaves the library; running out of memory gives
 *   MSGR_INTERNAL with the message "out of memory".
 * - Handles (`msgr_server`, `msgr_client`) are opaque. `_create` writes a
 *   new handle to its out-parameter; `_free` releases it. Each handle may
 *   be used from several threads at once, except `_free`, which must be the
 *   last call on it.
 * - Ownership: strings and structs passed IN are borrowed for the call
 *   only; the library copies what it keeps. Results come OUT as objects
 *   the library allocates and the caller owns: release each one with its
 *   own `_free` function (`msgr_chat_free`, `msgr_string_free`, ...),
 *   exactly once. Pointers inside a result (names, members, items) belong
 *   to that result and stay valid until it is freed; never free them on
 *   their own. Every `_free` function accepts NULL. On failure an
 *   out-parameter is set to NULL (or 0) when it is not NULL itself.
 * - Results are read-only and only grow at their end, so a program built
 *   against this header keeps working with a later library.
 * - Structs passed IN start with `size_t size`, set by the `_init`
 *   function to `sizeof` of the caller's struct; fields are only ever
 *   added at the end, and the library reads no further than `size`.
 * - Strings are NUL-terminated UTF-8. Ids, sequence numbers and cursors
 *   are int64_t; times are milliseconds since the Unix epoch, UTC.
 */
#ifndef MESSENGER_MESSENGER_H
#define MESSENGER_MESSENGER_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define MSGR_API __attribute__((visibility("default")))
#else
#define MSGR_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ---------------------------------------------------------- */

#define MSGR_VERSION_MAJOR 0
#define MSGR_VERSION_MINOR 1
#define MSGR_VERSION_PATCH 0
/* Raised when a change breaks programs built against an older header. */
#define MSGR_ABI_VERSION 1

/* "major.minor.patch" of the linked library, which may differ from the
 * header's. Static string; never fails. */
MSGR_API const char *msgr_version(void);
/* MSGR_ABI_VERSION of the linked library. Never fails. */
MSGR_API int msgr_abi_version(void);

/* ---- Status codes and errors ------------------------------------------- */

/* The same failures as the C++ `messenger::Errc`, negated. */
typedef enum msgr_status {
  MSGR_OK = 0,
  MSGR_BAD_REQUEST = -1,         /* malformed request or invalid argument */
  MSGR_UNSUPPORTED_VERSION = -2, /* the server speaks another protocol */
  MSGR_UNKNOWN_TYPE = -3,        /* request type the server does not know */
  MSGR_UNAUTHENTICATED = -4,     /* the call needs a logged-in session */
  MSGR_INVALID_CREDENTIALS = -5, /* wrong user name or password */
  MSGR_SESSION_REVOKED = -6,     /* the token was logged out or revoked */
  MSGR_NAME_TAKEN = -7,          /* a user with that name exists */
  MSGR_INVALID_NAME = -8,        /* user name empty, too long, forbidden */
  MSGR_NOT_FOUND = -9,           /* no such user, chat or message */
  MSGR_NOT_A_MEMBER = -10,       /* the user is not a member of the chat */
  MSGR_FORBIDDEN = -11,          /* a member, but the role does not allow */
  MSGR_TOO_LARGE = -12,          /* a size limit was exceeded */
  MSGR_RATE_LIMITED = -13,       /* too many requests; retry later */
  MSGR_TIMEOUT = -14,            /* no answer (or no event) in time */
  MSGR_DISCONNECTED = -15,       /* the connection is closed */
  MSGR_PROTOCOL_ERROR = -16,     /* the peer broke the protocol */
  MSGR_STORAGE_ERROR = -17,      /* the store failed; nothing committed */
  MSGR_SHUTTING_DOWN = -18,      /* the server is stopping */
  MSGR_CURSOR_EXPIRED = -19,     /* the update stream no longer reaches */
  MSGR_INTERNAL = -20            /* a bug, or out of memory */
} msgr_status;

/* The message of the last failed call on the calling thread ("" if none
 * failed yet). Owned by the library, valid until the next msgr_ call on
 * the same thread. Never fails. */
MSGR_API const char *msgr_last_error_message(void);
/* The snake_case name of a code, as on the wire ("not_a_member"); "ok"
 * for MSGR_OK, "internal" for an unknown value. Static string. */
MSGR_API const char *msgr_status_name(msgr_status status);

/* ---- Logging ----------------------------------------------------------- */

/* The library never prints; it hands log lines to the host's callback. */
typedef enum msgr_log_level {
  MSGR_LOG_TRACE,
  MSGR_LOG_DEBUG,
  MSGR_LOG_INFO,
  MSGR_LOG_WARN,
  MSGR_LOG_ERROR,
  MSGR_LOG_OFF
} msgr_log_level;

/* Called from library threads, possibly several at once; must return
 * quickly and call nothing of the handle that logs. `tag` names the
 * subsystem ("server", "store", "client", ...). Both strings are valid
 * during the call only. */
typedef void (*msgr_log_fn)(void *user_data, msgr_log_level level,
                            const char *tag, const char *line);

/* ---- Owned results ----------------------------------------------------- */

/* A string the library allocated; release it with msgr_string_free. */
MSGR_API void msgr_string_free(char *string);

typedef struct msgr_user {
  int64_t id;
  const char *name;
  int64_t created_at;
  int64_t last_seen; /* when the last connection closed; 0 if never */
} msgr_user;
MSGR_API void msgr_user_free(msgr_user *user);

typedef struct msgr_session {
  const msgr_user *user;
  const char *token; /* secret: keep it like a password */
} msgr_session;
MSGR_API void msgr_session_free(msgr_session *session);

typedef enum msgr_chat_kind {
  MSGR_CHAT_DIRECT,
  MSGR_CHAT_GROUP
} msgr_chat_kind;

typedef enum msgr_member_role {
  MSGR_ROLE_MEMBER,
  MSGR_ROLE_ADMIN,
  MSGR_ROLE_OWNER
} msgr_member_role;

typedef struct msgr_chat_member {
  int64_t user_id;
  const char *name;
  msgr_member_role role;
  int64_t delivered_seq; /* highest seq this member's devices hold */
  int64_t seen_seq;      /* highest seq this member saw */
} msgr_chat_member;

typedef struct msgr_chat {
  int64_t id;
  msgr_chat_kind kind;
  const char *title; /* "" for direct chats */
  int64_t created_at;
  int64_t last_seq; /* seq of the newest message, 0 when empty */
  size_t member_count;
  const msgr_chat_member *const *members;
} msgr_chat;
MSGR_API void msgr_chat_free(msgr_chat *chat);

/* Text, or a record of a change to the chat written into its order. */
typedef enum msgr_message_kind {
  MSGR_KIND_TEXT,
  MSGR_KIND_MEMBER_ADDED,   /* subject_id added by sender_id */
  MSGR_KIND_MEMBER_REMOVED, /* subject_id removed by sender_id */
  MSGR_KIND_MEMBER_LEFT,    /* sender_id left */
  MSGR_KIND_CHAT_RENAMED    /* sender_id renamed the chat to `text` */
} msgr_message_kind;

typedef enum msgr_message_status {
  MSGR_MESSAGE_SENT,
  MSGR_MESSAGE_DELIVERED,
  MSGR_MESSAGE_SEEN
} msgr_message_status;

typedef struct msgr_message {
  int64_t id;
  int64_t chat_id;
  int64_t seq; /* 1, 2, 3, ... in its chat, without gaps */
  int64_t sender_id;
  const char *client_msg_id; /* the sender's idempotency key */
  const char *text;
  size_t text_len; /* bytes in `text`, which may hold NUL bytes */
  int64_t created_at;
  msgr_message_status status; /* for the asking user */
  msgr_message_kind kind;
  int64_t subject_id; /* the member a membership change is about */
} msgr_message;

typedef struct msgr_message_list {
  size_t count;
  const msgr_message *const *items;
} msgr_message_list;
MSGR_API void msgr_message_list_free(msgr_message_list *list);

/* One line of the chat list. */
typedef struct msgr_chat_summary {
  const msgr_chat *chat;
  const msgr_message *last_message; /* NULL when the chat is empty */
  int64_t unread; /* messages from others above the seen watermark */
} msgr_chat_summary;

typedef struct msgr_chat_list {
  size_t count;
  const msgr_chat_summary *const *items; /* newest activity first */
} msgr_chat_list;
MSGR_API void msgr_chat_list_free(msgr_chat_list *list);

/* The acknowledgement of a stored message. */
typedef struct msgr_send_ack {
  int64_t message_id;
  int64_t chat_id;
  int64_t seq;
  int64_t created_at;
} msgr_send_ack;
MSGR_API void msgr_send_ack_free(msgr_send_ack *ack);

typedef struct msgr_presence {
  int64_t user_id;
  int online; /* 1 or 0 */
  int64_t last_seen;
} msgr_presence;

typedef struct msgr_presence_list {
  size_t count;
  const msgr_presence *const *items;
} msgr_presence_list;
MSGR_API void msgr_presence_list_free(msgr_presence_list *list);

/* ---- Server ------------------------------------------------------------ */

typedef struct msgr_server msgr_server;

typedef enum msgr_durability {
  MSGR_DURABILITY_FULL,  /* fsync on every commit */
  MSGR_DURABILITY_NORMAL /* survives a crash of the process only */
} msgr_durability;

typedef enum msgr_password_cost {
  MSGR_PASSWORD_COST_INTERACTIVE, /* Argon2id, 64 MiB */
  MSGR_PASSWORD_COST_MODERATE,    /* Argon2id, 256 MiB */
  MSGR_PASSWORD_COST_MINIMUM      /* for tests and benchmarks only */
} msgr_password_cost;

typedef struct msgr_server_options {
  size_t size;
  const char *host;     /* address to listen on; "127.0.0.1" */
  uint16_t port;        /* 0 picks a free port; 8080 by default */
  const char *data_dir; /* folder of messenger.db, created; "data" */
  msgr_durability durability;
  const char *web_root; /* static files over HTTP; NULL or "": none */
  unsigned threads;     /* network threads; 0: one per core */
  msgr_password_cost password_cost;
  /* Browser origins allowed besides the server's own; "*" allows all. */
  const char *const *allowed_origins;
  size_t allowed_origin_count;
  msgr_log_level log_level; /* MSGR_LOG_INFO */
  msgr_log_fn log_fn;       /* NULL: no logging */
  void *log_user_data;      /* must outlive the server handle */
} msgr_server_options;

/* Fills `options` with the defaults above and sets `options->size`; pass
 * `sizeof *options`. Errors: MSGR_BAD_REQUEST (NULL, unknown size). */
MSGR_API msgr_status msgr_server_options_init(msgr_server_options *options,
                                              size_t size);

/* Creates a stopped server; nothing opens until msgr_server_start.
 * Errors: MSGR_BAD_REQUEST. */
MSGR_API msgr_status msgr_server_create(const msgr_server_options *options,
                                        msgr_server **out);
/* Opens the store and starts listening on threads of its own.
 * Errors: MSGR_STORAGE_ERROR (the store is unusable, or another server
 * holds data_dir), MSGR_INTERNAL (cannot bind). */
MSGR_API msgr_status msgr_server_start(msgr_server *server);
/* Answers what is queued, commits, closes every connection and returns
 * when all is done. Calling it twice is harmless. */
MSGR_API msgr_status msgr_server_stop(msgr_server *server);
/* The bound port once started (0 before). */
MSGR_API msgr_status msgr_server_port(const msgr_server *server, uint16_t *out);
/* "ws://host:port/ws" once started, "" before; free with
 * msgr_string_free. */
MSGR_API msgr_status msgr_server_url(const msgr_server *server, char **out);
/* Stops the server if it runs, then releases it. */
MSGR_API void msgr_server_free(msgr_server *server);

/* ---- Client ------------------------------------------------------------ */

typedef struct msgr_client msgr_client;

typedef struct msgr_client_options {
  size_t size;
  const char *url;             /* "ws://127.0.0.1:8080/ws" */
  const char *device;          /* shown in the user's session list */
  uint32_t request_timeout_ms; /* 10000 */
  int auto_ack_delivered;      /* 1: acknowledge each arrival at once */
  /* 1: after a dropped connection (not after close or a revoked session),
   * reconnect, resume and catch up, waiting a random time up to a bound
   * doubling from reconnect_min_ms (250) to reconnect_max_ms (30000). */
  int reconnect;
  uint32_t reconnect_min_ms;
  uint32_t reconnect_max_ms;
  /* SQLite file keeping the token, cursor and outbox across restarts;
   * NULL or "": memory only. */
  const char *data_file;
  msgr_log_level log_level; /* MSGR_LOG_INFO */
  msgr_log_fn log_fn;       /* NULL: no logging */
  void *log_user_data;      /* must outlive the client handle */
} msgr_client_options;

typedef enum msgr_connection_state {
  MSGR_STATE_DISCONNECTED,
  MSGR_STATE_CONNECTING,
  MSGR_STATE_SYNCING, /* logged in, catching up; live events follow */
  MSGR_STATE_CONNECTED
} msgr_connection_state;

/* Fills `options` with the defaults above and sets `options->size`; pass
 * `sizeof *options`. Errors: MSGR_BAD_REQUEST. */
MSGR_API msgr_status msgr_client_options_init(msgr_client_options *options,
                                              size_t size);
/* Creates a client and its network thread; it connects when asked.
 * Errors: MSGR_BAD_REQUEST. */
MSGR_API msgr_status msgr_client_create(const msgr_client_options *options,
                                        msgr_client **out);
/* Closes the connection, stops the network thread, then releases the
 * client. No callback runs after it returns. */
MSGR_API void msgr_client_free(msgr_client *client);

/*
 * Requests. Each blocks the calling thread until the server answers or
 * the request timeout passes (MSGR_TIMEOUT); several threads may call at
 * once. While disconnected they fail at once with MSGR_DISCONNECTED;
 * register, login and resume connect first.
 */

/* Connects, agrees on the protocol and resumes the session the client
 * holds, if any. Errors: MSGR_DISCONNECTED, MSGR_UNSUPPORTED_VERSION,
 * MSGR_TIMEOUT, MSGR_STORAGE_ERROR (data_file unusable). */
MSGR_API msgr_status msgr_client_connect(msgr_client *client);
/* Closes the connection; pending requests fail with MSGR_DISCONNECTED.
 * The client stays usable: connect again later. */
MSGR_API msgr_status msgr_client_close(msgr_client *client);
MSGR_API msgr_status msgr_client_state(const msgr_client *client,
                                       msgr_connection_state *out);

/* Creates an account and logs in. `out` may be NULL. Errors:
 * MSGR_NAME_TAKEN, MSGR_INVALID_NAME, MSGR_BAD_REQUEST (password). */
MSGR_API msgr_status msgr_client_register(msgr_client *client, const char *name,
                                          const char *password,
                                          msgr_session **out);
/* `out` may be NULL. Errors: MSGR_INVALID_CREDENTIALS; MSGR_RATE_LIMITED
 * after repeated wrong passwords for the name (the last error says how
 * long to wait). */
MSGR_API msgr_status msgr_client_login(msgr_client *client, const char *name,
                                       const char *password,
                                       msgr_session **out);
/* Logs in with the token of an earlier session. `out` may be NULL.
 * Errors: MSGR_SESSION_REVOKED. */
MSGR_API msgr_status msgr_client_resume(msgr_client *client, const char *token,
                                        msgr_user **out);
/* Ends this session: its token stops working at once. */
MSGR_API msgr_status msgr_client_logout(msgr_client *client);
/* Ends every session of the user, this one included. */
MSGR_API msgr_status msgr_client_logout_all(msgr_client *client);
/* Replaces the password; every other session of the user ends. Errors:
 * MSGR_INVALID_CREDENTIALS (`current` wrong), MSGR_BAD_REQUEST,
 * MSGR_RATE_LIMITED (as for login). */
MSGR_API msgr_status msgr_client_change_password(msgr_client *client,
                                                 const char *current,
                                                 const char *replacement);
/* The user logged in on this client. Errors: MSGR_UNAUTHENTICATED. */
MSGR_API msgr_status msgr_client_user(const msgr_client *client,
                                      msgr_user **out);

/* Errors: MSGR_NOT_FOUND. */
MSGR_API msgr_status msgr_client_find_user(msgr_client *client,
                                           const char *name, msgr_user **out);
/* The direct chat with `other`, created the first time.
 * Errors: MSGR_NOT_FOUND. */
MSGR_API msgr_status msgr_client_open_direct_chat(msgr_client *client,
                                                  int64_t other,
                                                  msgr_chat **out);
/* A group of the caller (owner) and `members` (`count` ids; the array
 * may be NULL when count is 0). Errors: MSGR_NOT_FOUND, MSGR_TOO_LARGE. */
MSGR_API msgr_status msgr_client_create_group(msgr_client *client,
                                              const char *title,
                                              const int64_t *members,
                                              size_t count, msgr_chat **out);
/* Every chat of the user with its last message and unread count. */
MSGR_API msgr_status msgr_client_list_chats(msgr_client *client,
                                            msgr_chat_list **out);
/* Sends text and waits until it is stored. `client_msg_id` NULL or ""
 * makes one; sending again with the same id stores nothing new and gives
 * the first acknowledgement. `out` may be NULL.
 * Errors: MSGR_NOT_A_MEMBER, MSGR_TOO_LARGE. */
MSGR_API msgr_status msgr_client_send_message(msgr_client *client, int64_t chat,
                                              const char *text,
                                              const char *client_msg_id,
                                              msgr_send_ack **out);

typedef enum msgr_history_direction {
  MSGR_HISTORY_BEFORE, /* messages with seq below the anchor */
  MSGR_HISTORY_AFTER   /* messages with seq above the anchor */
} msgr_history_direction;

typedef enum msgr_history_order {
  MSGR_HISTORY_NEWEST_FIRST,
  MSGR_HISTORY_OLDEST_FIRST
} msgr_history_order;

typedef struct msgr_history_query {
  size_t size;
  int64_t chat_id;
  /* 0: from the newest end (BEFORE) or the oldest end (AFTER). */
  int64_t anchor;
  msgr_history_direction direction; /* MSGR_HISTORY_BEFORE */
  msgr_history_order order;         /* MSGR_HISTORY_NEWEST_FIRST */
  size_t limit;                     /* 50; 1 to 200 (TOO_LARGE above) */
} msgr_history_query;

/* Fills `query` with the defaults above; pass `sizeof *query`. */
MSGR_API msgr_status msgr_history_query_init(msgr_history_query *query,
                                             size_t size);
/* A page of a chat's history. Errors: MSGR_NOT_A_MEMBER. */
MSGR_API msgr_status msgr_client_history(msgr_client *client,
                                         const msgr_history_query *query,
                                         msgr_message_list **out);
/* This user's devices hold every message up to `seq` (done by itself
 * with auto_ack_delivered). */
MSGR_API msgr_status msgr_client_ack_delivered(msgr_client *client,
                                               int64_t chat, int64_t seq);
/* Marks the chat seen up to `seq`. */
MSGR_API msgr_status msgr_client_mark_seen(msgr_client *client, int64_t chat,
                                           int64_t seq);

/* Queues text and returns at once, without blocking: it is sent now if
 * connected, else after the next reconnect, and retried with the same id
 * until the server answers with a MSGR_EVENT_SEND_RESULT event.
 * `client_msg_id` NULL or "" makes one; `out_id` (may be NULL) receives
 * it, to free with msgr_string_free. */
MSGR_API msgr_status msgr_client_queue_message(msgr_client *client,
                                               int64_t chat, const char *text,
                                               const char *client_msg_id,
                                               char **out_id);
/* Messages queued and not yet answered. Does not block. */
MSGR_API msgr_status msgr_client_outbox_size(const msgr_client *client,
                                             size_t *out);
/* The position in the user's update stream the client caught up to. */
MSGR_API msgr_status msgr_client_cursor(const msgr_client *client,
                                        int64_t *out);

/* Tells the chat's other members that this user types; repeat every few
 * seconds while typing goes on. Errors: MSGR_NOT_A_MEMBER,
 * MSGR_RATE_LIMITED. */
MSGR_API msgr_status msgr_client_set_typing(msgr_client *client, int64_t chat);
/* Online state of the `count` users who share a chat with this one
 * (others are left out of the answer). */
MSGR_API msgr_status msgr_client_get_presence(msgr_client *client,
                                              const int64_t *users,
                                              size_t count,
                                              msgr_presence_list **out);
/* The chat with members, roles and watermarks.
 * Errors: MSGR_NOT_A_MEMBER. */
MSGR_API msgr_status msgr_client_get_chat(msgr_client *client, int64_t chat,
                                          msgr_chat **out);
/* `out` may be NULL. Errors: MSGR_FORBIDDEN (not an admin, or a direct
 * chat), MSGR_NOT_A_MEMBER, MSGR_NOT_FOUND. */
MSGR_API msgr_status msgr_client_add_members(msgr_client *client, int64_t chat,
                                             const int64_t *users, size_t count,
                                             msgr_chat **out);
/* `out` may be NULL. Errors: MSGR_FORBIDDEN, MSGR_NOT_A_MEMBER. */
MSGR_API msgr_status msgr_client_remove_member(msgr_client *client,
                                               int64_t chat, int64_t user,
                                               msgr_chat **out);
/* Errors: MSGR_FORBIDDEN (a direct chat), MSGR_NOT_A_MEMBER. */
MSGR_API msgr_status msgr_client_leave_chat(msgr_client *client, int64_t chat);
/* `out` may be NULL. Errors: MSGR_FORBIDDEN, MSGR_NOT_A_MEMBER,
 * MSGR_TOO_LARGE. */
MSGR_API msgr_status msgr_client_rename_chat(msgr_client *client, int64_t chat,
                                             const char *title,
                                             msgr_chat **out);

/* ---- Events ------------------------------------------------------------ */

typedef enum msgr_event_type {
  MSGR_EVENT_MESSAGE,     /* message, chat_id, cursor */
  MSGR_EVENT_RECEIPT,     /* chat_id, user_id, delivered_seq, seen_seq,
                             cursor */
  MSGR_EVENT_CHAT,        /* chat (the user was added), chat_id, cursor */
  MSGR_EVENT_TYPING,      /* chat_id, user_id, typing */
  MSGR_EVENT_PRESENCE,    /* presence, user_id */
  MSGR_EVENT_SEND_RESULT, /* client_msg_id, chat_id, then ack or error */
  MSGR_EVENT_RESET,       /* the stream expired: refetch chats, history */
  MSGR_EVENT_CONNECTION   /* state, and error when the connection dropped */
} msgr_event_type;

/* One event. The fields its type does not list are 0 or NULL. */
typedef struct msgr_event {
  msgr_event_type type;
  int64_t cursor; /* position in the update stream; 0 for live-only */
  const msgr_message *message;
  const msgr_chat *chat;
  int64_t chat_id;
  int64_t user_id;
  int64_t delivered_seq;
  int64_t seen_seq;
  int typing; /* 1: started, 0: stopped */
  const msgr_presence *presence;
  const char *client_msg_id;
  const msgr_send_ack *ack;  /* SEND_RESULT: stored */
  msgr_status error;         /* SEND_RESULT: refused; CONNECTION: why */
  const char *error_message; /* "" when error is MSGR_OK */
  msgr_connection_state state;
} msgr_event;
MSGR_API void msgr_event_free(msgr_event *event);

/* The next event, waiting up to `timeout_ms` (0: do not wait); free it
 * with msgr_event_free. While a callback is set, events go to it and
 * this waits in vain. Errors: MSGR_TIMEOUT (no event came). */
MSGR_API msgr_status msgr_client_poll_event(msgr_client *client,
                                            msgr_event **out,
                                            uint32_t timeout_ms);

/* `event` is borrowed for the call only. */
typedef void (*msgr_event_fn)(void *user_data, const msgr_event *event);
typedef void (*msgr_destroy_fn)(void *user_data);

/*
 * Instead of polling: `callback` gets every event, in order, on the
 * client's network thread; events queued before it was set come first.
 * NULL goes back to polling. While it runs, the client receives nothing
 * else, so it must return quickly, and of the same client it may call
 * only msgr_client_state, _outbox_size, _cursor and _queue_message. A
 * blocking request from there fails at once with MSGR_BAD_REQUEST, since
 * it would wait for the very thread it runs on; set_event_callback and
 * free would too, and are not allowed. It must not throw or longjmp.
 * `destroy` (may be NULL) gets `user_data` once, after the last call of
 * `callback`: when another callback (or NULL) replaces it, or when the
 * client is freed. With a NULL `callback`, `user_data` and `destroy` are
 * ignored. A call that fails does not call `destroy`.
 */
MSGR_API msgr_status msgr_client_set_event_callback(msgr_client *client,
                                                    msgr_event_fn callback,
                                                    void *user_data,
                                                    msgr_destroy_fn destroy);

#ifdef __cplusplus
}
#endif

#endif /* MESSENGER_MESSENGER_H */
