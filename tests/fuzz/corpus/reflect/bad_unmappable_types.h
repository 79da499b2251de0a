struct point { int x, y; };
union number { int i; double d; };
struct CALX_TABLE("addresses") address { int64_t id CALX(primary_key); };

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int *p;
	struct point where;
	union number num;
	void (*callback)(void);
	int32_t scores[4];
	char initial;
	long double big;
	unsigned char *bytes;
	struct address *address;
	struct point *ok_pointer CALX(transient);
};
