struct CALX_TABLE("rt_blobs") blob {
	int64_t id CALX(primary_key);
	uint8_t digest[32] CALX(nullable);
	char initial CALX(char_as(text), nullable);
};
