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

const char* to_string(MessageKind kind) noexcept {
  switch (kind) {
    case MessageKind::text:
      return "text";
    case MessageKind::member_added:
      return "member_added";
    case MessageKind::member_removed:
      return "member_removed";
    case MessageKind::member_left:
      return "member_left";
    case MessageKind::chat_renamed:
      return "chat_renamed";
  }
  return "text";
}

const char* library_version() noexcept {
  return "0.1.0";
}

}  // namespace messenger
