#include <fmt/core.h>

#include "console.hpp"
#include "name_book.hpp"
#include "script_modes.hpp"
#include "text_format.hpp"

namespace messenger::cli {

Result<void> run_list_chats(Client& client, const Session& session) {
  auto chats = client.list_chats();
  if (!chats) return chats.error();
  NameBook names(session.user);
  for (const auto& summary : *chats)
    names.remember(summary.chat);

  for (const auto& summary : *chats) {
    const Chat& chat = summary.chat;
    std::string last = summary.last_message ? summary.last_message->text : std::string();
    print_line(fmt::format("chat id={} kind={} unread={} last_seq={} name={} last={}", chat.id,
                           to_string(chat.kind), summary.unread, chat.last_seq,
                           quote_text(names.chat_label(chat.id)), quote_text(last)));
  }
  return {};
}

}  // namespace messenger::cli
