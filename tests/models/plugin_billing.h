/*
 * The billing part of the two-header model (plugin_core.h says how it is
 * built): its invoices refer to the core's accounts by a foreign key and a
 * many-to-one, and its lines to the invoices; a header of its own, as a
 * plugin would bring it. It is given to calx-reflect first, so its tables
 * are declared before the accounts they refer to: create_all orders them.
 */
#ifndef CALX_TEST_PLUGIN_BILLING_H
#define CALX_TEST_PLUGIN_BILLING_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

/* plugin_core.h's: a declaration is enough here, the schema sees both headers */
struct plg_account;

CALX_NAMING(table = snake_plural);

/* -> plg_invoices */
struct CALX_TABLE() plg_invoice {
	int64_t id CALX(primary_key);
	int64_t account_id CALX(foreign_key("plg_accounts.id", ondelete="CASCADE"));
	int32_t cents;
	struct plg_account *account CALX(back_populates("invoices"));
	CALX_LIST(struct plg_invoice_line) lines;
};

/* -> plg_invoice_lines */
struct CALX_TABLE() plg_invoice_line {
	int64_t id CALX(primary_key);
	int64_t invoice_id CALX(foreign_key("plg_invoices.id"));
	char sku[16];
	struct plg_invoice *invoice;
};

#endif
