#pragma once

#include <string_view>

#include "messenger/error.hpp"

namespace messenger::cli {

/// Writes one line to stdout and flushes it, so that a script reading a pipe sees each line as
/// soon as it happens.
void print_line(std::string_view line);

/// Writes "error: <code>: <message>" to stderr.
void print_error(const Error& error);

/// Writes a line to stderr for failures that are the user's, not the library's (bad options).
void print_problem(std::string_view line);

}  // namespace messenger::cli
