#include "sim/sim_scenarios.hpp"

#include <algorithm>

#include "client/typing_timers.hpp"

namespace messenger::sim {
namespace {

constexpr int kMinSteps = 150;
constexpr int kMaxSteps = 400;
constexpr int kMinGroupMembers = 3;
constexpr int kMaxGroupMembers = 6;
// Chances, in percent: that the member leaves rather than being removed; that they are added
// back later; that one member has a second device.
constexpr int kLeavePercent = 30;
constexpr int kReaddPercent = 30;
constexpr int kSecondDevicePercent = 50;

void run_steps(World& world) {
  const auto steps = world.random().between(kMinSteps, kMaxSteps);
  for (std::int64_t i = 0; i < steps; ++i)
    world.step();
}

// The owner removes the member, or the member leaves; false while the one to ask is offline.
bool take_out(World& world, ModelClient& owner, ChatId group, UserId member, bool leaves) {
  if (!leaves) {
    owner.remove_member(group, member);
    return owner.live();
  }
  for (auto& device : world.devices()) {
    if (device->user_id() == member && device->live()) {
      device->leave_chat(group);
      return true;
    }
  }
  return false;
}

RunOutcome finish(World& world, bool with_traces) {
  if (world.settle()) {
    world.check_contract();
    world.check_presence();
  }
  return world.outcome(with_traces);
}

}  // namespace

RunOutcome two_users(std::uint64_t seed, bool with_traces) {
  World world(seed, StepWeights{});
  auto& alice = world.add_device("alice");
  auto& bob = world.add_device("bob");
  if (!world.settle()) return world.outcome(with_traces);
  world.open_direct_chat(alice, bob.user_id());

  run_steps(world);
  return finish(world, with_traces);
}

RunOutcome three_devices(std::uint64_t seed, bool with_traces) {
  StepWeights weights;
  weights.seen = 10;
  World world(seed, weights);
  auto& alice = world.add_device("alice");
  auto& bob = world.add_device("bob");
  if (!world.settle()) return world.outcome(with_traces);
  world.add_device("alice");
  world.add_device("alice");
  if (!world.settle()) return world.outcome(with_traces);
  world.open_direct_chat(bob, alice.user_id());

  run_steps(world);
  // A fourth device logs in late and syncs everything from the start.
  world.add_device("alice");
  return finish(world, with_traces);
}

RunOutcome group_removal(std::uint64_t seed, bool with_traces) {
  World world(seed, StepWeights{});
  auto& owner = world.add_device("owner");
  const auto count = world.random().between(kMinGroupMembers, kMaxGroupMembers);
  for (std::int64_t i = 0; i < count; ++i)
    world.add_device("member-" + std::to_string(i));
  if (!world.settle()) return world.outcome(with_traces);
  // A second device of one member, so that a removed member may have one device away while
  // the other hears the removal.
  if (world.random().percent(kSecondDevicePercent)) world.add_device("member-0");
  if (!world.settle()) return world.outcome(with_traces);
  std::vector<UserId> members;
  for (const auto& device : world.devices()) {
    if (device->user_id() != owner.user_id() &&
        std::find(members.begin(), members.end(), device->user_id()) == members.end()) {
      members.push_back(device->user_id());
    }
  }
  ChatId group = world.create_group(owner, members);
  if (group == 0) return world.outcome(with_traces);

  const UserId removed = members[world.random().below(members.size())];
  const bool leaves = world.random().percent(kLeavePercent);
  const auto steps = world.random().between(kMinSteps, kMaxSteps);
  const auto remove_at = world.random().between(steps / 4, steps * 3 / 4);
  const bool readd = world.random().percent(kReaddPercent);
  const auto readd_at = world.random().between(remove_at + 1, steps);
  bool remove_sent = false;
  bool readd_sent = false;
  for (std::int64_t i = 0; i < steps; ++i) {
    // Asked for when connected; the request may still be lost to a cut or a crash.
    if (i >= remove_at && !remove_sent)
      remove_sent = take_out(world, owner, group, removed, leaves);
    if (readd && i >= readd_at && remove_sent && !readd_sent && owner.live()) {
      owner.add_member(group, removed);
      readd_sent = true;
    }
    world.step();
  }

  // Whatever the steps did, end with the member out and everyone talking after it; and a new
  // device of the member syncs from the start, through every membership they had.
  if (!world.settle()) return world.outcome(with_traces);
  take_out(world, owner, group, removed, false);
  for (const auto& device : world.devices()) {
    if (device->user_id() == removed) {
      world.add_device(device->name());
      break;
    }
  }
  if (!world.settle()) return world.outcome(with_traces);
  for (auto& device : world.devices())
    device->queue_message(group, "after the removal");
  return finish(world, with_traces);
}

RunOutcome presence_and_typing(std::uint64_t seed, bool with_traces) {
  StepWeights weights;
  weights.typing = 10;
  weights.cut = 6;
  World world(seed, weights);
  auto& ann = world.add_device("ann");
  auto& ben = world.add_device("ben");
  auto& cas = world.add_device("cas");
  if (!world.settle()) return world.outcome(with_traces);
  world.add_device("ann");
  if (!world.settle()) return world.outcome(with_traces);
  world.open_direct_chat(ann, ben.user_id());
  world.open_direct_chat(cas, ann.user_id());
  world.create_group(ben, {ann.user_id(), cas.user_id()});

  run_steps(world);
  if (!world.settle()) return world.outcome(with_traces);
  world.check_contract();
  world.check_presence();

  // Typing shows on the other members' devices, and ends after the timeout.
  world.advance(kTypingTimeout + std::chrono::seconds(1));
  auto& devices = world.devices();
  for (const auto& device : devices) {
    if (device->any_typing()) world.violation(device->device() + " still shows typing");
  }
  auto& typist = *devices[world.random().below(devices.size())];
  std::vector<ChatId> candidates;
  for (const auto& device : devices) {
    for (const auto& chat : device->chats_made()) {
      if (typist.member_of(chat.id)) candidates.push_back(chat.id);
    }
  }
  if (!candidates.empty()) {
    ChatId chat = candidates[world.random().below(candidates.size())];
    typist.typing(chat);
    if (!world.settle()) return world.outcome(with_traces);
    for (const auto& device : devices) {
      bool other = device->user_id() != typist.user_id();
      bool expected = other && device->member_of(chat);
      if (device->shows_typing(chat, typist.user_id()) != expected) {
        world.violation(device->device() + (expected ? " does not show " : " shows ") +
                        typist.device() + " typing in chat " + std::to_string(chat));
      }
    }
  }

  // A cut connection shows its user offline to everyone who shares a chat with them.
  std::vector<UserId> users;
  for (const auto& device : devices)
    users.push_back(device->user_id());
  UserId gone = users[world.random().below(users.size())];
  for (auto& device : devices) {
    if (device->user_id() == gone) device->cut("network");
  }
  if (world.settle(false)) world.check_presence();
  world.advance(kTypingTimeout);
  for (const auto& device : devices) {
    if (device->any_typing()) world.violation(device->device() + " still shows typing");
  }
  return world.outcome(with_traces);
}

}  // namespace messenger::sim
