struct __attribute__((annotate("calx:tabel(\"users\")"))) user {
	int64_t id;
};
