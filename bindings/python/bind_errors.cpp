#include <array>
#include <string>

#include "python_module.hpp"

namespace messenger::python {
namespace {

struct ErrorClass {
  Errc code;
  const char* name;
  PyObject* builtin_base;  // a second base for `except TimeoutError`, or null
  const char* doc;
};

constexpr std::size_t kErrorCount = static_cast<std::size_t>(Errc::internal) + 1;

// The Python side of the one table that ties each C++ `Errc` to its wire name (`to_wire`) and
// its C code: one exception class per error, named after it.
std::array<ErrorClass, kErrorCount - 1> error_classes() {
  return {{
      {Errc::bad_request, "BadRequest", nullptr, "A malformed or incomplete request."},
      {Errc::unsupported_version, "UnsupportedVersion", nullptr,
       "The peer does not speak this protocol version."},
      {Errc::unknown_type, "UnknownType", nullptr, "The server does not know the request."},
      {Errc::unauthenticated, "Unauthenticated", nullptr, "The request needs a logged-in session."},
      {Errc::invalid_credentials, "InvalidCredentials", nullptr, "Wrong user name or password."},
      {Errc::session_revoked, "SessionRevoked", nullptr,
       "The session token was logged out or revoked."},
      {Errc::name_taken, "NameTaken", nullptr, "A user with that name already exists."},
      {Errc::invalid_name, "InvalidName", nullptr,
       "The user name is empty, too long or has forbidden characters."},
      {Errc::not_found, "NotFound", nullptr, "No such user, chat or message."},
      {Errc::not_a_member, "NotAMember", nullptr, "The user is not a member of that chat."},
      {Errc::forbidden, "Forbidden", nullptr, "A member, but the role does not allow it."},
      {Errc::too_large, "TooLarge", nullptr, "A size limit was exceeded."},
      {Errc::rate_limited, "RateLimited", nullptr, "Too many requests; retry later."},
      {Errc::timeout, "Timeout", PyExc_TimeoutError, "No answer in time."},
      {Errc::disconnected, "Disconnected", PyExc_ConnectionError,
       "The connection is closed or was never open, or the object was closed."},
      {Errc::protocol_error, "ProtocolError", nullptr, "The peer broke the protocol."},
      {Errc::storage_error, "StorageError", nullptr, "The store failed; nothing was committed."},
      {Errc::shutting_down, "ShuttingDown", nullptr, "The server is stopping."},
      {Errc::cursor_expired, "CursorExpired", nullptr,
       "The update stream no longer reaches back that far: fetch the state again."},
      {Errc::internal, "InternalError", nullptr,
       "A failure the library did not expect, or a server that cannot bind its port."},
  }};
}

// Indexed by Errc. The module holds a reference to each class for the life of the process, so
// raw pointers are safe here and need no destruction at exit (after the interpreter is gone).
std::array<PyObject*, kErrorCount> classes{};

PyObject* class_of(Errc code) {
  auto index = static_cast<std::size_t>(code);
  if (index >= kErrorCount || !classes[index])
    return classes[static_cast<std::size_t>(Errc::internal)];
  return classes[index];
}

}  // namespace

py::object error_object(const Error& error) {
  auto cls = py::reinterpret_borrow<py::object>(class_of(error.code));
  py::object instance = cls(error.message);
  instance.attr("message") = error.message;
  return instance;
}

void raise_error(const Error& error) {
  py::object instance = error_object(error);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(instance.ptr())), instance.ptr());
  throw py::error_already_set();
}

void bind_errors(py::module_& m) {
  py::enum_<Errc> codes(m, "ErrorCode",
                        "Every expected failure of the library; the names are the wire's error "
                        "codes (`messenger.NotAMember.code == ErrorCode.not_a_member`).");
  for (std::size_t i = 0; i < kErrorCount; ++i) {
    auto code = static_cast<Errc>(i);
    codes.value(to_wire(code), code);
  }

  PyObject* base = PyErr_NewExceptionWithDoc(
      "messenger.Error",
      "Base of every error the library raises. `code` is its `ErrorCode`, `message` says more.",
      PyExc_Exception, nullptr);
  if (!base) throw py::error_already_set();
  m.add_object("Error", py::reinterpret_borrow<py::object>(base));
  py::setattr(base, "code", py::cast(Errc::internal));
  py::setattr(base, "message", py::str(""));

  for (const auto& entry : error_classes()) {
    std::string name = std::string("messenger.") + entry.name;
    py::object bases =
        entry.builtin_base
            ? py::object(py::make_tuple(py::handle(base), py::handle(entry.builtin_base)))
            : py::reinterpret_borrow<py::object>(base);
    PyObject* cls = PyErr_NewExceptionWithDoc(name.c_str(), entry.doc, bases.ptr(), nullptr);
    if (!cls) throw py::error_already_set();
    py::setattr(cls, "code", py::cast(entry.code));
    m.add_object(entry.name, py::reinterpret_borrow<py::object>(cls));
    classes[static_cast<std::size_t>(entry.code)] = cls;
  }
  classes[static_cast<std::size_t>(Errc::ok)] = base;
}

}  // namespace messenger::python
