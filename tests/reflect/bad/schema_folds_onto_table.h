/* SQLite folds a schema into the table name: these two are one table there. */
#include <stdint.h>
#include <calx/annotate.h>
struct CALX_TABLE("billing.invoices") inv { int64_t id CALX(primary_key); };
struct CALX_TABLE("billing_invoices") inv2 { int64_t id CALX(primary_key); };
