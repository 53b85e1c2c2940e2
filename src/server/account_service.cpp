#include "server/account_service.hpp"

#include <fmt/format.h>

#include "server/client_session.hpp"
#include "server/server_context.hpp"

namespace messenger {
namespace {

constexpr const char* kDefaultDevice = "unnamed device";

// Names are handles people type and read: no spaces, no control characters, and none of the
// invisible or look-alike spacing and direction characters that would let two different names
// look the same.
bool forbidden_in_name(char32_t c) {
  return c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad || c == 0x1680 || c == 0x180e ||
         (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
         (c >= 0x205f && c <= 0x206f) || c == 0x3000 || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb);
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  // The text is valid UTF-8 already (the protocol decoder checked), so decoding can be simple.
  for (std::size_t i = 0; i < name.size();) {
    auto lead = static_cast<unsigned char>(name[i]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    if (i + length > name.size()) return false;
    char32_t c = length == 1 ? lead : lead & (0x7f >> length);
    for (std::size_t k = 1; k < length; ++k) {
      c = (c << 6) | (static_cast<unsigned char>(name[i + k]) & 0x3f);
    }
    if (forbidden_in_name(c)) return false;
    i += length;
  }
  return true;
}

/// Whole seconds, rounded up, so that "try again in 0 s" is never said.
long long seconds_to_wait(LoginThrottle::Duration wait) {
  return std::chrono::ceil<std::chrono::seconds>(wait).count();
}

}  // namespace

AccountService::AccountService(ServerContext& context)
    : context_(context),
      throttle_(*context.clock, context.limits.failed_logins_before_delay,
                context.limits.max_login_delay) {}

bool AccountService::throttled(const std::shared_ptr<ClientSession>& session,
                               protocol::RequestId id, const std::string& key) {
  auto wait = throttle_.begin(key);
  if (wait == LoginThrottle::Duration::zero()) return false;
  session->fail(id, {Errc::rate_limited, fmt::format("too many wrong passwords; try again in {} s",
                                                     seconds_to_wait(wait))});
  return true;
}

void AccountService::count_wrong_password(const std::shared_ptr<ClientSession>& session,
                                          const std::string& key, std::string_view who) {
  auto delay = throttle_.failed(key);
  if (delay == LoginThrottle::Duration::zero()) return;
  // One line per delay, and the delays grow, so a guesser cannot flood the log.
  context_.log.warn(
      "password checks for {} held back {} s after repeated wrong passwords, "
      "the last from {}",
      who, seconds_to_wait(delay), session->peer());
}

void AccountService::register_user(const std::shared_ptr<ClientSession>& session,
                                   protocol::RequestId id, const protocol::Register& request) {
  if (!valid_name(request.name)) {
    session->fail(id, {Errc::invalid_name,
                       "a name needs at least one character and no spaces "
                       "or control characters"});
    return;
  }

