#pragma once

#include <string>

namespace messenger {

/// A client message id unique enough across devices and restarts: 128 random bits in hex.
std::string random_client_msg_id();

}  // namespace messenger
