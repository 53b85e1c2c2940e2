#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "exit_registry.hpp"
#include "messenger/server.hpp"
#include "python_log.hpp"
#include "python_module.hpp"

namespace messenger::python {
namespace {

/// `messenger.Server`: owns the C++ server and keeps Python's side of its threads safe. Every
/// call into the library releases the GIL, since library threads take it to log.
class PyServer {
 public:
  PyServer(ServerOptions options, LogLevel log_level) : log_(make_log_callback(this)) {
    options.log = python_log_options(log_, log_level);
    {
      py::gil_scoped_release release;
      server_ = std::make_shared<Server>(std::move(options));
    }
    ExitRegistry::add(this, [this] { stop(); });
  }

  ~PyServer() {
    ExitRegistry::remove(this);
    if (!in_callback_of(this)) {
      stop();
      return;
    }
    // Collected by Python on one of the server's own threads: stopping joins that thread, so
    // another thread does it, without Python.
    log_->clear();
    std::thread([server = std::move(server_)] { server->stop(); }).detach();
  }

  PyServer(const PyServer&) = delete;
  PyServer& operator=(const PyServer&) = delete;

  void start() {
    auto server = native("start");
    Result<void> started;
    std::uint16_t port = 0;
    std::string url;
    {
      py::gil_scoped_release release;
      started = server->start();
      if (started) {
        port = server->port();
        url = server->url();
      }
      // When stop() ran meanwhile, this is the last reference: destroy it without the GIL.
      server.reset();
    }
    unwrap(std::move(started));
    port_ = port;
    url_ = std::move(url);
  }

  void stop() {
    if (in_callback_of(this)) {
      throw std::runtime_error("Server.stop() cannot be called from the server's own threads");
    }
    auto server = std::move(server_);
    if (server) {
      py::gil_scoped_release release;
      server->stop();
      server.reset();
    }
    log_->clear();
  }

  bool running() const { return server_ && port_ != 0; }
  std::uint16_t port() const { return port_; }
  std::string url() const { return url_; }

 private:
  std::shared_ptr<Server> native(const char* method) const {
    if (!server_) {
      throw std::runtime_error(std::string("Server.") + method +
                               "(): the server was stopped; make a new Server");
    }
    return server_;
  }

  std::shared_ptr<PythonCallback> log_;
  std::shared_ptr<Server> server_;  // null once stopped
  std::uint16_t port_ = 0;          // kept after stop, for messages and reconnect tests
  std::string url_;
};

std::unique_ptr<PyServer> make_server(std::string host, std::uint16_t port,
                                      std::optional<std::filesystem::path> data_dir,
                                      Durability durability, std::filesystem::path web_root,
                                      unsigned threads, std::vector<std::string> allowed_origins,
                                      PasswordCost password_cost, const py::object& log_level) {
  ServerOptions options;
  options.host = std::move(host);
  options.port = port;
  if (data_dir) {
    options.data_dir = data_dir->string();
  } else {
    options.store = open_memory_store();
  }
  options.durability = durability;
  options.web_root = web_root.string();
  options.threads = threads;
  options.allowed_origins = std::move(allowed_origins);
  options.password_cost = password_cost;
  return std::make_unique<PyServer>(std::move(options), to_log_level(log_level));
}

}  // namespace

void bind_server(py::module_& m) {
  py::class_<PyServer>(m, "Server",
                       "A whole messenger backend inside this process: accounts, chats, durable "
                       "history and live delivery over WebSocket.\n\n"
                       "    with messenger.Server(port=0, data_dir='data') as server:\n"
                       "        print(server.url())\n\n"
                       "`with` starts the server and stops it at the end. The server runs its "
                       "own threads; its log lines go to Python's logging ('messenger.server', "
                       "'messenger.store', ...).")
      .def(py::init(&make_server), py::kw_only(), py::arg("host") = "127.0.0.1",
           py::arg("port") = 0, py::arg("data_dir") = py::none(),
           py::arg("durability") = Durability::full, py::arg("web_root") = "",
           py::arg("threads") = 0, py::arg("allowed_origins") = std::vector<std::string>{},
           py::arg("password_cost") = PasswordCost::interactive, py::arg("log_level") = "info",
           "Sets the server up without starting it.\n\n"
           "host, port: where to listen; port 0 picks a free port (see port()).\n"
           "data_dir: folder of the SQLite database (messenger.db), created when missing; None "
           "keeps everything in memory, gone when the server goes.\n"
           "durability: Durability.full (fsync each commit) or Durability.normal.\n"
           "web_root: folder of static files served over HTTP (the web client); '' serves "
           "none.\n"
           "threads: network threads; 0 means one per core.\n"
           "allowed_origins: browser origins allowed besides the server's own; '*' allows all.\n"
           "password_cost: PasswordCost.minimum makes logins fast, for tests only.\n"
           "log_level: 'trace', 'debug', 'info', 'warn', 'error', 'off' or a LogLevel.")
      .def("start", &PyServer::start,
           "Opens the store and starts listening; returns once the port is bound.\n"
           "Raises StorageError (data_dir unusable) or another Error naming the address "
           "(cannot bind), "
           "RuntimeError once stopped.")
      .def("stop", &PyServer::stop,
           "Stops accepting, answers what is queued, commits, closes every connection and "
           "joins the server's threads. Final: a stopped server cannot start again. Calling "
           "it twice is harmless.")
      .def("port", &PyServer::port, "The bound port once started (kept after stop), else 0.")
      .def("url", &PyServer::url,
           "'ws://host:port/ws' once started (kept after stop), else ''. Give it to Client.")
      .def(
          "__enter__",
          [](PyServer& self) -> PyServer& {
            if (!self.running()) self.start();
            return self;
          },
          "Starts the server unless it runs already; returns it.")
      .def(
          "__exit__",
          [](PyServer& self, const py::args&) {
            self.stop();
            return false;
          },
          "Stops the server.")
      .def("__repr__",
           [](const PyServer& self) { return py::str("Server(url={!r})").format(self.url()); });
}

}  // namespace messenger::python
