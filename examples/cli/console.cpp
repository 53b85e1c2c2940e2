#include "console.hpp"

#include <fmt/core.h>

#include <cstdio>

namespace messenger::cli {

void print_line(std::string_view line) {
  fmt::print(stdout, "{}\n", line);
  std::fflush(stdout);
}

void print_error(const Error& error) {
  fmt::print(stderr, "error: {}: {}\n", to_wire(error.code), error.message);
}

void print_problem(std::string_view line) {
  fmt::print(stderr, "messenger-cli: {}\n", line);
}

}  // namespace messenger::cli
