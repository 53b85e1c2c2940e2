/* The C ABI, tested from C: every function of messenger.h, its error
 * paths, over real loopback sockets and a real SQLite file in a temporary
 * folder. Each check aborts the program on failure, saying where and why. */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <messenger/messenger.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define REQUIRE(condition)                                               \
  do {                                                                   \
    if (!(condition)) {                                                  \
      fprintf(stderr, "%s:%d: FAILED: %s\n  last error: %s\n", __FILE__, \
              __LINE__, #condition, msgr_last_error_message());          \
      abort();                                                           \
    }                                                                    \
  } while (0)

#define REQUIRE_STATUS(expected, call)                                   \
  do {                                                                   \
    msgr_status got_ = (call);                                           \
    if (got_ != (expected)) {                                            \
      fprintf(stderr, "%s:%d: FAILED: %s\n  gave %s, expected %s: %s\n", \
              __FILE__, __LINE__, #call, msgr_status_name(got_),         \
              msgr_status_name(expected), msgr_last_error_message());    \
      abort();                                                           \
    }                                                                    \
  } while (0)

#define REQUIRE_OK(call) REQUIRE_STATUS(MSGR_OK, call)

/* Events are awaited in polls of kPollMs, at most kPolls of them. */
enum { kPolls = 100, kPollMs = 100 };
/* One byte above the server's default limit for a message's text. */
enum { kTooLargeText = (16 << 10) + 1 };
/* One byte above the server's default limit for a user name. */
enum { kLongName = 65 };

static const char *server_url;
static char data_dir[] = "/tmp/messenger-capi-test-XXXXXX";

static void sleep_ms(long ms) {
  struct timespec delay = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&delay, NULL);
}

static msgr_client *new_client(void) {
  msgr_client_options options;
  msgr_client *client = NULL;
  REQUIRE_OK(msgr_client_options_init(&options, sizeof options));
  options.url = server_url;
  options.device = "capi-test";
  options.reconnect = 0;
  REQUIRE_OK(msgr_client_create(&options, &client));
  REQUIRE(client != NULL);
  return client;
}

/* A new client logged in as a new user; the user's id goes to `id`. */
static msgr_client *new_user(const char *name, int64_t *id) {
  msgr_client *client = new_client();
  msgr_session *session = NULL;
  REQUIRE_OK(msgr_client_register(client, name, "password-of-test", &session));
  REQUIRE(session != NULL && strcmp(session->user->name, name) == 0);
  if (id) *id = session->user->id;
  msgr_session_free(session);
  return client;
}

/* The next event of `type`, skipping others; NULL when none came. */
static msgr_event *wait_event(msgr_client *client, msgr_event_type type) {
  for (int i = 0; i < kPolls; ++i) {
    msgr_event *event = NULL;
    msgr_status status = msgr_client_poll_event(client, &event, kPollMs);
    if (status == MSGR_TIMEOUT) {
      REQUIRE(event == NULL);
      continue;
    }
    REQUIRE_OK(status);
    if (event->type == type) return event;
    msgr_event_free(event);
  }
  return NULL;
}

static void versions_are_reported(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", MSGR_VERSION_MAJOR,
           MSGR_VERSION_MINOR, MSGR_VERSION_PATCH);
  REQUIRE(strcmp(msgr_version(), expected) == 0);
  REQUIRE(msgr_abi_version() == MSGR_ABI_VERSION);
  REQUIRE(strcmp(msgr_status_name(MSGR_OK), "ok") == 0);
  REQUIRE(strcmp(msgr_status_name(MSGR_NOT_A_MEMBER), "not_a_member") == 0);
  REQUIRE(strcmp(msgr_status_name(MSGR_INTERNAL), "internal") == 0);
  REQUIRE(strcmp(msgr_status_name((msgr_status)-1000), "internal") == 0);
  REQUIRE(strcmp(msgr_status_name((msgr_status)5), "internal") == 0);
}

