#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace messenger::examples {

/// Reads `--name value` and `--name=value` pairs in order, handing each to
/// `apply(name, value)`, which returns an error text or an empty string. `--help` and `-h`
/// set `show_help` and stop the reading. Returns the first error, or an empty string.
template <typename Apply>
std::string read_long_options(const std::vector<std::string>& args, bool& show_help,
                              Apply&& apply) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      show_help = true;
      return {};
    }
    if (arg.rfind("--", 0) != 0) return "unexpected argument " + arg;

    std::string name = arg.substr(2);
    std::string value;
    if (auto equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "option " + arg + " needs a value";
    }

    if (auto error = apply(name, value); !error.empty()) return error;
  }
  return {};
}

}  // namespace messenger::examples
