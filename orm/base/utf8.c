/*
 * UTF-8 validation (RFC 3629): text columns hold valid UTF-8 both ways, so
 * a malformed byte sequence is an error at the boundary rather than a
 * surprise in some other program that reads the database.
 */
#include <stdint.h>
#include <string.h>
#include "base/utf8.h"

/* Eight bytes of ASCII, none of them NUL? */
static inline bool ascii_word(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	uint64_t has_zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
	return !(w & 0x8080808080808080ull) && !has_zero;
}

static bool check(const char *s, size_t n, bool allow_nul)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	/*
	 * ASCII without NUL, the commonest text: word by word, the last eight
	 * bytes as one word (overlapping the one before), with no byte loop
	 * for the tail. Anything else takes the loop below from the start.
	 */
	if (n >= 8) {
		const unsigned char *q = p;
		while (end - q > 8 && ascii_word(q))
			q += 8;
		if (end - q <= 8 && ascii_word(end - 8))
			return true;
	}
	while (p < end) {
		/* ASCII runs without NUL, eight bytes at a time */
		while (end - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			uint64_t has_zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
			if ((w & 0x8080808080808080ull) || has_zero)
				break;
			p += 8;
		}
		if (p >= end)
			break;
		if (end - p < 8 && n >= 8) {
			/* the tail, as the last eight bytes (their head was checked already) */
			uint64_t w;
			memcpy(&w, end - 8, 8);
			uint64_t has_zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
			if (!(w & 0x8080808080808080ull) && !has_zero)
				break;
		}
		unsigned c = *p;
		if (c < 0x80) {
			if (c == 0 && !allow_nul)
				return false;
			p++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xbf;  /* bounds of the second byte */
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;      /* no overlong forms */
			if (c == 0xed)
				hi = 0x9f;      /* no UTF-16 surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			if (c == 0xf4)
				hi = 0x8f;      /* nothing above U+10FFFF */
		} else {
			return false;
		}
		if ((size_t)(end - p) < len || p[1] < lo || p[1] > hi)
			return false;
		for (size_t i = 2; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += len;
	}
	return true;
}

bool calx__utf8_valid(const char *s, size_t n)
{
	return check(s, n, true);
}

bool calx__text_valid(const char *s, size_t n)
{
	return check(s, n, false);
}
