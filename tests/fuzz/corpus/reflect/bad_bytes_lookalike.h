typedef struct { char *data; int len; } calx_bytes;

struct CALX_TABLE("rt_blobs") blob {
	int64_t id CALX(primary_key);
	calx_bytes body;
};
