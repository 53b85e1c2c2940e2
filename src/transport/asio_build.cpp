// The one place Asio's compiled parts are built (ASIO_SEPARATE_COMPILATION).
#include <asio/impl/src.hpp>
