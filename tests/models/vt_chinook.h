/*
 * Chinook's invoices and their lines read through exact decimals
 * (tests/test_decimal_type.c): the same tables the Chinook example creates
 * and loads (examples/chinook), mapped a second time with calx_decimal in
 * place of the example's doubles. Only the columns the test reads.
 */
#ifndef CALX_TEST_VT_CHINOOK_H
#define CALX_TEST_VT_CHINOOK_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/decimal.h>

struct CALX_TABLE("Invoice") vt_invoice {
	int32_t invoice_id CALX(primary_key, name("InvoiceId"));
	calx_decimal total CALX(not_null, name("Total"), type("NUMERIC(10,2)"));
};

struct CALX_TABLE("InvoiceLine") vt_invoice_line {
	int32_t invoice_line_id CALX(primary_key, name("InvoiceLineId"));
	int32_t invoice_id CALX(not_null, name("InvoiceId"), foreign_key("Invoice.InvoiceId"));
	calx_decimal unit_price CALX(not_null, name("UnitPrice"), type("NUMERIC(10,2)"));
	int32_t quantity CALX(not_null, name("Quantity"));
};

#endif
