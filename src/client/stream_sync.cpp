#include "client/stream_sync.hpp"

namespace messenger {

void StreamSync::set_cursor(Cursor cursor) {
  stream_.set_cursor(cursor);
  hooks_.cursor_moved(cursor);
}

void StreamSync::start() {
  stream_.begin_sync();
  request_page();
}

void StreamSync::on_live(protocol::ServerEvent event) {
  auto fresh = stream_.accept_live(std::move(event));
  if (!fresh) return;
  // The cursor moves first, so that no event the host sees lies beyond `cursor()`.
  hooks_.cursor_moved(stream_.cursor());
  hooks_.apply(std::move(*fresh));
}

void StreamSync::abandon() {
  ++round_;
  stream_.abandon_sync();
}

void StreamSync::request_page() {
  auto round = ++round_;
  hooks_.send(
      protocol::Sync{stream_.cursor(), kSyncPageLimit},
      [this, round](Result<protocol::ServerFrame> reply) { on_page(round, std::move(reply)); });
}

void StreamSync::on_page(std::uint64_t round, Result<protocol::ServerFrame> reply) {
  if (round != round_) return;
  auto page = read_reply(reply, &protocol::ServerFrame::as_sync);
  if (!page) return on_refused(page.error());

  Cursor before = stream_.cursor();
  bool more = page->more;
  auto fresh = stream_.accept_page(std::move(*page));
  hooks_.cursor_moved(stream_.cursor());
  for (auto& event : fresh)
    hooks_.apply(std::move(event));

  if (!more) return finish();
  if (stream_.cursor() <= before) {
    abandon();
    return hooks_.failed({Errc::protocol_error, "a sync page with more to come did not advance"});
  }
  request_page();
}

void StreamSync::on_refused(const Error& error) {
  // From the start there is nothing older to lose: the server is refusing something else.
  if (error.code != Errc::cursor_expired || stream_.cursor() == 0) {
    abandon();
    return hooks_.failed(error);
  }
  hooks_.reset();
  stream_.set_cursor(0);
  hooks_.cursor_moved(0);
  request_page();
}

void StreamSync::finish() {
  auto end = stream_.end_sync();
  if (end.overflowed) return start();  // the live events it dropped come in the next round
  if (!end.held.empty()) hooks_.cursor_moved(stream_.cursor());
  for (auto& event : end.held)
    hooks_.apply(std::move(event));
  hooks_.caught_up();
}

}  // namespace messenger
