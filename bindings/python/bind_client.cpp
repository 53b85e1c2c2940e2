#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "exit_registry.hpp"
#include "messenger/client.hpp"
#include "python_log.hpp"
#include "python_module.hpp"

namespace messenger::python {
namespace {

/// How often a long `poll_event` comes back to Python to let Ctrl+C through.
constexpr std::chrono::milliseconds kSignalCheckInterval{100};

/// Runs `call` on `client` without the GIL, and drops `client` there too: when another thread
/// closed the Python object meanwhile, this is the last reference, and destroying a client
/// joins its network thread, which may be waiting for the GIL to run the event handler.
template <typename Call>
auto without_gil(std::shared_ptr<Client> client, Call&& call) {
  py::gil_scoped_release release;
  auto result = call(*client);
  client.reset();
  return result;
}

/// `messenger.Client`: owns the C++ client, its event handler and log sink on Python's side.
class PyClient {
 public:
  PyClient(ClientOptions options, LogLevel log_level)
      : handler_(std::make_shared<PythonCallback>(this, "event handler")),
        log_(make_log_callback(this)) {
    options.log = python_log_options(log_, log_level);
    {
      py::gil_scoped_release release;
      client_ = std::make_shared<Client>(std::move(options));
    }
    ExitRegistry::add(this, [this] { close(); });
  }

  ~PyClient() {
    ExitRegistry::remove(this);
    if (!in_callback_of(this)) {
      close();
      return;
    }
    // Collected by Python on the client's own network thread, which destroying the client
    // would join: another thread does it, without Python.
    handler_->clear();
    log_->clear();
    std::thread([client = std::move(client_)] {
      if (client) client->close();
    }).detach();
  }

  PyClient(const PyClient&) = delete;
  PyClient& operator=(const PyClient&) = delete;

  /// The client, for a call that returns at once. Raises Disconnected once closed.
  std::shared_ptr<Client> native(const char* method) const {
    if (!client_) {
      raise_error({Errc::disconnected, std::string("Client.") + method +
                                           "(): the client is closed; make a new Client"});
    }
    return client_;
  }

  /// The client, for a call that waits on its network thread: refused on that very thread.
  std::shared_ptr<Client> native_blocking(const char* method) const {
    if (in_callback_of(this)) {
      throw std::runtime_error(std::string("Client.") + method +
                               "() cannot be called from this client's event handler: it runs "
                               "on the network thread the call would wait for. Use "
                               "poll_event() or another thread.");
    }
    return native(method);
  }

  template <typename Call>
  auto request(const char* method, Call&& call) {
    return unwrap(without_gil(native_blocking(method), std::forward<Call>(call)));
  }

  void close() {
    if (in_callback_of(this)) {
      throw std::runtime_error("Client.close() cannot be called from this client's own threads");
    }
    handler_->clear();
    auto client = std::move(client_);
    if (client) {
      py::gil_scoped_release release;
      client->close();
      client->set_event_handler(nullptr);
      client.reset();
    }
    log_->clear();
  }

  ConnectionState state() const {
    if (!client_) return ConnectionState::disconnected;
    return without_gil(client_, [](Client& c) { return c.state(); });
  }

  std::optional<User> user() const {
    if (!client_) return std::nullopt;
    return without_gil(client_, [](Client& c) { return c.user(); });
  }

  py::object poll_event(std::optional<double> timeout) {
    using Clock = std::chrono::steady_clock;
    auto deadline =
        timeout ? Clock::now() + to_milliseconds(*timeout, "timeout") : Clock::time_point::max();
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      auto wait = std::clamp(left, std::chrono::milliseconds::zero(), kSignalCheckInterval);
      auto event = without_gil(native_blocking("poll_event"),
                               [wait](Client& c) { return c.poll_event(wait); });
      if (event) return event_object(*event);
      if (Clock::now() >= deadline) return py::none();
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  }

  void set_event_handler(py::object handler) {
    // Removing the handler of a closed client is harmless, like closing it twice.
    if (handler.is_none() && !client_) return;
    auto client = native("set_event_handler");
    if (handler.is_none()) {
      // The callable stays until replaced or closed, so that an event already on its way to it
      // is not lost; later events queue for poll_event.
      without_gil(client, [](Client& c) {
        c.set_event_handler(nullptr);
        return true;
      });
      return;
    }
    if (!PyCallable_Check(handler.ptr()))
      throw py::type_error("the event handler must be callable");
    handler_->set(std::move(handler));
    without_gil(client, [slot = handler_](Client& c) {
      c.set_event_handler([slot](const ClientEvent& event) {
        slot->call([&](py::handle callable) { callable(event_object(event)); });
      });
      return true;
    });
  }

