#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

CALX_TYPE(int, "INTEGER");
