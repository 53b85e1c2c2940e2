#include "store/sqlite/reader_gate.hpp"

namespace messenger {

ReaderGate::Pass::Pass(ReaderGate& gate) : gate_(gate) {
  std::unique_lock lock(gate_.mutex_);
  gate_.changed_.wait(lock, [this] { return !gate_.closed_; });
  ++gate_.reading_;
}

ReaderGate::Pass::~Pass() {
  std::lock_guard lock(gate_.mutex_);
  if (--gate_.reading_ == 0) gate_.changed_.notify_all();
}

void ReaderGate::close() {
  std::unique_lock lock(mutex_);
  closed_ = true;
  changed_.wait(lock, [this] { return reading_ == 0; });
}

void ReaderGate::open() {
  {
    std::lock_guard lock(mutex_);
    closed_ = false;
  }
  changed_.notify_all();
}

}  // namespace messenger
