/*
 * tests/fuzz/fuzz_bytes.h - reading a libFuzzer input as a stream of
 * choices, for the targets that build structured data from it (fuzz_sql.c,
 * fuzz_uow.c). An exhausted input reads as zeros, so every builder ends.
 */
#ifndef CALX_FUZZ_BYTES_H
#define CALX_FUZZ_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct fz_bytes {
	const uint8_t *p;
	size_t n;
} fz_bytes;

static inline unsigned fz_u8(fz_bytes *b)
{
	if (!b->n)
		return 0;
	b->n--;
	return *b->p++;
}

/* A choice among n (n > 0). */
static inline unsigned fz_pick(fz_bytes *b, unsigned n)
{
	return n ? fz_u8(b) % n : 0;
}

static inline uint32_t fz_u32(fz_bytes *b)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | fz_u8(b);
	return v;
}

static inline uint64_t fz_u64(fz_bytes *b)
{
	return (uint64_t)fz_u32(b) << 32 | fz_u32(b);
}

/* What the target found wrong, then a crash for libFuzzer to keep the input. */
#define FZ_FAIL(...)                                    \
	do {                                            \
		fprintf(stderr, "fuzz: " __VA_ARGS__);  \
		fputc('\n', stderr);                    \
		__builtin_trap();                       \
	} while (0)

#endif /* CALX_FUZZ_BYTES_H */