  auto mark = context_.registry.revocation_mark();
  context_.reads.submit([this, session, id, request, mark](StoreReader&) {
    auto hash = context_.crypto.hash_password(request.password);
    if (!hash) {
      session->fail(id, hash.error());
      return;
    }
    auto token = context_.crypto.new_token();
    auto token_hash = context_.crypto.hash_token(token);
    auto now = context_.clock->now();

    struct Outcome {
      std::optional<Result<User>> user;
      std::optional<Result<SessionRecord>> record;
    };
    auto outcome = std::make_shared<Outcome>();
    auto device = request.device.empty() ? std::string(kDefaultDevice) : request.device;
    context_.writes.submit(
        {[outcome, name = request.name, hash = *hash, token_hash, device,
          now](WriteTransaction& txn) {
           outcome->user = txn.create_user(name, hash, now);
           if (*outcome->user) {
             outcome->record = txn.create_session((*outcome->user)->id, token_hash, device, now);
           }
         },
         [this, session, id, outcome, token, mark](const Result<void>& committed) {
           if (!committed) return session->fail(id, committed.error());
           if (!*outcome->user) return session->fail(id, outcome->user->error());
           if (!*outcome->record) return session->fail(id, outcome->record->error());
           context_.log.info("user {} registered", (*outcome->user)->id);
           start(session, id, **outcome->user, (*outcome->record)->id, token, mark);
         }});
  });
}

void AccountService::login(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                           const protocol::Login& request) {
  auto mark = context_.registry.revocation_mark();
  context_.reads.submit([this, session, id, request, mark](StoreReader& reader) {
    // Checked when the hash is about to be computed rather than when it was queued, so that
    // attempts queued behind a wrong one see its count.
    auto key = LoginThrottle::name_key(request.name);
    if (throttled(session, id, key)) return;
    auto credentials = reader.get_credentials(request.name);
    // An unknown name costs as much as a wrong password, so that timing does not tell names.
    static const std::string kDummyHash = context_.crypto.hash_password("dummy password").value();
    bool matches = context_.crypto.verify_password(
        credentials ? credentials->password_hash : kDummyHash, request.password);
    if (!credentials || !matches) {
      // The name is quoted and escaped: it is whatever the peer typed.
      count_wrong_password(session, key, fmt::format("name {:?}", request.name));
      session->fail(id, {Errc::invalid_credentials, "wrong user name or password"});
      return;
    }
    throttle_.succeeded(key);

    // A hash made at another cost than the configured one (the operator changed it) can only
    // be renewed now, while the password is at hand.
    std::optional<RenewedHash> renewed;
    if (context_.crypto.needs_rehash(credentials->password_hash)) {
      if (auto replacement = context_.crypto.hash_password(request.password)) {
        renewed = RenewedHash{credentials->password_hash, std::move(*replacement)};
      }
    }

    auto device = request.device.empty() ? std::string(kDefaultDevice) : request.device;
    open_session(session, id, credentials->user, device, mark, std::move(renewed));
  });
}

void AccountService::open_session(const std::shared_ptr<ClientSession>& session,
                                  protocol::RequestId id, const User& user, std::string device,
                                  std::uint64_t mark, std::optional<RenewedHash> renewed) {
  auto token = context_.crypto.new_token();
  auto token_hash = context_.crypto.hash_token(token);
  struct Outcome {
    std::optional<Result<SessionRecord>> record;
    bool hash_renewed = false;
  };
  auto outcome = std::make_shared<Outcome>();
  context_.writes.submit(
      {[outcome, user_id = user.id, token_hash, device = std::move(device),
        renewed = std::move(renewed), clock = context_.clock](WriteTransaction& txn) {
         outcome->record = txn.create_session(user_id, token_hash, device, clock->now());
         if (renewed) {
           // Not stored when the password changed since it was read: the new one stands.
           auto replaced =
               txn.replace_password_hash(user_id, renewed->expected, renewed->replacement);
           outcome->hash_renewed = replaced && *replaced;
         }
       },
       [this, session, id, user, outcome, token, mark](const Result<void>& committed) {
         if (!committed) return session->fail(id, committed.error());
         if (!*outcome->record) return session->fail(id, outcome->record->error());
         if (outcome->hash_renewed) {
           context_.log.info("user {} password hash renewed at the configured cost", user.id);
         }
         start(session, id, user, (*outcome->record)->id, token, mark);
       }});
}

void AccountService::resume(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                            const protocol::Resume& request) {
  auto mark = context_.registry.revocation_mark();
  context_.reads.submit([this, session, id, request, mark](StoreReader& reader) {
    auto record = reader.find_session(context_.crypto.hash_token(request.token));
    if (!record) {
      session->fail(id, {Errc::session_revoked, "this session has ended; log in again"});
      return;
    }
    auto user = reader.get_user(record->user_id);
    if (!user) {
      session->fail(id, {Errc::session_revoked, "the account of this session is gone"});
      return;
    }
    start(session, id, *user, record->id, {}, mark);
  });
}

void AccountService::start(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                           const User& user, SessionId session_id, std::string token,
                           std::uint64_t mark) {
  if (auto bound = session->bind({user, session_id}, mark); !bound) {
    session->fail(id, bound.error());
    return;
  }
  if (token.empty()) {
    session->reply(id, protocol::UserReply{user});
  } else {
    session->reply(id, protocol::SessionReply{user, std::move(token)});
  }
  context_.log.debug("user {} logged in from {}", user.id, session->peer());
}

void AccountService::logout(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                            const protocol::Logout& request) {
  auto identity = session->identity();
  auto removed = std::make_shared<std::optional<Result<std::vector<SessionId>>>>();
  context_.writes.submit(
      {[removed, identity, all = request.all](WriteTransaction& txn) {
         if (all) {
           *removed = txn.delete_sessions_of_user(identity->user.id);
           return;
         }
         auto deleted = txn.delete_session(identity->session);
         if (!deleted) {
           *removed = deleted.error();
         } else {
           *removed = std::vector<SessionId>{identity->session};
         }
       },
       [this, session, id, removed, identity, all = request.all](const Result<void>& committed) {
         if (!committed) return session->fail(id, committed.error());
         if (!**removed) return session->fail(id, (*removed)->error());
         session->reply(id, protocol::EmptyReply{});
         if (all) context_.log.info("user {} logged out everywhere", identity->user.id);
         end_sessions(identity->user.id, ***removed, all ? "logged out everywhere" : "logged out");
       }});
}

void AccountService::change_password(const std::shared_ptr<ClientSession>& session,
                                     protocol::RequestId id,
                                     const protocol::ChangePassword& request) {
  auto identity = session->identity();
  context_.reads.submit([this, session, id, request, identity](StoreReader& reader) {
    // A stolen token must not become a way to guess the password, so wrong current passwords
    // count too, per session: someone who keeps the name's logins waiting must not also stop
    // its owner from changing a leaked password.
    auto key = LoginThrottle::session_key(identity->session);
    if (throttled(session, id, key)) return;
    auto credentials = reader.get_credentials(identity->user.name);
    if (!credentials) {
      throttle_.abandoned(key);
      return session->fail(id, credentials.error());
    }
    if (!context_.crypto.verify_password(credentials->password_hash, request.current)) {
      count_wrong_password(
          session, key, fmt::format("session {} of user {}", identity->session, identity->user.id));
      return session->fail(id, {Errc::invalid_credentials, "the current password is wrong"});
    }
    throttle_.succeeded(key);
    auto hash = context_.crypto.hash_password(request.password);
    if (!hash) return session->fail(id, hash.error());

    auto removed = std::make_shared<std::optional<Result<std::vector<SessionId>>>>();
    context_.writes.submit(
        {[removed, identity, hash = *hash](WriteTransaction& txn) {
           if (auto replaced = txn.set_password_hash(identity->user.id, hash); !replaced) {
             *removed = replaced.error();
             return;
           }
           *removed = txn.delete_sessions_of_user(identity->user.id, identity->session);
         },
         [this, session, id, removed, identity](const Result<void>& committed) {
           if (!committed) return session->fail(id, committed.error());
           if (!**removed) return session->fail(id, (*removed)->error());
           session->reply(id, protocol::EmptyReply{});
           context_.log.info("user {} changed their password; {} other sessions ended",
                             identity->user.id, (**removed)->size());
           end_sessions(identity->user.id, ***removed, "password changed");
         }});
  });
}

void AccountService::end_sessions(UserId user, const std::vector<SessionId>& sessions,
                                  const char* reason) {
  for (const auto& connection : context_.registry.revoke(user, sessions)) {
    connection->close(CloseCode::auth_failed, reason);
  }
}

}  // namespace messenger
