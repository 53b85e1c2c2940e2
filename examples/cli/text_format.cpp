#include "text_format.hpp"

#include <fmt/core.h>

namespace messenger::cli {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;

bool is_continuation_byte(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

void append_escaped(std::string& out, char c, bool escape_quote) {
  auto byte = static_cast<unsigned char>(c);
  switch (c) {
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '"':
      out += escape_quote ? "\\\"" : "\"";
      return;
    default:
      break;
  }
  if (byte < kFirstPrintable || byte == kDelete) {
    out += fmt::format("\\x{:02x}", byte);
  } else {
    out += c;
  }
}

// C1 controls (U+0080 to U+009F) are two bytes in UTF-8, 0xC2 then 0x80 to 0x9F; terminals
// obey some of them (U+009B starts an escape sequence), so they are shown as \xHH too.
bool is_c1_control(std::string_view text, std::size_t i) {
  return i + 1 < text.size() && static_cast<unsigned char>(text[i]) == 0xc2 &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9f;
}

void append_all_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_c1_control(text, i)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[++i]));
    } else {
      append_escaped(out, text[i], escape_quote);
    }
  }
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_all_escaped(out, text, false);
  return out;
}

std::string quote_text(std::string_view text) {
  std::string out = "\"";
  append_all_escaped(out, text, true);
  out += '"';
  return out;
}

std::string preview_text(std::string_view text, std::size_t max_code_points) {
  std::size_t code_points = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if (is_continuation_byte(static_cast<unsigned char>(text[end]))) continue;
    if (code_points == max_code_points) break;
    ++code_points;
  }
  std::string preview = escape_text(text.substr(0, end));
  if (end < text.size()) preview += "…";
  return preview;
}

const char* status_mark(MessageStatus status) noexcept {
  switch (status) {
    case MessageStatus::sent:
      return "✓";
    case MessageStatus::delivered:
      return "✓✓";
    case MessageStatus::seen:
      return "✓✓ seen";
  }
  return "✓";
}

}  // namespace messenger::cli
