/*
 * The core of a model spread over two headers (tests/test_several_headers.c):
 * accounts here, their invoices in plugin_billing.h, one schema generated
 * from both (calx-reflect plugin_billing.h plugin_core.h -o
 * plugins.calx.c). Tables start with plg_ (PostgreSQL tests of a run
 * share one database).
 */
#ifndef CALX_TEST_PLUGIN_CORE_H
#define CALX_TEST_PLUGIN_CORE_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct plg_invoice; /* declared by plugin_billing.h */

struct CALX_TABLE("plg_accounts") plg_account {
	int64_t id CALX(primary_key);
	char name[32];
	/* the other side of plg_invoice.account, across the headers */
	CALX_LIST(struct plg_invoice) invoices CALX(back_populates("account"));
};

#endif
