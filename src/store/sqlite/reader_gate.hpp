#pragma once

#include <condition_variable>
#include <mutex>

namespace messenger {

/// Lets the writer have a moment with none of the store's readers inside SQLite. Restarting the
/// WAL from its beginning needs that moment, and back-to-back readers would otherwise almost
/// never leave one: SQLite's busy handler polls, and each poll finds a reader in.
class ReaderGate {
 public:
  /// Held by a reader for the length of one read.
  class Pass {
   public:
    explicit Pass(ReaderGate& gate);
    ~Pass();
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    ReaderGate& gate_;
  };

  /// Stops new reads, waits for the reads in progress to end, runs `exclusive`, lets reads go
  /// on. Must not be called from inside a read.
  template <typename Exclusive>
  void run_alone(Exclusive&& exclusive) {
    close();
    struct Reopen {
      ReaderGate& gate;
      ~Reopen() { gate.open(); }
    } reopen{*this};
    exclusive();
  }

 private:
  void close();
  void open();

  std::mutex mutex_;
  std::condition_variable changed_;
  int reading_ = 0;
  bool closed_ = false;
};

}  // namespace messenger
