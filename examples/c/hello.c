/* A messenger server and two clients in one C program: alice sends bob a
 * message; bob prints it when it arrives. */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <messenger/messenger.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long bob waits for the message, in polls of kPollMs. */
enum { kPolls = 100, kPollMs = 100 };

static int remove_entry(const char *path, const struct stat *info, int flag,
                        struct FTW *ftw) {
  (void)info;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static int check(msgr_status status, const char *what) {
  if (status == MSGR_OK) return 1;
  fprintf(stderr, "%s failed: %s (%s)\n", what, msgr_status_name(status),
          msgr_last_error_message());
  return 0;
}

static msgr_client *connect_client(const char *url) {
  msgr_client_options options;
  msgr_client *client = NULL;
  msgr_client_options_init(&options, sizeof options);
  options.url = url;
  if (!check(msgr_client_create(&options, &client), "msgr_client_create")) {
    return NULL;
  }
  return client;
}

/* Waits for the first message event and prints it. */
static int receive_one(msgr_client *client, const char *who) {
  for (int i = 0; i < kPolls; ++i) {
    msgr_event *event = NULL;
    if (msgr_client_poll_event(client, &event, kPollMs) != MSGR_OK) continue;
    int found = event->type == MSGR_EVENT_MESSAGE;
    if (found) printf("%s received: %s\n", who, event->message->text);
    msgr_event_free(event);
    if (found) return 1;
  }
  fprintf(stderr, "%s received nothing\n", who);
  return 0;
}

static int chat(const char *url) {
  msgr_client *alice = connect_client(url);
  msgr_client *bob = connect_client(url);
  msgr_session *bob_session = NULL;
  msgr_chat *direct = NULL;
  int ok =
      alice && bob &&
      check(msgr_client_register(alice, "alice", "alice-password", NULL),
            "register alice") &&
      check(msgr_client_register(bob, "bob", "bob-password-1", &bob_session),
            "register bob") &&
      check(msgr_client_open_direct_chat(alice, bob_session->user->id, &direct),
            "open chat") &&
      check(
          msgr_client_send_message(alice, direct->id, "hello, bob", NULL, NULL),
          "send") &&
      receive_one(bob, "bob");
  msgr_chat_free(direct);
  msgr_session_free(bob_session);
  msgr_client_free(bob);
  msgr_client_free(alice);
  return ok;
}

int main(void) {
  char data_dir[] = "/tmp/messenger-c-example-XXXXXX";
  if (!mkdtemp(data_dir)) {
    perror("mkdtemp");
    return 1;
  }

  msgr_server_options options;
  msgr_server *server = NULL;
  char *url = NULL;
  msgr_server_options_init(&options, sizeof options);
  options.port = 0;
  options.data_dir = data_dir;
  int ok = check(msgr_server_create(&options, &server), "create server") &&
           check(msgr_server_start(server), "start server") &&
           check(msgr_server_url(server, &url), "server url");
  if (ok) printf("messenger %s, server at %s\n", msgr_version(), url);
  ok = ok && chat(url);

  msgr_string_free(url);
  msgr_server_free(server);
  nftw(data_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  return ok ? 0 : 1;
}
