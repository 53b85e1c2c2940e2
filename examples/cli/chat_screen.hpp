#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "event_inbox.hpp"
#include "line_reader.hpp"
#include "messenger/client.hpp"
#include "name_book.hpp"
#include "receipt_book.hpp"

namespace messenger::cli {

/// Messages shown when a chat is opened, and by /history without a count.
inline constexpr std::size_t kHistoryStep = 20;
/// Own messages whose mark may still change; beyond this, those of the lowest chat ids and
/// seqs stop updating.
inline constexpr std::size_t kMaxTrackedMarks = 1000;

/// The interactive terminal of a signed-in user: commands and messages typed on stdin, and
/// events printed as they arrive. Runs on one thread: it waits on stdin and on the event inbox
/// at once, so blocking requests never run on the client's network thread.
class ChatScreen {
 public:
  ChatScreen(Client& client, Session session, LineReader& input, EventInbox& inbox);

  /// Runs until /quit or the end of input. Errors: only when waiting on input fails; failed
  /// commands are printed and the screen goes on.
  Result<void> run();

 private:
  void handle_line(const std::string& line);
  void handle_events();
  void on_event(const MessageEvent& event);
  void on_event(const ReceiptEvent& event);
  void on_event(const ChatEvent& event);
  void on_event(const ConnectionEvent& event);
  void on_event(const TypingEvent& event);
  void on_event(const PresenceEvent& event);
  /// Events this screen has nothing to show for.
  void on_event(const SendResultEvent&) {}
  void on_event(const ResetEvent&) {}

  // Commands; each prints its own errors.
  void show_help();
  void list_chats();
  void open_direct(const std::vector<std::string>& words);
  void create_group(const std::vector<std::string>& words);
  void show_history(const std::vector<std::string>& words);
  void send_text(const std::string& text);
  void change_password();
  enum class Everywhere { no, yes };
  /// Ends this session (or every session of the user) and leaves the screen.
  void log_out(Everywhere everywhere);

  bool ensure_connected();
  Result<void> refresh_chats();
  void remember(const Chat& chat);
  void show_chat(const Chat& chat);
  Result<void> print_history_page(ChatId chat, std::optional<Seq> before, std::size_t count);
  void print_message(const Message& message);
  std::string describe_change(const Message& message);
  void mark_seen(ChatId chat, Seq seq);
  /// Follows the marks of one of our messages until it is seen.
  void track_own_mark(ChatId chat, Seq seq, MessageStatus status);
  std::string label_of(ChatId chat) const;
  std::string name_of(UserId user) const;

  Client& client_;
  Session session_;
  LineReader& input_;
  EventInbox& inbox_;
  NameBook names_;
  ReceiptBook receipts_;

  /// Why the screen closed on its own: the session ended on the server.
  std::optional<Error> session_ended_;
  std::optional<ChatId> open_chat_;
  Seq oldest_shown_ = 0;  ///< in the open chat, where /history goes on from
  std::map<ChatId, Seq> newest_incoming_;
  std::map<ChatId, Seq> newest_own_sent_;
  std::map<std::pair<ChatId, Seq>, MessageStatus> own_marks_;  ///< not yet seen
  std::optional<Seq> seen_to_mark_;  ///< newest message of others shown in the open chat
  bool syncing_ = false;
  bool online_ = false;  // between ConnectionEvents syncing and connected
  bool quit_ = false;
};

}  // namespace messenger::cli
