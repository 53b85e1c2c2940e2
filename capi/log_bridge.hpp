#pragma once

#include "messenger.h"
#include "messenger/log.hpp"

namespace messenger::capi {

/// Log options that hand each line to a C callback (none when `callback` is
/// NULL). `level` must be a valid level.
LogOptions make_log_options(msgr_log_level level, msgr_log_fn callback,
                            void *user_data);

}  // namespace messenger::capi
