// messenger.h alone, as C++.
#include <messenger/messenger.h>