  py::object last_handler_error() const { return handler_->last_error(); }

 private:
  std::shared_ptr<PythonCallback> handler_;
  std::shared_ptr<PythonCallback> log_;
  std::shared_ptr<Client> client_;  // null once closed
};

std::unique_ptr<PyClient> make_client(std::string url, std::string device, double request_timeout,
                                      bool auto_ack_delivered, bool reconnect, double reconnect_min,
                                      double reconnect_max,
                                      std::optional<std::filesystem::path> data_file,
                                      const py::object& log_level) {
  ClientOptions options;
  options.url = std::move(url);
  options.device = std::move(device);
  options.request_timeout = to_milliseconds(request_timeout, "request_timeout");
  options.auto_ack_delivered = auto_ack_delivered;
  options.reconnect = reconnect;
  options.reconnect_min = to_milliseconds(reconnect_min, "reconnect_min");
  options.reconnect_max = to_milliseconds(reconnect_max, "reconnect_max");
  if (options.reconnect_min > options.reconnect_max) {
    throw py::value_error("reconnect_min must not be above reconnect_max");
  }
  if (data_file) options.data_file = data_file->string();
  return std::make_unique<PyClient>(std::move(options), to_log_level(log_level));
}

HistoryQuery history_query(ChatId chat_id, std::optional<Seq> anchor, HistoryDirection direction,
                           HistoryOrder order, std::size_t limit) {
  HistoryQuery query;
  query.chat_id = chat_id;
  query.anchor = anchor;
  query.direction = direction;
  query.order = order;
  query.limit = limit;
  return query;
}

using Class = py::class_<PyClient>;

void bind_connection(Class& c) {
  c.def(py::init(&make_client), py::arg("url") = "ws://127.0.0.1:8080/ws", py::kw_only(),
        py::arg("device") = "messenger-client", py::arg("request_timeout") = 10.0,
        py::arg("auto_ack_delivered") = true, py::arg("reconnect") = true,
        py::arg("reconnect_min") = 0.25, py::arg("reconnect_max") = 30.0,
        py::arg("data_file") = py::none(), py::arg("log_level") = "info",
        "Sets a client up for the server at `url`; nothing connects until connect() or a "
        "login.\n\n"
        "device: shown in the user's session list.\n"
        "request_timeout: seconds a request waits for its reply before Timeout.\n"
        "auto_ack_delivered: acknowledge each received message as delivered at once.\n"
        "reconnect, reconnect_min, reconnect_max: after a dropped connection, connect again, "
        "resume and catch up, waiting a random time (seconds) up to a bound that doubles from "
        "reconnect_min to reconnect_max.\n"
        "data_file: SQLite file keeping the session token, stream cursor and outbox across "
        "restarts; None keeps them in memory.\n"
        "log_level: 'trace' ... 'off' or a LogLevel; lines go to logging ('messenger.client').");
  c.def(
      "connect",
      [](PyClient& self) { self.request("connect", [](Client& cl) { return cl.connect(); }); },
      "Connects and agrees on the protocol version, resuming the session this client holds. "
      "Login and register connect by themselves.\n"
      "Raises Disconnected, UnsupportedVersion, Timeout, StorageError (data_file unusable).");
  c.def("close", &PyClient::close,
        "Closes the connection, drops the event handler and joins the client's thread. Final: "
        "later requests raise Disconnected. Calling it twice is harmless.");
  c.def("state", &PyClient::state, "The connection's ConnectionState.");
  c.def("user", &PyClient::user, "The User logged in on this client, or None.");
  c.def(
      "__enter__", [](PyClient& self) -> PyClient& { return self; }, "Returns the client.");
  c.def(
      "__exit__",
      [](PyClient& self, const py::args&) {
        self.close();
        return false;
      },
      "Closes the client.");
  c.def("__repr__", [](const PyClient& self) {
    auto user = self.user();
    return py::str("Client(state={}, user={!r})")
        .format(py::cast(self.state()), user ? py::str(user->name) : py::str(""));
  });
}

void bind_account(Class& c) {
  c.def(
      "register_user",
      [](PyClient& self, const std::string& name, const std::string& password) {
        return self.request("register_user",
                            [&](Client& cl) { return cl.register_user(name, password); });
      },
      py::arg("name"), py::arg("password"),
      "Creates an account and logs in; returns a Session.\n"
      "Raises NameTaken, InvalidName, BadRequest (password too short or long).");
  c.def(
      "login",
      [](PyClient& self, const std::string& name, const std::string& password) {
        return self.request("login", [&](Client& cl) { return cl.login(name, password); });
      },
      py::arg("name"), py::arg("password"),
      "Logs in; returns a Session whose token resume() takes later. Raises InvalidCredentials.");
  c.def(
      "resume",
      [](PyClient& self, const std::string& token) {
        return self.request("resume", [&](Client& cl) { return cl.resume(token); });
      },
      py::arg("token"),
      "Logs in with the token of an earlier login; returns the User. Raises SessionRevoked.");
  c.def(
      "logout",
      [](PyClient& self) { self.request("logout", [](Client& cl) { return cl.logout(); }); },
      "Ends this session everywhere: its token stops working at once.");
  c.def(
      "logout_all",
      [](PyClient& self) {
        self.request("logout_all", [](Client& cl) { return cl.logout_all(); });
      },
      "Ends every session of the user, this one included: each device's connection closes.");
  c.def(
      "change_password",
      [](PyClient& self, const std::string& current, const std::string& replacement) {
        self.request("change_password",
                     [&](Client& cl) { return cl.change_password(current, replacement); });
      },
      py::arg("current"), py::arg("replacement"),
      "Replaces the password; every other session of the user ends, this one stays.\n"
      "Raises InvalidCredentials (current is wrong), BadRequest (replacement too short).");
  c.def(
      "find_user",
      [](PyClient& self, const std::string& name) {
        return self.request("find_user", [&](Client& cl) { return cl.find_user(name); });
      },
      py::arg("name"), "The User with that name (any ASCII case). Raises NotFound.");
}

void bind_chats(Class& c) {
  c.def(
      "open_direct_chat",
      [](PyClient& self, UserId other) {
        return self.request("open_direct_chat",
                            [&](Client& cl) { return cl.open_direct_chat(other); });
      },
      py::arg("user_id"),
      "The direct Chat with that user, created the first time. Raises NotFound.");
  c.def(
      "create_group",
      [](PyClient& self, const std::string& title, const std::vector<UserId>& members) {
        return self.request("create_group",
                            [&](Client& cl) { return cl.create_group(title, members); });
      },
      py::arg("title"), py::arg("members"),
      "A new group Chat owned by this user with `members` (user ids).\n"
      "Raises NotFound (a member), TooLarge.");
  c.def(
      "list_chats",
      [](PyClient& self) {
        return self.request("list_chats", [](Client& cl) { return cl.list_chats(); });
      },
      "Every chat of the user as a ChatSummary, newest activity first.");
  c.def(
      "get_chat",
      [](PyClient& self, ChatId chat) {
        return self.request("get_chat", [&](Client& cl) { return cl.get_chat(chat); });
      },
      py::arg("chat_id"), "The Chat with its members and watermarks. Raises NotAMember.");
  c.def(
      "add_members",
      [](PyClient& self, ChatId chat, const std::vector<UserId>& users) {
        return self.request("add_members", [&](Client& cl) { return cl.add_members(chat, users); });
      },
      py::arg("chat_id"), py::arg("user_ids"),
      "Adds users to a group; returns the Chat. Raises Forbidden, NotAMember, NotFound.");
  c.def(
      "remove_member",
      [](PyClient& self, ChatId chat, UserId user) {
        return self.request("remove_member",
                            [&](Client& cl) { return cl.remove_member(chat, user); });
      },
      py::arg("chat_id"), py::arg("user_id"),
      "Removes a member from a group; returns the Chat. Raises Forbidden, NotAMember.");
  c.def(
      "leave_chat",
      [](PyClient& self, ChatId chat) {
        self.request("leave_chat", [&](Client& cl) { return cl.leave_chat(chat); });
      },
      py::arg("chat_id"), "Leaves a group. Raises Forbidden (a direct chat), NotAMember.");
  c.def(
      "rename_chat",
      [](PyClient& self, ChatId chat, const std::string& title) {
        return self.request("rename_chat", [&](Client& cl) { return cl.rename_chat(chat, title); });
      },
      py::arg("chat_id"), py::arg("title"),
      "Renames a group; returns the Chat. Raises Forbidden, NotAMember, TooLarge.");
}

void bind_messages(Class& c) {
  c.def(
      "send_message",
      [](PyClient& self, ChatId chat, const std::string& text, const std::string& id) {
        return self.request("send_message",
                            [&](Client& cl) { return cl.send_message(chat, text, id); });
      },
      py::arg("chat_id"), py::arg("text"), py::arg("client_msg_id") = "",
      "Sends a text message and returns its SendAck once stored. Sending again with the same "
      "client_msg_id stores nothing new and returns the first SendAck ('' makes a new id).\n"
      "Raises NotAMember, TooLarge.");
  c.def(
      "history",
      [](PyClient& self, ChatId chat, std::optional<Seq> anchor, HistoryDirection direction,
         HistoryOrder order, std::size_t limit) {
        auto query = history_query(chat, anchor, direction, order, limit);
        return self.request("history", [&](Client& cl) { return cl.history(query); });
      },
      py::arg("chat_id"), py::arg("anchor") = py::none(),
      py::arg("direction") = HistoryDirection::before,
      py::arg("order") = HistoryOrder::newest_first, py::arg("limit") = 50,
      "A page of Messages strictly before (or after) seq `anchor`; None starts from the newest "
      "end (before) or the oldest (after). Raises NotAMember.");
  c.def(
      "ack_delivered",
      [](PyClient& self, ChatId chat, Seq seq) {
        self.request("ack_delivered", [&](Client& cl) { return cl.ack_delivered(chat, seq); });
      },
      py::arg("chat_id"), py::arg("seq"),
      "Tells the server this user's devices hold every message up to seq (automatic with "
      "auto_ack_delivered).");
  c.def(
      "mark_seen",
      [](PyClient& self, ChatId chat, Seq seq) {
        self.request("mark_seen", [&](Client& cl) { return cl.mark_seen(chat, seq); });
      },
      py::arg("chat_id"), py::arg("seq"), "Marks the chat seen up to seq.");
  c.def(
      "queue_message",
      [](PyClient& self, ChatId chat, const std::string& text, const std::string& id) {
        return without_gil(self.native("queue_message"),
                           [&](Client& cl) { return cl.queue_message(chat, text, id); });
      },
      py::arg("chat_id"), py::arg("text"), py::arg("client_msg_id") = "",
      "Queues a message and returns its client_msg_id at once. It is sent now or after the "
      "next reconnect, retried until the server answers; a SendResultEvent tells the outcome.");
  c.def(
      "outbox_size",
      [](PyClient& self) {
        return without_gil(self.native("outbox_size"), [](Client& cl) { return cl.outbox_size(); });
      },
      "Messages queued and not yet answered.");
  c.def(
      "cursor",
      [](PyClient& self) {
        return without_gil(self.native("cursor"), [](Client& cl) { return cl.cursor(); });
      },
      "The position in the user's update stream this client has caught up to.");
}

void bind_live(Class& c) {
  c.def(
      "set_typing",
      [](PyClient& self, ChatId chat) {
        self.request("set_typing", [&](Client& cl) { return cl.set_typing(chat); });
      },
      py::arg("chat_id"),
      "Tells the chat's other members this user is typing; repeat every few seconds while it "
      "goes on. Raises NotAMember, RateLimited.");
  c.def(
      "get_presence",
      [](PyClient& self, const std::vector<UserId>& users) {
        return self.request("get_presence", [&](Client& cl) { return cl.get_presence(users); });
      },
      py::arg("user_ids"),
      "Presence of the users who share a chat with this one (others are left out).");
  c.def("poll_event", &PyClient::poll_event, py::arg("timeout") = 0.0,
        "The next event (MessageEvent, ReceiptEvent, ChatEvent, TypingEvent, PresenceEvent, "
        "SendResultEvent, ResetEvent or ConnectionEvent), waiting up to `timeout` seconds "
        "(None: no limit; Ctrl+C still interrupts); None when none came. Gets nothing while "
        "an event handler is set.");
  c.def("set_event_handler", &PyClient::set_event_handler, py::arg("handler"),
        "Calls handler(event) for every event instead of queueing it for poll_event; None "
        "goes back to polling. The handler runs on the client's network thread, holding the "
        "GIL: keep it short, and make no blocking request of this client from it (they raise "
        "RuntimeError). An exception it raises is logged to the 'messenger' logger and kept "
        "in last_handler_error(); events go on.");
  c.def("last_handler_error", &PyClient::last_handler_error,
        "The last exception the event handler raised, or None.");
}

}  // namespace

void bind_client(py::module_& m) {
  Class c(m, "Client",
          "A messenger client: one connection to a server, requests that wait for their "
          "replies, and events pushed by the server.\n\n"
          "    with messenger.Client(server.url()) as client:\n"
          "        client.login('alice', 'secret-password')\n"
          "        event = client.poll_event(timeout=1.0)\n\n"
          "Requests block the calling thread (the GIL is released meanwhile) and may come from "
          "several threads at once. Errors raise subclasses of messenger.Error.");
  bind_connection(c);
  bind_account(c);
  bind_chats(c);
  bind_messages(c);
  bind_live(c);
}

}  // namespace messenger::python