static void option_structs_of_unknown_size_are_refused(void) {
  msgr_server_options server;
  msgr_client_options client;
  msgr_history_query query;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_options_init(NULL, 0));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_server_options_init(&server, sizeof server - 1));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_options_init(&client, sizeof client + 8));
  REQUIRE(strstr(msgr_last_error_message(), "size") != NULL);
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_history_query_init(&query, 1));

  msgr_server *no_server = (msgr_server *)&server;
  REQUIRE_OK(msgr_server_options_init(&server, sizeof server));
  REQUIRE(server.size == sizeof server && server.port == 8080);
  REQUIRE(strcmp(server.host, "127.0.0.1") == 0);
  server.size = sizeof server + 1;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_create(&server, &no_server));
  REQUIRE(no_server == NULL);

  msgr_client *no_client = NULL;
  REQUIRE_OK(msgr_client_options_init(&client, sizeof client));
  REQUIRE(client.request_timeout_ms == 10000 && client.reconnect == 1);
  client.size = 4;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_create(&client, &no_client));
  REQUIRE(no_client == NULL);
}

static void option_values_out_of_range_are_refused(void) {
  msgr_server_options server;
  msgr_server *no_server = NULL;
  REQUIRE_OK(msgr_server_options_init(&server, sizeof server));
  server.durability = (msgr_durability)7;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_create(&server, &no_server));
  REQUIRE(strstr(msgr_last_error_message(), "durability") != NULL);
  REQUIRE_OK(msgr_server_options_init(&server, sizeof server));
  server.log_level = (msgr_log_level)42;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_create(&server, &no_server));
  REQUIRE_OK(msgr_server_options_init(&server, sizeof server));
  server.allowed_origin_count = 2;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_create(&server, &no_server));
  REQUIRE(no_server == NULL);

  msgr_client_options client;
  msgr_client *no_client = NULL;
  REQUIRE_OK(msgr_client_options_init(&client, sizeof client));
  client.reconnect_min_ms = 5000;
  client.reconnect_max_ms = 10;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_create(&client, &no_client));
  REQUIRE(no_client == NULL);
}

