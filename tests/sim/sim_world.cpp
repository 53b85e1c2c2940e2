#include "sim/sim_world.hpp"

#include <unistd.h>
#include <asio/io_context.hpp>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace messenger::sim {
namespace {

constexpr const char* kDatabaseFile = "sim.db";
// A settle that runs this many handlers without coming to rest is a livelock.
constexpr int kMaxSettleSteps = 2'000'000;
constexpr std::size_t kHistoryPage = 200;
constexpr int kMaxHistoryPages = 10'000;
constexpr std::int64_t kMaxTickMs = 1'500;
constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

void hash_into(std::uint64_t& hash, std::string_view text) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  hash ^= 0xff;  // ends the line, so that "ab","c" and "a","bc" differ
  hash *= kFnvPrime;
}

std::filesystem::path fresh_folder() {
  static std::atomic<std::uint64_t> runs{0};
  const char* configured = std::getenv("MESSENGER_SIM_DIR");
  auto base = configured && *configured ? std::filesystem::path(configured)
                                        : std::filesystem::temp_directory_path();
  auto folder =
      base / ("messenger-sim-" + std::to_string(::getpid()) + "-" + std::to_string(++runs));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

std::string list(const std::vector<Seq>& seqs) {
  std::string text;
  for (Seq seq : seqs)
    text += (text.empty() ? "" : ",") + std::to_string(seq);
  return text;
}

}  // namespace

World::World(std::uint64_t seed, StepWeights weights)
    : random_(seed), weights_(weights), folder_(fresh_folder()) {
  client_io_ = std::make_shared<asio::io_context>();
  client_transport_ = make_in_process_transport(*client_io_);
  auto server = SimServer::start({.database = (folder_ / kDatabaseFile).string(),
                                  .host = "sim",
                                  .port = 0,
                                  .crypto = &crypto_,
                                  .clock = &clock_});
  if (!server)
    throw std::runtime_error("the simulated server cannot start: " + server.error().message);
  server_ = std::move(*server);
}

