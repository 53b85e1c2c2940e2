#include "messenger/types.hpp"

#include "messenger/version.hpp"

namespace messenger {

const char* to_string(ChatKind kind) noexcept {
  return kind == ChatKind::direct ? "direct" : "group";
}

const char* to_string(MemberRole role) noexcept {
  switch (role) {
    case MemberRole::member:
      return "member";
    case MemberRole::admin:
      return "admin";
    case MemberRole::owner:
      return "owner";
  }
  return "member";
}

const char* to_string(MessageStatus status) noexcept {
  switch (status) {
    case MessageStatus::sent:
      return "sent";
    case MessageStatus::delivered:
      return "delivered";
    case MessageStatus::seen:
      return "seen";
  }
  return "sent";
}

const char* library_version() noexcept {
  return "0.1.0";
}

}  // namespace messenger
