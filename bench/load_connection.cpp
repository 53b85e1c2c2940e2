#include "load_connection.hpp"

#include <charconv>

namespace messenger::bench {
namespace {

// The server writes compact JSON with the fields in a fixed order: a reply starts with its id
// and then "ok" or "error"; an event starts with "event". Reading just that keeps the
// generator's own cost per frame small, so it is not the bottleneck it measures.
constexpr std::string_view kReplyStart = "{\"id\":";
constexpr std::string_view kOkField = ",\"ok\":true";

}  // namespace

std::int64_t json_integer(std::string_view frame, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  auto at = frame.find(needle);
  if (at == std::string_view::npos) return -1;
  std::int64_t value = -1;
  const char* begin = frame.data() + at + needle.size();
  std::from_chars(begin, frame.data() + frame.size(), value);
  return value;
}

void LoadConnection::open(Transport& transport, const std::string& url, OpenHandler on_open) {
  auto self = std::make_shared<LoadConnection>();
  std::weak_ptr<LoadConnection> weak = self;
  ConnectionEvents events;
  events.on_text = [weak](std::string text) {
    if (auto strong = weak.lock()) strong->receive(std::move(text));
  };
  events.on_closed = [weak](CloseCode, std::string_view) {
    if (auto strong = weak.lock()) strong->closed_by_transport();
  };
  transport.connect({.url = url}, std::move(events),
                    [self, on_open = std::move(on_open)](Result<std::shared_ptr<Connection>> done) {
                      if (!done) {
                        self->closed_ = true;
                        on_open(nullptr);
                        return;
                      }
                      self->connection_ = std::move(*done);
                      on_open(self);
                    });
}

void LoadConnection::request(std::string_view fields, ReplyHandler on_reply) {
  if (closed_ || !connection_) {
    on_reply(false, "{\"error\":\"closed\"}");
    return;
  }
  const std::int64_t id = next_id_++;
  std::string frame;
  frame.reserve(fields.size() + 32);
  frame.append(kReplyStart).append(std::to_string(id)).append(",").append(fields).append("}");
  pending_.emplace(id, std::move(on_reply));
  connection_->send_text(std::move(frame));
}

void LoadConnection::close() {
  if (connection_ && !closed_) connection_->close(CloseCode::normal, "bench done");
}

void LoadConnection::receive(std::string frame) {
  if (frame.compare(0, kReplyStart.size(), kReplyStart) != 0) {
    if (on_event) on_event(frame);
    return;
  }
  std::int64_t id = -1;
  const char* begin = frame.data() + kReplyStart.size();
  auto [end, ec] = std::from_chars(begin, frame.data() + frame.size(), id);
  auto found = pending_.find(id);
  if (ec != std::errc() || found == pending_.end()) return;
  auto handler = std::move(found->second);
  pending_.erase(found);
  const bool ok = std::string_view(end, frame.data() + frame.size() - end).starts_with(kOkField);
  handler(ok, frame);
}

void LoadConnection::closed_by_transport() {
  if (closed_) return;
  closed_ = true;
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [id, handler] : pending)
    handler(false, "{\"error\":\"closed\"}");
  if (on_closed) on_closed();
}

}  // namespace messenger::bench