World::~World() {
  // Every frame and close still on its way to a device runs (and is ignored) before the
  // devices go; then the connections hold nothing but the servers' io_contexts.
  for (auto& device : devices_)
    device->cut("end of run");
  for (int i = 0; i < kMaxSettleSteps; ++i) {
    if (client_io_->stopped()) client_io_->restart();
    if (client_io_->poll_one() == 0) break;
  }
  devices_.clear();
  server_.reset();
  dead_servers_.clear();
  client_transport_.reset();
  client_io_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

ModelClient& World::add_device(const std::string& name) {
  bool first = users_.insert(name).second;
  ModelClient::Options options;
  options.name = name;
  options.device = name + "/" + std::to_string(devices_.size());
  options.registers = first;
  // Small pages make the sync loop page; 0 takes the server's default.
  const std::size_t pages[] = {0, 1, 3, 7};
  options.sync_page = pages[random_.below(std::size(pages))];
  devices_.push_back(
      std::make_unique<ModelClient>(std::move(options), *client_transport_, clock_, violations_));
  return *devices_.back();
}

bool World::poll_one() {
  asio::io_context* sides[] = {client_io_.get(), server_->io().get()};
  const std::size_t first = random_.below(2);
  for (std::size_t i = 0; i < 2; ++i) {
    auto& io = *sides[(first + i) % 2];
    if (io.stopped()) io.restart();
    if (io.poll_one() > 0) return true;
  }
  return false;
}

bool World::settle(bool reconnect) {
  for (int i = 0; i < kMaxSettleSteps; ++i) {
    if (poll_one()) continue;
    bool resting = true;
    for (auto& device : devices_) {
      if (reconnect && device->link() == ModelClient::Link::down) {
        device->connect(server_->url());
        resting = false;
      }
    }
    if (!resting) continue;
    for (auto& device : devices_) {
      if (!device->settled()) {
        violation(device->device() + " waits for a reply that nothing will send");
        return false;
      }
    }
    return true;
  }
  violation("no rest after " + std::to_string(kMaxSettleSteps) + " handlers");
  return false;
}

ChatId World::remember_chat(ModelClient& owner, std::size_t made_before) {
  settle();
  if (owner.chats_made().size() == made_before) {
    violation(owner.device() + " could not make a chat");
    return 0;
  }
  const Chat& chat = owner.chats_made().back();
  auto& members = first_members_[chat.id];
  for (const auto& member : chat.members)
    members.push_back(member.user_id);
  note("chat " + std::to_string(chat.id) + " made by " + owner.device());
  return chat.id;
}

ChatId World::open_direct_chat(ModelClient& owner, UserId other) {
  auto before = owner.chats_made().size();
  owner.open_direct_chat(other);
  return remember_chat(owner, before);
}

ChatId World::create_group(ModelClient& owner, const std::vector<UserId>& members) {
  auto before = owner.chats_made().size();
  owner.create_group("group", members);
  return remember_chat(owner, before);
}

ModelClient& World::pick_device() {
  return *devices_[random_.below(devices_.size())];
}

World::StepKind World::pick_step() {
  const std::pair<StepKind, unsigned> weights[] = {
      {StepKind::deliver, weights_.deliver}, {StepKind::send, weights_.send},
      {StepKind::seen, weights_.seen},       {StepKind::typing, weights_.typing},
      {StepKind::cut, weights_.cut},         {StepKind::reconnect, weights_.reconnect},
      {StepKind::restart, weights_.restart}, {StepKind::crash, weights_.crash},
      {StepKind::tick, weights_.tick}};
  std::uint64_t total = 0;
  for (const auto& [kind, weight] : weights)
    total += weight;
  auto draw = random_.below(total);
  for (const auto& [kind, weight] : weights) {
    if (draw < weight) return kind;
    draw -= weight;
  }
  return StepKind::deliver;
}

void World::step() {
  const StepKind kind = pick_step();
  if (kind == StepKind::deliver) {
    poll_one();
    return;
  }
  if (kind == StepKind::crash) return crash();
  if (kind == StepKind::tick) {
    return advance(std::chrono::milliseconds(random_.between(1, kMaxTickMs)));
  }

  ModelClient& device = pick_device();
  std::vector<ChatId> chats;
  for (const auto& [chat, members] : first_members_) {
    if (device.member_of(chat)) chats.push_back(chat);
  }
  // Now and then a chat the device is not in: the server must refuse it.
  if (chats.empty() || random_.percent(5)) {
    for (const auto& [chat, members] : first_members_)
      chats.push_back(chat);
  }
  ChatId chat = chats.empty() ? 0 : chats[random_.below(chats.size())];
  switch (kind) {
    case StepKind::send:
      if (chat) device.queue_message(chat, "text " + std::to_string(++texts_));
      return;
    case StepKind::seen:
      if (chat) device.mark_seen(chat);
      return;
    case StepKind::typing:
      if (chat) device.typing(chat);
      return;
    case StepKind::cut:
      return device.cut("network");
    case StepKind::reconnect:
      return device.connect(server_->url());
    case StepKind::restart:
      return device.restart();
    case StepKind::deliver:
    case StepKind::crash:
    case StepKind::tick:
      return;
  }
}

void World::crash() {
  note("crash " + std::to_string(++crashes_));
  for (auto& device : devices_)
    device->cut("server crashed");
  dead_servers_.push_back(server_->io());
  const auto port = server_->port();
  server_.reset();
  auto restarted = SimServer::start({.database = (folder_ / kDatabaseFile).string(),
                                     .host = "sim",
                                     .port = port,
                                     .crypto = &crypto_,
                                     .clock = &clock_});
  if (!restarted)
    throw std::runtime_error("the simulated server cannot restart: " + restarted.error().message);
  server_ = std::move(*restarted);
}

void World::advance(std::chrono::milliseconds by) {
  clock_.advance(by);
  for (auto& device : devices_)
    device->expire_typing();
  note("advance " + std::to_string(by.count()));
}

std::vector<Message> World::stored_history(ChatId chat) {
  std::vector<Message> all;
  HistoryQuery query{.chat_id = chat,
                     .anchor = std::nullopt,
                     .direction = HistoryDirection::after,
                     .order = HistoryOrder::oldest_first,
                     .limit = kHistoryPage};
  for (int page = 0; page < kMaxHistoryPages; ++page) {
    auto messages = server_->reader().history(query);
    if (!messages) {
      violation("history of chat " + std::to_string(chat) + ": " + messages.error().message);
      break;
    }
    all.insert(all.end(), messages->begin(), messages->end());
    if (messages->size() < kHistoryPage) break;
    query.anchor = messages->back().seq;
  }
  return all;
}

void World::check_contract() {
  std::map<ChatId, std::vector<Message>> histories;
  for (const auto& [chat_id, first] : first_members_) {
    const auto& history = histories[chat_id] = stored_history(chat_id);
    auto chat = server_->reader().get_chat(chat_id);
    if (!chat) {
      violation("chat " + std::to_string(chat_id) + " is gone");
      continue;
    }

    // Each user's memberships, as the records in the chat's order tell them.
    std::map<UserId, std::vector<std::pair<Seq, Seq>>> spans;
    std::map<UserId, Seq> joined;
    for (UserId user : first)
      joined[user] = 1;
    for (const auto& message : history) {
      if (message.kind == MessageKind::member_added)
        joined.try_emplace(message.subject_id, message.seq);
      bool gone =
          message.kind == MessageKind::member_removed || message.kind == MessageKind::member_left;
      if (gone && joined.count(message.subject_id)) {
        spans[message.subject_id].push_back({joined[message.subject_id], message.seq});
        joined.erase(message.subject_id);
      }
    }
    for (const auto& [user, from] : joined)
      spans[user].push_back({from, std::numeric_limits<Seq>::max()});

    for (const auto& device : devices_) {
      std::vector<Seq> expected;
      for (const auto& message : history) {
        for (const auto& [from, to] : spans[device->user_id()]) {
          if (message.seq >= from && message.seq <= to) expected.push_back(message.seq);
        }
      }
      std::vector<Seq> got;
      if (auto held = device->messages().find(chat_id); held != device->messages().end()) {
        for (const auto& message : held->second)
          got.push_back(message.seq);
      }
      if (got != expected) {
        violation(device->device() + " holds chat " + std::to_string(chat_id) + " seqs [" +
                  list(got) + "], the store says [" + list(expected) + "]");
      }

      bool member = false;
      for (const auto& member_row : chat->members)
        member = member || member_row.user_id == device->user_id();
      if (!member) continue;
      auto view = device->watermarks().find(chat_id);
      for (const auto& row : chat->members) {
        std::pair<Seq, Seq> stored{row.delivered_seq, row.seen_seq};
        std::pair<Seq, Seq> shown{0, 0};
        if (view != device->watermarks().end()) {
          if (auto found = view->second.find(row.user_id); found != view->second.end())
            shown = found->second;
        }
        if (shown != stored) {
          violation(device->device() + " shows user " + std::to_string(row.user_id) + " at " +
                    std::to_string(shown.first) + "/" + std::to_string(shown.second) + " in chat " +
                    std::to_string(chat_id) + ", the store " + std::to_string(stored.first) + "/" +
                    std::to_string(stored.second));
        }
      }
    }
  }

  for (const auto& device : devices_) {
    if (device->outbox_size() != 0) {
      violation(device->device() + " still has " + std::to_string(device->outbox_size()) +
                " messages to send");
    }
    for (const auto& [client_msg_id, ack] : device->acked()) {
      const auto& history = histories[ack.chat_id];
      auto stored = std::find_if(history.begin(), history.end(),
                                 [&](const Message& m) { return m.seq == ack.seq; });
      if (stored == history.end() || stored->id != ack.message_id ||
          stored->client_msg_id != client_msg_id || stored->sender_id != device->user_id()) {
        violation("acknowledged message " + client_msg_id + " (id " +
                  std::to_string(ack.message_id) + ") is not in the store as acknowledged");
      }
    }
  }
}

void World::check_presence() {
  std::map<UserId, bool> online;
  for (const auto& device : devices_)
    online[device->user_id()] = online[device->user_id()] || device->live();
  for (const auto& device : devices_) {
    if (!device->live()) continue;
    auto contacts = server_->reader().contacts(device->user_id());
    if (!contacts) {
      violation("contacts: " + contacts.error().message);
      continue;
    }
    for (UserId contact : *contacts) {
      if (contact == device->user_id()) continue;
      bool truth = online[contact];
      bool shown = device->shows_online(contact).value_or(false);
      if (shown != truth) {
        violation(device->device() + " shows user " + std::to_string(contact) +
                  (shown ? " online" : " offline") + ", but they are " +
                  (truth ? "online" : "offline"));
      }
    }
  }
}

void World::note(const std::string& line) {
  trace_.push_back(std::to_string(clock_.elapsed().count()) + " " + line);
}

RunOutcome World::outcome(bool with_traces) const {
  RunOutcome outcome;
  outcome.violations = violations_;
  outcome.digest = kFnvOffset;
  for (const auto& line : trace_)
    hash_into(outcome.digest, line);
  if (with_traces) {
    for (const auto& line : trace_)
      outcome.traces += "world " + line + "\n";
  }
  for (const auto& device : devices_) {
    hash_into(outcome.digest, device->device());
    for (const auto& line : device->trace()) {
      hash_into(outcome.digest, line);
      if (with_traces) outcome.traces += device->device() + " " + line + "\n";
    }
  }
  return outcome;
}

}  // namespace messenger::sim
