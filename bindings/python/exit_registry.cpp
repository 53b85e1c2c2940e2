#include "exit_registry.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace messenger::python {
namespace {

// Guarded by the GIL. Ordered by address only so that closing is deterministic within a run.
std::map<const void*, std::function<void()>>& registered() {
  static auto* objects = new std::map<const void*, std::function<void()>>();
  return *objects;
}

}  // namespace

void ExitRegistry::add(const void* object, std::function<void()> close) {
  registered()[object] = std::move(close);
}

void ExitRegistry::remove(const void* object) {
  registered().erase(object);
}

void ExitRegistry::close_all() {
  // Closing one object may release the last reference to another (a handler that holds a
  // client), which then leaves the map: look each next one up afresh.
  std::set<const void*> done;
  for (;;) {
    auto& objects = registered();
    auto next = std::find_if(objects.begin(), objects.end(),
                             [&](const auto& entry) { return !done.contains(entry.first); });
    if (next == objects.end()) return;
    done.insert(next->first);
    auto close = next->second;
    close();
  }
}

}  // namespace messenger::python
