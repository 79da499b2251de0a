/*
 * calx/uuid.h: UUIDs as a user type (16 bytes; PostgreSQL's UUID in its
 * binary form, SQLite's 16-byte BLOB), their text, and the v4 and v7
 * generators over the operating system's random source.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "calx/calx.h"
#include "calx/uuid.h"

static const char hexdigits[] = "0123456789abcdef";

void calx_uuid_format(const calx_uuid *u, char out[CALX_UUID_TEXT_SIZE])
{
	size_t n = 0;
	for (unsigned i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		out[n++] = hexdigits[u->bytes[i] >> 4];
		out[n++] = hexdigits[u->bytes[i] & 15];
	}
	out[n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* n bytes of text: 36 with hyphens at 8, 13, 18, 23, or 32 hex digits. */
static int parse_n(calx_uuid *out, const char *s, size_t n)
{
	calx_uuid u;
	bool hyphens = n == 36;
	if (n != 36 && n != 32)
		return CALX_EINVAL;
	size_t k = 0;
	for (unsigned i = 0; i < 16; i++) {
		if (hyphens && (k == 8 || k == 13 || k == 18 || k == 23)) {
			if (s[k] != '-')
				return CALX_EINVAL;
			k++;
		}
		int hi = hexval(s[k]), lo = hexval(s[k + 1]);
		if (hi < 0 || lo < 0)
			return CALX_EINVAL;
		u.bytes[i] = (uint8_t)(hi << 4 | lo);
		k += 2;
	}
	*out = u;
	return CALX_OK;
}

int calx_uuid_parse(calx_uuid *out, const char *text)
{
	if (!out || !text)
		return CALX_EINVAL;
	return parse_n(out, text, strlen(text));
}

bool calx_uuid_equal(const calx_uuid *a, const calx_uuid *b)
{
	return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

bool calx_uuid_is_nil(const calx_uuid *u)
{
	static const calx_uuid nil;
	return calx_uuid_equal(u, &nil);
}

/* n random bytes from getrandom, retried when interrupted. */
static int random_bytes(uint8_t *p, size_t n)
{
	while (n) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return CALX_EIO;
		}
		p += got;
		n -= (size_t)got;
	}
	return CALX_OK;
}

/* RFC 9562: the version in the high nibble of byte 6, the variant 10xx in byte 8. */
static void stamp(calx_uuid *u, unsigned version)
{
	u->bytes[6] = (uint8_t)((u->bytes[6] & 0x0f) | (version << 4));
	u->bytes[8] = (uint8_t)((u->bytes[8] & 0x3f) | 0x80);
}

int calx_uuid_v4(calx_uuid *out)
{
	calx_uuid u;
	if (!out)
		return CALX_EINVAL;
	int rc = random_bytes(u.bytes, sizeof u.bytes);
	if (rc != CALX_OK)
		return rc;
	stamp(&u, 4);
	*out = u;
	return CALX_OK;
}

int calx_uuid_v7(calx_uuid *out)
{
	calx_uuid u;
	struct timespec ts;
	if (!out)
		return CALX_EINVAL;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
		return CALX_EIO;
	int rc = random_bytes(u.bytes + 6, sizeof u.bytes - 6);
	if (rc != CALX_OK)
		return rc;
	/* 48 bits of Unix milliseconds, big-endian, then the random bits */
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	for (unsigned i = 0; i < 6; i++)
		u.bytes[i] = (uint8_t)(ms >> (8 * (5 - i)));
	stamp(&u, 7);
	*out = u;
	return CALX_OK;
}

calx_uuid calx_uuid_new_v4(void)
{
	calx_uuid u = { { 0 } };
	if (calx_uuid_v4(&u) != CALX_OK)
		memset(&u, 0, sizeof u);
	return u;
}

calx_uuid calx_uuid_new_v7(void)
{
	calx_uuid u = { { 0 } };
	if (calx_uuid_v7(&u) != CALX_OK)
		memset(&u, 0, sizeof u);
	return u;
}

/* The user type: 16 bytes out; PostgreSQL's text or SQLite's 16-byte blob in. */
static int uuid_to_value(const calx_user_type *t, const void *field, calx_value *out, char *buf, size_t cap)
{
	(void)t, (void)buf, (void)cap;
	*out = calx_uuid_value((const calx_uuid *)field);
	return CALX_OK;
}

static int uuid_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	(void)t;
	calx_uuid *u = field;
	if (in->kind == CALX_VALUE_BLOB) {
		if (in->u.s.n != sizeof u->bytes)
			return CALX_ERANGE;
		memcpy(u->bytes, in->u.s.p, sizeof u->bytes);
		return CALX_OK;
	}
	if (in->kind == CALX_VALUE_TEXT)
		return parse_n(u, in->u.s.p, in->u.s.n) == CALX_OK ? CALX_OK : CALX_ETYPE;
	return CALX_ETYPE;
}

static bool uuid_equal(const calx_user_type *t, const void *a, const void *b)
{
	(void)t;
	return calx_uuid_equal(a, b);
}

static int uuid_repr(const calx_user_type *t, const void *field, char *buf, size_t cap)
{
	(void)t;
	if (cap < CALX_UUID_TEXT_SIZE)
		return CALX_ERANGE;
	calx_uuid_format(field, buf);
	return CALX_OK;
}

static const char *uuid_sql_type(const calx_user_type *t, const char *dialect)
{
	(void)t;
	return !strcmp(dialect, "postgresql") ? "UUID" : "BLOB";
}

const calx_user_type calx_uuid_type = {
	.version = CALX_USER_TYPE_VERSION, .name = "calx_uuid", .to_value = uuid_to_value,
	.from_value = uuid_from_value, .equal = uuid_equal, .sql_type = uuid_sql_type, .size = sizeof(calx_uuid),
	.repr = uuid_repr,
};

/* calx_opt_uuid: the same, with has_value false for NULL. */
static bool opt_is_null(const calx_user_type *t, const void *field)
{
	(void)t;
	return !((const calx_opt_uuid *)field)->has_value;
}

static void opt_set_null(const calx_user_type *t, void *field)
{
	(void)t;
	memset(field, 0, sizeof(calx_opt_uuid));
}

static int opt_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	calx_opt_uuid *o = field;
	calx_uuid u;
	int rc = uuid_from_value(t, in, &u);
	if (rc != CALX_OK)
		return rc;
	memset(o, 0, sizeof *o);
	o->value = u;
	o->has_value = true;
	return CALX_OK;
}

static bool opt_equal(const calx_user_type *t, const void *a, const void *b)
{
	(void)t;
	return calx_uuid_equal(&((const calx_opt_uuid *)a)->value, &((const calx_opt_uuid *)b)->value);
}

const calx_user_type calx_opt_uuid_type = {
	.version = CALX_USER_TYPE_VERSION, .name = "calx_opt_uuid", .to_value = uuid_to_value,
	.from_value = opt_from_value, .equal = opt_equal, .sql_type = uuid_sql_type, .is_null = opt_is_null,
	.set_null = opt_set_null, .size = sizeof(calx_opt_uuid), .repr = uuid_repr,
};
