struct __attribute__((annotate("calx:field(unique)"))) user {
	int64_t id;
};
