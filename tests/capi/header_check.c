/* messenger.h alone, as strict C11. */
#include <messenger/messenger.h>
