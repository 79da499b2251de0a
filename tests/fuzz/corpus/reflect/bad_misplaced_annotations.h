union CALX_TABLE("rr_unions") number {
	int64_t i;
	double d;
};

union CALX_MIXIN either {
	int64_t i;
};

int64_t counter CALX(unique);
typedef int64_t id_t CALX(primary_key);
enum CALX(index) color { RED, GREEN };
enum CALX_TABLE("rr_enums") shade { DARK };
