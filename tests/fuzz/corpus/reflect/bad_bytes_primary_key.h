struct CALX_TABLE("rt_blobs") blob {
	unsigned char digest[32] CALX(primary_key);
};

struct CALX_TABLE("rt_files") file {
	calx_bytes body CALX(primary_key);
};
