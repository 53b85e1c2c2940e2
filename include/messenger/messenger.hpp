#pragma once

/// Everything a program needs to embed a messenger server or client.
#include "messenger/client.hpp"
#include "messenger/crypto.hpp"
#include "messenger/error.hpp"
#include "messenger/limits.hpp"
#include "messenger/log.hpp"
#include "messenger/result.hpp"
#include "messenger/server.hpp"
#include "messenger/store.hpp"
#include "messenger/transport.hpp"
#include "messenger/types.hpp"
#include "messenger/version.hpp"
