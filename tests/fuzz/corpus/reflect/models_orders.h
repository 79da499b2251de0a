struct CALX_TABLE("orders") order {
	int64_t id CALX(primary_key);
	int32_t no CALX(primary_key);
	int32_t priority;
	char *customer;
};

struct CALX_TABLE("order_lines",
		  unique("order_id", "line_no"),
		  index("sku", "created"),
		  index("code", unique=true),
		  check("qty > 0", name="qty_positive"),
		  foreign_key("order_id, order_no", "orders(id, no)", ondelete="CASCADE", onupdate="CASCADE"))
order_line {
	int64_t id CALX(primary_key);
	int64_t order_id CALX(not_null);
	int32_t order_no CALX(not_null);
	int32_t line_no;
	char sku[16];
	int64_t created;
	char *code;
	int32_t qty CALX(default(1));
};


struct CALX_TABLE("parts", foreign_key("kit, parent_no", "parts(kit, no)", name="part_parent")) part {
	char kit[8] CALX(primary_key);
	int32_t no CALX(primary_key);
	int32_t parent_no;
	char *label;
};


struct CALX_TABLE("tasks", foreign_key("project, parent_no", "tasks(project, no)", name="task_parent")) task {
	int32_t project CALX(primary_key);
	int32_t no CALX(primary_key);
	calx_opt_int32 parent_no;
	char *title;
};


struct CALX_TABLE("shipments", foreign_key("order_id, order_no", "orders(id, no)", ondelete="CASCADE")) shipment {
	int64_t id CALX(primary_key);
	calx_opt_int64 order_id;
	calx_opt_int32 order_no;
	char *carrier;
};
