#pragma once

#include <filesystem>

#include "messenger/result.hpp"
#include "messenger/transport.hpp"

namespace messenger {

/// Serves the files of one folder over plain HTTP (the web client), read-only. Paths with
/// "..", backslashes, percent-escapes or hidden names are refused, and nothing outside the
/// folder is ever read.
class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  /// Whether `root` may be served: it must be a folder, and must not hold `data_dir` (empty
  /// when there is none), whose database it would then hand out. Errors: bad_request.
  static Result<void> check_root(const std::filesystem::path& root,
                                 const std::filesystem::path& data_dir);

  /// 200 with the file, 404, 405 (not GET or HEAD), or 400 for a path it will not read.
  HttpResponse serve(const HttpRequest& request) const;

 private:
  std::filesystem::path root_;
};

}  // namespace messenger
