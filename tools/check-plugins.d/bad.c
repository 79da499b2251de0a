/* Each line marked FAILS must be found by tools/check-plugins.sh. */
#include "session/session.h"   /* FAILS: internal, by a path */
#include <orm/base/alloc.h>     /* FAILS: internal, by an include folder */
#include <calx/no_such.h>       /* FAILS: not a public header */
#include "clock.h"              /* FAILS: this folder is not plugins/ */
