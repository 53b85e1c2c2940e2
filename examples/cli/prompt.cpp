#include "prompt.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <optional>

namespace messenger::cli {

Result<std::string> ask(LineReader& input, const char* question, Echo echo) {
  std::optional<EchoOff> quiet;
  // Echo goes off before the question shows, so that nothing typed after it is echoed.
  if (echo == Echo::off) quiet.emplace(input.fd());
  fmt::print(stdout, "{}", question);
  std::fflush(stdout);
  auto answer = input.wait_line();
  if (quiet) {
    quiet.reset();
    // The Enter key was not echoed either.
    fmt::print(stdout, "\n");
  }
  if (!answer || answer->empty()) {
    return Error{Errc::bad_request, std::string("no answer to \"") + question + "\""};
  }
  return *answer;
}

}  // namespace messenger::cli
