/* What plugins may include: public headers and system headers. */
#include <stdint.h>
#include <string.h>
#include <calx/calx.h>
#include <calx/events.h>
