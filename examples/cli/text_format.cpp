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

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    append_escaped(out, c, false);
  return out;
}

std::string quote_text(std::string_view text) {
  std::string out = "\"";
  for (char c : text)
    append_escaped(out, c, true);
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
