#include "integration/support/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>

namespace messenger::test {

TempDir::TempDir() {
  auto pattern = (std::filesystem::temp_directory_path() / "messenger-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace messenger::test
