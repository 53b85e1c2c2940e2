#include "protocol/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace messenger::protocol {
namespace {

// Exact for valid JSON, which is all that matters: invalid text fails to parse anyway.
bool nested_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

std::optional<std::int64_t> to_int64(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    auto number = value.get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(FieldReader::kInt64Max)) return std::nullopt;
    return static_cast<std::int64_t>(number);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, Errc code) {
  if (nested_deeper_than(text, kMaxJsonDepth)) {
    return Error{code, fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth)};
  }
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Error{code, "not valid JSON"};
  return value;
}

FieldReader::FieldReader(const nlohmann::json& object, Errc malformed)
    : object_(object), malformed_(malformed) {}

const nlohmann::json* FieldReader::find(std::string_view key) {
  read_.push_back(key);
  auto found = object_.find(key);
  return found == object_.end() ? nullptr : &*found;
}

void FieldReader::allow(std::string_view key) {
  read_.push_back(key);
}

void FieldReader::fail(Errc code, std::string message) {
  if (!error_) error_ = Error{code, std::move(message)};
}

std::string FieldReader::checked_text(std::string_view key, const nlohmann::json& value,
                                      TextBounds bounds) {
  if (!value.is_string()) {
    fail(malformed_, fmt::format("field \"{}\" must be a string", key));
    return {};
  }
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() > bounds.max_bytes) {
    fail(Errc::too_large,
         fmt::format("field \"{}\" must be at most {} bytes", key, bounds.max_bytes));
    return {};
  }
  if (text.size() < bounds.min_bytes) {
    fail(malformed_, bounds.min_bytes == 1 ? fmt::format("field \"{}\" must not be empty", key)
                                           : fmt::format("field \"{}\" must be at least {} bytes",
                                                         key, bounds.min_bytes));
    return {};
  }
  return text;
}

std::string FieldReader::text(std::string_view key, TextBounds bounds) {
  const auto* value = find(key);
  if (!value) {
    fail(malformed_, fmt::format("missing field \"{}\"", key));
    return {};
  }
  return checked_text(key, *value, bounds);
}

std::optional<std::string> FieldReader::optional_text(std::string_view key, TextBounds bounds) {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  auto text = checked_text(key, *value, bounds);
  if (!ok()) return std::nullopt;
  return text;
}

std::optional<std::int64_t> FieldReader::checked_integer(std::string_view key,
                                                         const nlohmann::json& value,
                                                         std::int64_t min, std::int64_t max) {
  auto number = to_int64(value);
  if (!number || *number < min || *number > max) {
    // The top of the 64-bit range tells a reader nothing, so an open range names its floor only.
    fail(malformed_,
         max == std::numeric_limits<std::int64_t>::max()
             ? fmt::format("field \"{}\" must be an integer of at least {}", key, min)
             : fmt::format("field \"{}\" must be an integer from {} to {}", key, min, max));
    return std::nullopt;
  }
  return number;
}

std::int64_t FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const auto* value = find(key);
  if (!value) {
    fail(malformed_, fmt::format("missing field \"{}\"", key));
    return 0;
  }
  return checked_integer(key, *value, min, max).value_or(0);
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view key, std::int64_t min,
                                                          std::int64_t max) {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  return checked_integer(key, *value, min, max);
}

bool FieldReader::boolean(std::string_view key) {
  const auto& value = this->value(key);
  if (!ok()) return false;
  if (!value.is_boolean()) {
    fail(malformed_, fmt::format("field \"{}\" must be true or false", key));
    return false;
  }
  return value.get<bool>();
}

std::optional<bool> FieldReader::optional_boolean(std::string_view key) {
  if (!optional_value(key)) return std::nullopt;
  return boolean(key);
}

std::vector<std::int64_t> FieldReader::integers(std::string_view key, std::int64_t min,
                                                std::size_t max_size) {
  const auto& array = value(key);
  if (!ok()) return {};
  if (!array.is_array()) {
    fail(malformed_, fmt::format("field \"{}\" must be an array", key));
    return {};
  }
  if (array.size() > max_size) {
    auto message = fmt::format("field \"{}\" must have at most {} entries", key, max_size);
    fail(Errc::too_large, std::move(message));
    return {};
  }
  std::vector<std::int64_t> numbers;
  numbers.reserve(array.size());
  for (const auto& element : array) {
    auto number = to_int64(element);
    if (!number || *number < min) {
      fail(malformed_,
           fmt::format("field \"{}\" must hold integers from {} to {}", key, min, kInt64Max));
      return {};
    }
    numbers.push_back(*number);
  }
  return numbers;
}

const nlohmann::json& FieldReader::value(std::string_view key) {
  static const nlohmann::json kNull;
  const auto* found = find(key);
  if (!found) {
    fail(malformed_, fmt::format("missing field \"{}\"", key));
    return kNull;
  }
  return *found;
}

const nlohmann::json* FieldReader::optional_value(std::string_view key) {
  return find(key);
}

std::vector<std::string> FieldReader::unread_keys() const {
  std::vector<std::string> unread;
  for (const auto& [key, value] : object_.items()) {
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) unread.push_back(key);
  }
  return unread;
}

}  // namespace messenger::protocol