static void null_arguments_are_refused_and_frees_accept_null(void) {
  msgr_client *client = new_client();
  msgr_user *user = (msgr_user *)&client;
  msgr_chat *chat = NULL;
  int64_t ids[1] = {1};
  size_t size = 7;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_start(NULL));
  REQUIRE(strstr(msgr_last_error_message(), "msgr_server_start") != NULL);
  REQUIRE(strstr(msgr_last_error_message(), "server") != NULL);
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_stop(NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_port(NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_url(NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_server_create(NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_create(NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_connect(NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_close(NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_state(NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_register(client, NULL, "x", NULL));
  REQUIRE(strstr(msgr_last_error_message(), "name must not be NULL") != NULL);
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_login(client, "x", NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_resume(client, NULL, &user));
  REQUIRE(user == NULL);
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_logout(NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_logout_all(NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_change_password(client, "a", NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_user(client, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_find_user(client, NULL, &user));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_open_direct_chat(NULL, 1, &chat));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_create_group(client, "g", NULL, 1, &chat));
  REQUIRE(strstr(msgr_last_error_message(), "members") != NULL);
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_list_chats(client, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_send_message(client, 1, NULL, NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_history(client, NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_ack_delivered(NULL, 1, 1));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_mark_seen(NULL, 1, 1));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_queue_message(client, 1, NULL, NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_outbox_size(NULL, &size));
  REQUIRE(size == 0);
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_cursor(client, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_set_typing(NULL, 1));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_get_presence(client, NULL, 1, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_get_chat(client, 1, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_add_members(NULL, 1, ids, 1, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_remove_member(NULL, 1, 1, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_leave_chat(NULL, 1));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_rename_chat(client, 1, NULL, NULL));
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_poll_event(client, NULL, 0));
  REQUIRE_STATUS(MSGR_BAD_REQUEST,
                 msgr_client_set_event_callback(NULL, NULL, NULL, NULL));

  msgr_string_free(NULL);
  msgr_user_free(NULL);
  msgr_session_free(NULL);
  msgr_chat_free(NULL);
  msgr_message_list_free(NULL);
  msgr_chat_list_free(NULL);
  msgr_send_ack_free(NULL);
  msgr_presence_list_free(NULL);
  msgr_event_free(NULL);
  msgr_server_free(NULL);
  msgr_client_free(NULL);
  msgr_client_free(client);
}

static void accounts_register_log_in_and_resume(void) {
  msgr_client *alice = new_client();
  msgr_session *session = NULL;
  msgr_user *user = NULL;
  msgr_connection_state state = MSGR_STATE_CONNECTED;
  REQUIRE_OK(msgr_client_state(alice, &state));
  REQUIRE(state == MSGR_STATE_DISCONNECTED);
  REQUIRE_STATUS(MSGR_UNAUTHENTICATED, msgr_client_user(alice, &user));
  REQUIRE_OK(
      msgr_client_register(alice, "acc-alice", "alice-password", &session));
  REQUIRE(session->user->id > 0 && strlen(session->token) > 0);
  REQUIRE_OK(msgr_client_user(alice, &user));
  REQUIRE(user->id == session->user->id);
  REQUIRE(strcmp(user->name, "acc-alice") == 0);
  msgr_user_free(user);
  REQUIRE_OK(msgr_client_state(alice, &state));
  REQUIRE(state == MSGR_STATE_SYNCING || state == MSGR_STATE_CONNECTED);

  msgr_client *other = new_client();
  REQUIRE_STATUS(
      MSGR_NAME_TAKEN,
      msgr_client_register(other, "acc-alice", "another-password", NULL));
  char long_name[kLongName + 1];
  memset(long_name, 'n', kLongName);
  long_name[kLongName] = '\0';
  REQUIRE_STATUS(
      MSGR_TOO_LARGE,
      msgr_client_register(other, long_name, "another-password", NULL));
  REQUIRE_STATUS(
      MSGR_INVALID_NAME,
      msgr_client_register(other, "two words", "another-password", NULL));
  REQUIRE_STATUS(MSGR_INVALID_CREDENTIALS,
                 msgr_client_login(other, "acc-alice", "wrong-password", NULL));
  REQUIRE_OK(msgr_client_resume(other, session->token, &user));
  REQUIRE(user->id == session->user->id);
  msgr_user_free(user);

  REQUIRE_OK(msgr_client_find_user(other, "acc-alice", &user));
  REQUIRE(user->id == session->user->id);
  msgr_user_free(user);
  REQUIRE_STATUS(MSGR_NOT_FOUND,
                 msgr_client_find_user(other, "acc-nobody", &user));
  REQUIRE(user == NULL);

  REQUIRE_OK(msgr_client_logout(other));
  msgr_client *third = new_client();
  REQUIRE_STATUS(MSGR_SESSION_REVOKED,
                 msgr_client_resume(third, session->token, NULL));
  msgr_session_free(session);
  msgr_client_free(third);
  msgr_client_free(other);
  msgr_client_free(alice);
}

static void a_new_password_ends_other_sessions(void) {
  msgr_client *laptop = new_user("pw-bob", NULL);
  msgr_client *phone = new_client();
  msgr_session *phone_session = NULL;
  REQUIRE_OK(
      msgr_client_login(phone, "pw-bob", "password-of-test", &phone_session));
  REQUIRE_STATUS(MSGR_INVALID_CREDENTIALS,
                 msgr_client_change_password(laptop, "not-the-password",
                                             "new-password-1"));
  REQUIRE_OK(msgr_client_change_password(laptop, "password-of-test",
                                         "new-password-1"));

  msgr_client *tablet = new_client();
  REQUIRE_STATUS(MSGR_INVALID_CREDENTIALS,
                 msgr_client_login(tablet, "pw-bob", "password-of-test", NULL));
  REQUIRE_STATUS(MSGR_SESSION_REVOKED,
                 msgr_client_resume(tablet, phone_session->token, NULL));
  REQUIRE_OK(msgr_client_login(tablet, "pw-bob", "new-password-1", NULL));

  msgr_user *user = NULL;
  REQUIRE_OK(msgr_client_find_user(laptop, "pw-bob", &user));
  msgr_user_free(user);
  msgr_session_free(phone_session);
  msgr_client_free(tablet);
  msgr_client_free(phone);
  msgr_client_free(laptop);
}

static void logout_all_ends_every_session(void) {
  msgr_client *laptop = new_user("all-carol", NULL);
  msgr_client *phone = new_client();
  msgr_session *phone_session = NULL;
  REQUIRE_OK(msgr_client_login(phone, "all-carol", "password-of-test",
                               &phone_session));
  REQUIRE_OK(msgr_client_logout_all(laptop));

  msgr_client *tablet = new_client();
  REQUIRE_STATUS(MSGR_SESSION_REVOKED,
                 msgr_client_resume(tablet, phone_session->token, NULL));
  msgr_user *user = NULL;
  REQUIRE(msgr_client_find_user(laptop, "all-carol", &user) != MSGR_OK);
  REQUIRE(user == NULL);
  msgr_session_free(phone_session);
  msgr_client_free(tablet);
  msgr_client_free(phone);
  msgr_client_free(laptop);
}

static void messages_are_sent_stored_and_read_back(void) {
  int64_t bob_id = 0;
  msgr_client *alice = new_user("msg-alice", NULL);
  msgr_client *bob = new_user("msg-bob", &bob_id);
  msgr_client *eve = new_user("msg-eve", NULL);
  msgr_chat *chat = NULL;
  REQUIRE_OK(msgr_client_open_direct_chat(alice, bob_id, &chat));
  REQUIRE(chat->kind == MSGR_CHAT_DIRECT && chat->member_count == 2);
  REQUIRE(strcmp(chat->title, "") == 0);
  msgr_chat *none = chat;
  REQUIRE_STATUS(MSGR_NOT_FOUND,
                 msgr_client_open_direct_chat(alice, 1 << 30, &none));
  REQUIRE(none == NULL);

  msgr_send_ack *first = NULL;
  msgr_send_ack *again = NULL;
  REQUIRE_OK(
      msgr_client_send_message(alice, chat->id, "hello, bob", "id-1", &first));
  REQUIRE(first->chat_id == chat->id && first->seq == 1);
  REQUIRE_OK(
      msgr_client_send_message(alice, chat->id, "hello, bob", "id-1", &again));
  REQUIRE(again->message_id == first->message_id);
  REQUIRE_OK(msgr_client_send_message(alice, chat->id, "second", NULL, NULL));
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER, msgr_client_send_message(
                                        eve, chat->id, "intruder", NULL, NULL));

  char *large = malloc(kTooLargeText + 1);
  REQUIRE(large != NULL);
  memset(large, 'x', kTooLargeText);
  large[kTooLargeText] = '\0';
  REQUIRE_STATUS(MSGR_TOO_LARGE,
                 msgr_client_send_message(alice, chat->id, large, NULL, NULL));
  free(large);

  msgr_history_query query;
  msgr_message_list *page = NULL;
  REQUIRE_OK(msgr_history_query_init(&query, sizeof query));
  REQUIRE(query.limit == 50 && query.direction == MSGR_HISTORY_BEFORE);
  query.chat_id = chat->id;
  query.order = MSGR_HISTORY_OLDEST_FIRST;
  REQUIRE_OK(msgr_client_history(bob, &query, &page));
  REQUIRE(page->count == 2);
  REQUIRE(strcmp(page->items[0]->text, "hello, bob") == 0);
  REQUIRE(page->items[0]->text_len == strlen("hello, bob"));
  REQUIRE(strcmp(page->items[0]->client_msg_id, "id-1") == 0);
  REQUIRE(page->items[1]->seq == 2 && page->items[1]->kind == MSGR_KIND_TEXT);
  msgr_message_list_free(page);
  query.anchor = 2;
  REQUIRE_OK(msgr_client_history(bob, &query, &page));
  REQUIRE(page->count == 1 && page->items[0]->seq == 1);
  msgr_message_list_free(page);
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER, msgr_client_history(eve, &query, &page));
  REQUIRE(page == NULL);
  query.order = (msgr_history_order)9;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_history(bob, &query, &page));
  query.order = MSGR_HISTORY_OLDEST_FIRST;
  query.size = 3;
  REQUIRE_STATUS(MSGR_BAD_REQUEST, msgr_client_history(bob, &query, &page));

  msgr_chat_list *chats = NULL;
  REQUIRE_OK(msgr_client_list_chats(bob, &chats));
  REQUIRE(chats->count == 1 && chats->items[0]->chat->id == chat->id);
  REQUIRE(chats->items[0]->unread == 2);
  REQUIRE(strcmp(chats->items[0]->last_message->text, "second") == 0);
  msgr_chat_list_free(chats);
  REQUIRE_OK(msgr_client_ack_delivered(bob, chat->id, 2));
  REQUIRE_OK(msgr_client_mark_seen(bob, chat->id, 2));
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER, msgr_client_mark_seen(eve, chat->id, 1));
  REQUIRE_OK(msgr_client_list_chats(bob, &chats));
  REQUIRE(chats->items[0]->unread == 0);
  msgr_chat_list_free(chats);

  msgr_chat *seen = NULL;
  REQUIRE_OK(msgr_client_get_chat(alice, chat->id, &seen));
  int bob_saw = 0;
  for (size_t i = 0; i < seen->member_count; ++i) {
    const msgr_chat_member *member = seen->members[i];
    if (member->user_id == bob_id) bob_saw = member->seen_seq == 2;
  }
  REQUIRE(bob_saw);
  msgr_chat_free(seen);
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER, msgr_client_get_chat(eve, chat->id, &seen));
  REQUIRE(seen == NULL);

  msgr_send_ack_free(first);
  msgr_send_ack_free(again);
  msgr_chat_free(chat);
  msgr_client_free(eve);
  msgr_client_free(bob);
  msgr_client_free(alice);
}

static void group_members_are_managed_by_role(void) {
  int64_t bob_id = 0;
  int64_t carol_id = 0;
  msgr_client *alice = new_user("grp-alice", NULL);
  msgr_client *bob = new_user("grp-bob", &bob_id);
  msgr_client *carol = new_user("grp-carol", &carol_id);
  msgr_chat *group = NULL;
  msgr_chat *changed = NULL;
  REQUIRE_OK(msgr_client_create_group(alice, "team", &bob_id, 1, &group));
  REQUIRE(group->kind == MSGR_CHAT_GROUP && group->member_count == 2);
  REQUIRE(strcmp(group->title, "team") == 0);

  REQUIRE_STATUS(MSGR_FORBIDDEN,
                 msgr_client_add_members(bob, group->id, &carol_id, 1, NULL));
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER,
                 msgr_client_add_members(carol, group->id, &bob_id, 1, NULL));
  REQUIRE_OK(msgr_client_add_members(alice, group->id, &carol_id, 1, &changed));
  REQUIRE(changed->member_count == 3);
  msgr_chat_free(changed);

  REQUIRE_OK(msgr_client_rename_chat(alice, group->id, "renamed", &changed));
  REQUIRE(strcmp(changed->title, "renamed") == 0);
  msgr_chat_free(changed);
  REQUIRE_STATUS(MSGR_FORBIDDEN,
                 msgr_client_remove_member(bob, group->id, carol_id, NULL));
  REQUIRE_OK(msgr_client_remove_member(alice, group->id, carol_id, &changed));
  REQUIRE(changed->member_count == 2);
  msgr_chat_free(changed);
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER,
                 msgr_client_rename_chat(carol, group->id, "mine", NULL));

  REQUIRE_OK(msgr_client_leave_chat(bob, group->id));
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER,
                 msgr_client_send_message(bob, group->id, "back?", NULL, NULL));
  msgr_chat *direct = NULL;
  REQUIRE_OK(msgr_client_open_direct_chat(alice, bob_id, &direct));
  REQUIRE_STATUS(MSGR_FORBIDDEN, msgr_client_leave_chat(bob, direct->id));

  msgr_chat *empty = NULL;
  REQUIRE_OK(msgr_client_create_group(carol, "alone", NULL, 0, &empty));
  REQUIRE(empty->member_count == 1);
  msgr_chat_free(empty);
  msgr_chat_free(direct);
  msgr_chat_free(group);
  msgr_client_free(carol);
  msgr_client_free(bob);
  msgr_client_free(alice);
}

static void events_arrive_by_polling(void) {
  int64_t alice_id = 0;
  int64_t bob_id = 0;
  msgr_client *alice = new_user("poll-alice", &alice_id);
  msgr_client *bob = new_user("poll-bob", &bob_id);
  msgr_client *idle = new_client();
  msgr_event *event = NULL;
  REQUIRE_STATUS(MSGR_TIMEOUT, msgr_client_poll_event(idle, &event, 0));
  REQUIRE(event == NULL);
  msgr_client_free(idle);
  event = wait_event(bob, MSGR_EVENT_CONNECTION);
  REQUIRE(event != NULL && event->error == MSGR_OK);
  REQUIRE(strcmp(event->error_message, "") == 0);
  msgr_event_free(event);

  msgr_chat *chat = NULL;
  REQUIRE_OK(msgr_client_open_direct_chat(alice, bob_id, &chat));
  event = wait_event(bob, MSGR_EVENT_CHAT);
  REQUIRE(event != NULL && event->chat->id == chat->id && event->cursor > 0);
  msgr_event_free(event);

  REQUIRE_OK(msgr_client_set_typing(alice, chat->id));
  event = wait_event(bob, MSGR_EVENT_TYPING);
  REQUIRE(event != NULL && event->typing == 1);
  REQUIRE(event->user_id == alice_id && event->chat_id == chat->id);
  msgr_event_free(event);
  REQUIRE_STATUS(MSGR_NOT_A_MEMBER,
                 msgr_client_set_typing(bob, chat->id + 1000));

  REQUIRE_OK(msgr_client_send_message(alice, chat->id, "ping", NULL, NULL));
  event = wait_event(bob, MSGR_EVENT_MESSAGE);
  REQUIRE(event != NULL && strcmp(event->message->text, "ping") == 0);
  REQUIRE(event->message->sender_id == alice_id);
  int64_t message_cursor = event->cursor;
  msgr_event_free(event);
  int64_t cursor = 0;
  REQUIRE_OK(msgr_client_cursor(bob, &cursor));
  REQUIRE(cursor >= message_cursor);

  REQUIRE_OK(msgr_client_mark_seen(bob, chat->id, 1));
  event = wait_event(alice, MSGR_EVENT_RECEIPT);
  REQUIRE(event != NULL && event->chat_id == chat->id);
  REQUIRE(event->user_id == bob_id && event->delivered_seq == 1);
  msgr_event_free(event);

  msgr_presence_list *presence = NULL;
  int64_t users[2] = {bob_id, 1 << 30};
  REQUIRE_OK(msgr_client_get_presence(alice, users, 2, &presence));
  REQUIRE(presence->count == 1 && presence->items[0]->user_id == bob_id);
  REQUIRE(presence->items[0]->online == 1);
  msgr_presence_list_free(presence);
  REQUIRE_OK(msgr_client_get_presence(alice, NULL, 0, &presence));
  REQUIRE(presence->count == 0);
  msgr_presence_list_free(presence);

  msgr_client_free(bob);
  event = wait_event(alice, MSGR_EVENT_PRESENCE);
  REQUIRE(event != NULL && event->presence->user_id == bob_id);
  REQUIRE(event->presence->online == 0);
  msgr_event_free(event);
  msgr_chat_free(chat);
  msgr_client_free(alice);
}

static void a_closed_client_refuses_requests_and_queues_messages(void) {
  int64_t bob_id = 0;
  msgr_client *alice = new_user("queue-alice", NULL);
  msgr_client *bob = new_user("queue-bob", &bob_id);
  msgr_chat *chat = NULL;
  REQUIRE_OK(msgr_client_open_direct_chat(alice, bob_id, &chat));

  REQUIRE_OK(msgr_client_close(alice));
  msgr_connection_state state = MSGR_STATE_CONNECTED;
  REQUIRE_OK(msgr_client_state(alice, &state));
  REQUIRE(state == MSGR_STATE_DISCONNECTED);
  REQUIRE_STATUS(MSGR_DISCONNECTED,
                 msgr_client_send_message(alice, chat->id, "x", NULL, NULL));
  char *id = NULL;
  size_t waiting = 0;
  REQUIRE_OK(msgr_client_queue_message(alice, chat->id, "queued", "q-1", &id));
  REQUIRE(strcmp(id, "q-1") == 0);
  msgr_string_free(id);
  REQUIRE_OK(msgr_client_queue_message(alice, chat->id, "made id", NULL, &id));
  REQUIRE(strlen(id) > 0);
  REQUIRE_OK(msgr_client_outbox_size(alice, &waiting));
  REQUIRE(waiting == 2);

  REQUIRE_OK(msgr_client_connect(alice));
  msgr_event *event = wait_event(alice, MSGR_EVENT_SEND_RESULT);
  REQUIRE(event != NULL && strcmp(event->client_msg_id, "q-1") == 0);
  REQUIRE(event->ack != NULL && event->error == MSGR_OK);
  REQUIRE(event->chat_id == chat->id);
  msgr_event_free(event);
  event = wait_event(alice, MSGR_EVENT_SEND_RESULT);
  REQUIRE(event != NULL && strcmp(event->client_msg_id, id) == 0);
  msgr_event_free(event);
  msgr_string_free(id);
  REQUIRE_OK(msgr_client_outbox_size(alice, &waiting));
  REQUIRE(waiting == 0);

  REQUIRE_OK(
      msgr_client_queue_message(alice, chat->id + 1000, "nowhere", NULL, NULL));
  event = wait_event(alice, MSGR_EVENT_SEND_RESULT);
  REQUIRE(event != NULL && event->ack == NULL);
  REQUIRE(event->error == MSGR_NOT_A_MEMBER);
  REQUIRE(strlen(event->error_message) > 0);
  msgr_event_free(event);
  msgr_chat_free(chat);
  msgr_client_free(bob);
  msgr_client_free(alice);
}

/* What the event callback saw; written on the client's network thread. */
typedef struct callback_record {
  atomic_int messages;
  atomic_int state_calls_ok;
  atomic_int destroyed;
  msgr_client *client;
} callback_record;

static void record_event(void *user_data, const msgr_event *event) {
  callback_record *record = user_data;
  msgr_connection_state state;
  if (msgr_client_state(record->client, &state) == MSGR_OK) {
    atomic_fetch_add(&record->state_calls_ok, 1);
  }
  if (event->type == MSGR_EVENT_MESSAGE &&
      strcmp(event->message->text, "to the callback") == 0) {
    atomic_fetch_add(&record->messages, 1);
  }
}

static void destroy_record(void *user_data) {
  callback_record *record = user_data;
  atomic_fetch_add(&record->destroyed, 1);
}

static void events_arrive_by_callback_until_it_is_removed(void) {
  int64_t bob_id = 0;
  msgr_client *alice = new_user("cb-alice", NULL);
  msgr_client *bob = new_user("cb-bob", &bob_id);
  callback_record record;
  atomic_init(&record.messages, 0);
  atomic_init(&record.state_calls_ok, 0);
  atomic_init(&record.destroyed, 0);
  record.client = bob;
  REQUIRE_OK(msgr_client_set_event_callback(bob, record_event, &record,
                                            destroy_record));

  msgr_chat *chat = NULL;
  REQUIRE_OK(msgr_client_open_direct_chat(alice, bob_id, &chat));
  REQUIRE_OK(
      msgr_client_send_message(alice, chat->id, "to the callback", NULL, NULL));
  for (int i = 0; i < kPolls && atomic_load(&record.messages) == 0; ++i) {
    sleep_ms(kPollMs);
  }
  REQUIRE(atomic_load(&record.messages) == 1);
  REQUIRE(atomic_load(&record.state_calls_ok) > 0);
  REQUIRE(atomic_load(&record.destroyed) == 0);

  REQUIRE_OK(msgr_client_set_event_callback(bob, NULL, NULL, NULL));
  REQUIRE(atomic_load(&record.destroyed) == 1);
  REQUIRE_OK(
      msgr_client_send_message(alice, chat->id, "to the poller", NULL, NULL));
  msgr_event *event = wait_event(bob, MSGR_EVENT_MESSAGE);
  REQUIRE(event != NULL && strcmp(event->message->text, "to the poller") == 0);
  msgr_event_free(event);
  REQUIRE(atomic_load(&record.messages) == 1);

  REQUIRE_OK(msgr_client_set_event_callback(bob, record_event, &record,
                                            destroy_record));
  msgr_client_free(bob);
  REQUIRE(atomic_load(&record.destroyed) == 2);
  msgr_chat_free(chat);
  msgr_client_free(alice);
}

static void count_log_line(void *user_data, msgr_log_level level,
                           const char *tag, const char *line) {
  REQUIRE(level >= MSGR_LOG_TRACE && level < MSGR_LOG_OFF);
  REQUIRE(tag != NULL && line != NULL);
  atomic_fetch_add((atomic_int *)user_data, 1);
}

static int remove_entry(const char *path, const struct stat *info, int flag,
                        struct FTW *ftw) {
  (void)info;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int main(void) {
  REQUIRE(mkdtemp(data_dir) != NULL);
  atomic_int log_lines;
  atomic_init(&log_lines, 0);
  msgr_server_options options;
  msgr_server *server = NULL;
  uint16_t port = 1;
  char *url = NULL;
  REQUIRE_OK(msgr_server_options_init(&options, sizeof options));
  options.port = 0;
  options.data_dir = data_dir;
  options.durability = MSGR_DURABILITY_NORMAL;
  options.threads = 2;
  options.password_cost = MSGR_PASSWORD_COST_MINIMUM;
  options.log_level = MSGR_LOG_INFO;
  options.log_fn = count_log_line;
  options.log_user_data = &log_lines;
  REQUIRE_OK(msgr_server_create(&options, &server));
  REQUIRE_OK(msgr_server_port(server, &port));
  REQUIRE(port == 0);
  REQUIRE_OK(msgr_server_url(server, &url));
  REQUIRE(strcmp(url, "") == 0);
  msgr_string_free(url);
  url = NULL;
  REQUIRE_OK(msgr_server_start(server));
  REQUIRE_OK(msgr_server_port(server, &port));
  REQUIRE(port != 0);
  REQUIRE_OK(msgr_server_url(server, &url));
  REQUIRE(strncmp(url, "ws://127.0.0.1:", 15) == 0);
  REQUIRE(atomic_load(&log_lines) > 0);
  server_url = url;

  char db_path[sizeof data_dir + 32];
  struct stat info;
  snprintf(db_path, sizeof db_path, "%s/messenger.db", data_dir);
  REQUIRE(stat(db_path, &info) == 0);

  versions_are_reported();
  option_structs_of_unknown_size_are_refused();
  option_values_out_of_range_are_refused();
  null_arguments_are_refused_and_frees_accept_null();
  accounts_register_log_in_and_resume();
  a_new_password_ends_other_sessions();
  logout_all_ends_every_session();
  messages_are_sent_stored_and_read_back();
  group_members_are_managed_by_role();
  events_arrive_by_polling();
  a_closed_client_refuses_requests_and_queues_messages();
  events_arrive_by_callback_until_it_is_removed();

  REQUIRE_OK(msgr_server_stop(server));
  REQUIRE_OK(msgr_server_stop(server));
  msgr_client *late = new_client();
  REQUIRE(msgr_client_login(late, "msg-alice", "password-of-test", NULL) !=
          MSGR_OK);
  msgr_client_free(late);
  msgr_string_free(url);
  msgr_server_free(server);
  nftw(data_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  puts("capi: all checks passed");
  return 0;
}
