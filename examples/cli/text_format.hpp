#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "messenger/types.hpp"

namespace messenger::cli {

/// Chat previews in lists are cut after this many characters (code points).
inline constexpr std::size_t kPreviewCodePoints = 40;

/// `text` on one line: backslash, newline, carriage return and tab become \\ \n \r \t, other
/// control characters \xHH. Keeps output line-oriented and stops a peer's text from sending
/// escape sequences to the terminal.
std::string escape_text(std::string_view text);

/// `escape_text` in double quotes, with `"` escaped too, for fields that may hold spaces.
std::string quote_text(std::string_view text);

/// The first `max_code_points` characters of `text`, escaped, with "…" when cut. Never cuts a
/// UTF-8 sequence in half.
std::string preview_text(std::string_view text, std::size_t max_code_points = kPreviewCodePoints);

/// The mark of one's own message: "✓" sent, "✓✓" delivered, "✓✓ seen".
const char* status_mark(MessageStatus status) noexcept;

}  // namespace messenger::cli
