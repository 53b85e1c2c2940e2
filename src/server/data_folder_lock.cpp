#include "server/data_folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace messenger {
namespace {

constexpr const char* kLockFile = "messenger.lock";

}  // namespace

Result<DataFolderLock> DataFolderLock::acquire(const std::string& folder) {
  auto path = (std::filesystem::path(folder) / kLockFile).string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error{Errc::storage_error,
                 "cannot open lock file " + path + ": " + std::strerror(errno)};
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int cause = errno;
    ::close(fd);
    if (cause == EWOULDBLOCK) {
      return Error{Errc::storage_error,
                   "data folder " + folder + " is in use by another running server"};
    }
    return Error{Errc::storage_error, "cannot lock " + path + ": " + std::strerror(cause)};
  }
  return DataFolderLock(fd);
}

DataFolderLock::DataFolderLock(DataFolderLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

DataFolderLock& DataFolderLock::operator=(DataFolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DataFolderLock::~DataFolderLock() {
  // Closing the last descriptor of the open file releases the lock.
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace messenger
