#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "server/static_files.hpp"

using namespace messenger;

namespace {

struct WebRoot {
  WebRoot() {
    auto pattern = (std::filesystem::temp_directory_path() / "static-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()));
    root = pattern;
    std::filesystem::create_directories(root / "site");
    std::ofstream(root / "site" / "index.html") << "<p>hello</p>";
    std::ofstream(root / "site" / "app.js") << "1;";
    std::ofstream(root / "site" / ".secret") << "hidden";
    std::ofstream(root / "outside.db") << "database";
  }
  ~WebRoot() { std::filesystem::remove_all(root); }
  std::filesystem::path root;
};

HttpResponse get(const StaticFiles& files, std::string target) {
  return files.serve({"GET", std::move(target), {}});
}

}  // namespace

TEST_CASE("static files are served with their content type, index.html for a folder") {
  WebRoot web;
  StaticFiles files(web.root / "site");
  auto index = get(files, "/");
  CHECK(index.status == 200);
  CHECK(index.body == "<p>hello</p>");
  CHECK(index.content_type.rfind("text/html", 0) == 0);
  auto script = get(files, "/app.js?v=2");
  CHECK(script.status == 200);
  CHECK(script.content_type.rfind("text/javascript", 0) == 0);
  CHECK(get(files, "/missing.html").status == 404);
}

TEST_CASE("paths that could leave the folder or reach hidden files are refused") {
  WebRoot web;
  StaticFiles files(web.root / "site");
  auto absolute_outside = "/" + (web.root / "outside.db").string();
  for (const std::string target :
       {"/../outside.db", "/..%2Foutside.db", "/%2e%2e/outside.db", "/..\\outside.db", "/.secret",
        "relative.html", "//etc/passwd", absolute_outside.c_str(), "/app.js//../../outside.db"}) {
    INFO(target);
    auto response = get(files, target);
    CHECK(response.status >= 400);
    CHECK(response.body.find("database") == std::string::npos);
    CHECK(response.body.find("hidden") == std::string::npos);
    CHECK(response.body.find("root:") == std::string::npos);
  }
  CHECK(files.serve({"POST", "/", {}}).status == 405);
}

TEST_CASE("a symbolic link inside the folder serves nothing from outside it") {
  WebRoot web;
  std::filesystem::create_symlink(web.root / "outside.db", web.root / "site" / "link.db");
  std::filesystem::create_directory_symlink(web.root, web.root / "site" / "up");
  std::filesystem::create_symlink("app.js", web.root / "site" / "inner.js");
  StaticFiles files(web.root / "site");

  for (const char* target : {"/link.db", "/up/outside.db"}) {
    INFO(target);
    auto response = get(files, target);
    CHECK(response.status == 404);
    CHECK(response.body.find("database") == std::string::npos);
  }
  CHECK(get(files, "/inner.js").body == "1;");
}

TEST_CASE("a web root must be a folder that does not hold the data folder") {
  WebRoot web;
  CHECK(StaticFiles::check_root(web.root / "site", web.root / "data").ok());
  CHECK(StaticFiles::check_root(web.root / "site", {}).ok());
  CHECK(StaticFiles::check_root(web.root / "outside.db", {}).code() == Errc::bad_request);
  CHECK(StaticFiles::check_root(web.root / "missing", {}).code() == Errc::bad_request);
  CHECK(StaticFiles::check_root(web.root, web.root / "site" / "data").code() == Errc::bad_request);
  CHECK(StaticFiles::check_root(web.root / "site", web.root / "site").code() == Errc::bad_request);
}
