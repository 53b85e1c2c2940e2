#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messenger/result.hpp"

// Reading JSON from the network, shared by the server's request decoder and the client's frame
// parser. Nothing here throws.
namespace messenger::protocol {

/// Arrays and objects nested deeper than this are refused before parsing. Real messages nest
/// at most six deep; the bound keeps every recursive walk over untrusted input shallow.
inline constexpr std::size_t kMaxJsonDepth = 16;

/// One JSON value, or why `text` is not one (malformed, or nested deeper than kMaxJsonDepth).
/// The error carries `code`.
Result<nlohmann::json> parse_json(std::string_view text, Errc code);

struct TextBounds {
  std::size_t min_bytes = 0;
  std::size_t max_bytes = std::numeric_limits<std::size_t>::max();
};

/// Reads the fields of one JSON object. Every read checks presence, type and range; the first
/// problem is kept and later reads return empty values, so a whole message reads as one
/// expression followed by one check of `ok()`. Keys nobody read are reported by `unread_keys`;
/// the reader keeps views of the keys it is given, so pass string literals.
class FieldReader {
 public:
  /// `object` must be a JSON object and outlive the reader. Problems of form get `malformed`;
  /// strings and arrays over their maximum get too_large.
  FieldReader(const nlohmann::json& object, Errc malformed);

  std::string text(std::string_view key, TextBounds bounds = {});
  std::optional<std::string> optional_text(std::string_view key, TextBounds bounds = {});
  std::int64_t integer(std::string_view key, std::int64_t min = kInt64Min,
                       std::int64_t max = kInt64Max);
  std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min = kInt64Min,
                                               std::int64_t max = kInt64Max);
  bool boolean(std::string_view key);
  std::optional<bool> optional_boolean(std::string_view key);
  /// An array of integers in [min, kInt64Max] with at most `max_size` entries.
  std::vector<std::int64_t> integers(std::string_view key, std::int64_t min, std::size_t max_size);
  /// The value of a required key of any type; null when it is missing.
  const nlohmann::json& value(std::string_view key);
  /// The value of an optional key; nullptr when it is missing.
  const nlohmann::json* optional_value(std::string_view key);

  /// Marks a key as known without reading it.
  void allow(std::string_view key);
  /// Keys present in the object that were neither read nor allowed, in the object's order.
  std::vector<std::string> unread_keys() const;

  /// Records a problem unless one is already recorded.
  void fail(Errc code, std::string message);
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  static constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
  static constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

 private:
  const nlohmann::json* find(std::string_view key);
  std::optional<std::int64_t> checked_integer(std::string_view key, const nlohmann::json& value,
                                              std::int64_t min, std::int64_t max);
  std::string checked_text(std::string_view key, const nlohmann::json& value, TextBounds bounds);

  const nlohmann::json& object_;
  Errc malformed_;
  std::vector<std::string_view> read_;
  std::optional<Error> error_;
};

}  // namespace messenger::protocol
