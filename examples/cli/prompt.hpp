#pragma once

#include <string>

#include "line_reader.hpp"
#include "messenger/result.hpp"

namespace messenger::cli {

enum class Echo { on, off };

/// Prints `question` and waits for a line; with `Echo::off` what is typed stays hidden (for
/// passwords). Errors: bad_request when the answer is empty or the input ends.
Result<std::string> ask(LineReader& input, const char* question, Echo echo);

}  // namespace messenger::cli
