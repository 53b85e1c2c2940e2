#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace messenger::cli {

/// Splits a command line at spaces; "double quotes" keep spaces inside one word, so that a
/// group title can have them: /group "Team chat" bob carol.
std::vector<std::string> split_command_words(std::string_view line);

}  // namespace messenger::cli
