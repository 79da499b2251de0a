struct CALX_TABLE("orders") order {
	int64_t id CALX(primary_key);
	int32_t no CALX(primary_key);
	char code[8];
};

struct CALX_TABLE("lines", foreign_key("order_id, order_code", "orders(id, code)")) line {
	int64_t id CALX(primary_key);
	int64_t order_id;
	char order_code[8];
};
