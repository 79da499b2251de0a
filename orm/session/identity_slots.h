/*
 * Internal to the identity map (identity.c, identity_grow.c): how a slot
 * holds its entry. A slot is the object's address with the tag, 16 bits
 * of the folded hash, in the address's unused top bits; the object's
 * header keeps the 29 folded bits (calx__obj.hash) that place it.
 */
#ifndef CALX_ORM_IDENTITY_SLOTS_H
#define CALX_ORM_IDENTITY_SLOTS_H

#include <stdint.h>
#include "session/session.h"

/* The 29 bits of a key's hash the map works with (the header's). */
static inline uint32_t fold(uint64_t hash)
{
	return (uint32_t)(hash ^ (hash >> 32)) & ((UINT32_C(1) << CALX__HASH_BITS) - 1);
}

/*
 * The tag: the folded hash's top 16 bits, in the slot's top 16 bits. A 64-bit
 * platform's user addresses leave them zero (x86-64 and AArch64 give a
 * process 47 or 48 bits unless it asks for more), so a probe compares a
 * slot's tag before it reads that object's header: at 70% full a miss
 * passes about three other slots, and each read of a header was a cache
 * miss on a big session (a third of a 110,000-object load's time in the
 * map). An address that does use those bits turns tagging off for the
 * session (calx__idmap_untag_all), so correctness never depends on them.
 */
#if UINTPTR_MAX > 0xffffffffu
#define TAG_SHIFT 48
#define TAG_BITS (~(uintptr_t)0 << TAG_SHIFT)
#else
#define TAG_SHIFT 0
#define TAG_BITS ((uintptr_t)0)
#endif

static inline void prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
	__builtin_prefetch(p);
#else
	(void)p;
#endif
}

static inline uintptr_t tag_mask(const calx_session *s)
{
	return s->idmap_untagged ? 0 : TAG_BITS;
}

static inline uintptr_t tag_of(uint32_t h32)
{
#if TAG_SHIFT
	return (uintptr_t)(h32 >> (CALX__HASH_BITS - 16)) << TAG_SHIFT;
#else
	(void)h32;
	return 0;
#endif
}

static inline calx__obj *slot_obj(uintptr_t v, uintptr_t tags)
{
	return (calx__obj *)(v & ~tags);
}

/* h's slot value: its address and the tag of its header's hash. */
static inline uintptr_t slot_value(calx_session *s, calx__obj *h)
{
	if ((uintptr_t)h & TAG_BITS && !s->idmap_untagged)
		calx__idmap_untag_all(s);
	return (uintptr_t)h | (tag_of(h->hash) & tag_mask(s));
}

/* Double the map (identity_grow.c). */
int calx__idmap_grow(calx_session *s);

#endif
