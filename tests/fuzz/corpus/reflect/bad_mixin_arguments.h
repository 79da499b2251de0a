struct __attribute__((annotate("calx:mixin(x)"))) stamps {
	int64_t created_at;
};
