#include "server/static_files.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace messenger {
namespace {

// LIMITATION: files are read whole on a network thread, so this suits a small web client, not
// large downloads; files over this size are refused.
constexpr std::uintmax_t kMaxFileBytes = 8 << 20;

HttpResponse plain(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

const char* content_type(const std::filesystem::path& path) {
  auto extension = path.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js" || extension == ".mjs") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool safe_relative_path(std::string_view path) {
  if (path.find("..") != std::string_view::npos) return false;
  // An empty segment ("//etc/passwd") would leave an absolute path after the first slash is
  // cut, and joining an absolute path to the root replaces the root.
  if (path.find("//") != std::string_view::npos) return false;
  for (char c : path) {
    if (c == '\\' || c == '%' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return path.find("/.") == std::string_view::npos;
}

/// Whether `path` is `root` or below it; both are lexically normal.
bool inside(const std::filesystem::path& root, const std::filesystem::path& path) {
  auto root_end = std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first;
  // A root written with a trailing slash ends in an empty component.
  return root_end == root.end() || (std::next(root_end) == root.end() && root_end->empty());
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

Result<void> StaticFiles::check_root(const std::filesystem::path& root,
                                     const std::filesystem::path& data_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    return Error{Errc::bad_request, "the web root " + root.string() + " is not a folder"};
  }
  if (data_dir.empty()) return {};
  auto real_root = std::filesystem::weakly_canonical(root, ec);
  if (ec) return {};
  auto real_data = std::filesystem::weakly_canonical(data_dir, ec);
  if (ec || !inside(real_root, real_data)) return {};
  return Error{Errc::bad_request, "the data folder " + data_dir.string() +
                                      " is inside the web root " + root.string() +
                                      ", which would serve its database"};
}

HttpResponse StaticFiles::serve(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    return plain(405, "only GET and HEAD\n");
  }
  std::string_view path = request.target;
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path.front() != '/' || !safe_relative_path(path)) {
    return plain(400, "bad path\n");
  }
  std::string relative(path.substr(1));
  if (relative.empty() || relative.back() == '/') relative += "index.html";

  std::error_code ec;
  auto file = (root_ / relative).lexically_normal();
  // Whatever the checks above missed, nothing outside the root is served.
  if (!inside(root_.lexically_normal(), file)) return plain(400, "bad path\n");
  if (!std::filesystem::is_regular_file(file, ec)) return plain(404, "not found\n");
  // A symbolic link inside the folder may point anywhere; only what lies inside is served.
  auto real = std::filesystem::canonical(file, ec);
  if (ec) return plain(404, "not found\n");
  auto real_root = std::filesystem::canonical(root_, ec);
  if (ec || !inside(real_root, real)) return plain(404, "not found\n");
  auto size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxFileBytes) return plain(404, "not found\n");
  std::ifstream in(file, std::ios::binary);
  if (!in) return plain(404, "not found\n");

  HttpResponse response;
  response.status = 200;
  response.content_type = content_type(file);
  response.headers["Cache-Control"] = "no-cache";
  response.headers["X-Content-Type-Options"] = "nosniff";
  // The body is read for HEAD too: the transport sends only the head, with the body's length.
  response.body.resize(static_cast<std::size_t>(size));
  if (!in.read(response.body.data(), static_cast<std::streamsize>(size))) {
    return plain(404, "not found\n");
  }
  return response;
}

}  // namespace messenger
