struct CALX_TABLE("rr_orders") order {
	int64_t id CALX(primary_key);
	int64_t line_id;
};

struct CALX_TABLE("rr_order_lines") order_line {
	int64_t id CALX(primary_key);
};
