/*
 * calx/annotate.h - annotations for plain C structs.
 *
 * Every macro here expands to nothing in an ordinary compile, so an annotated
 * struct keeps exactly the size, alignment and member offsets it had before.
 * Under calx-reflect (which defines CALX_REFLECT) the same macros expand to
 * __attribute__((annotate("calx:..."))), which libclang exposes to the tool.
 *
 * This header stands alone: it includes nothing. Nullable scalar columns
 * are declared with the calx_opt_* wrappers of <calx/nullable.h>, which a
 * model header includes itself; a plain scalar is a NOT NULL column.
 *
 *   struct CALX_TABLE("users") user {
 *       int64_t id CALX(primary_key);
 *       char name[64] CALX(not_null, unique);
 *   };
 */
#ifndef CALX_ANNOTATE_H
#define CALX_ANNOTATE_H

#ifdef CALX_REFLECT

#define CALX__ANNOTATE(text) __attribute__((annotate(text)))

/* A mapped table; the name is optional: CALX_TABLE() takes the struct tag. */
#define CALX_TABLE(...) CALX__ANNOTATE("calx:table(" #__VA_ARGS__ ")")
/* A struct whose columns are copied into every table that embeds it. */
#define CALX_MIXIN CALX__ANNOTATE("calx:mixin")
/*
 * A subclass: the struct's first member is its parent, a mapped struct
 * (C11 6.7.2.1p15: a pointer to the struct converts to a pointer to it).
 * The kind comes first; single-table is the one built so far:
 *   struct CALX_INHERIT(single, polymorphic_identity("engineer")) engineer {
 *       struct employee base;
 *       char *primary_language;
 *   };
 * The hierarchy's root names its discriminator column in CALX_TABLE:
 *   CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person"))
 */
#define CALX_INHERIT(...) CALX__ANNOTATE("calx:inherit(" #__VA_ARGS__ ")")
/* Field options: CALX(primary_key, name("user_id"), foreign_key("t.c")). */
#define CALX(...) CALX__ANNOTATE("calx:field(" #__VA_ARGS__ ")")
/*
 * The type-annotation map: send every field declared with typedef T to the
 * given SQL type, with optional per-dialect variants "dialect:TYPE".
 *   CALX_TYPE(email_t, "VARCHAR(255)", "postgresql:CITEXT");
 */
#define CALX_TYPE(T, ...)                                                   \
	struct CALX__ANNOTATE("calx:type(" #__VA_ARGS__ ")") calx__typemap_##T { \
		T calx__mapped;                                                 \
	}

/*
 * The header's naming rules, written once, before its first CALX_TABLE:
 *   CALX_NAMING(table = snake_plural);
 * table = tag (the default: the struct tag as written), snake (InvoiceLine
 * -> invoice_line) or snake_plural (InvoiceLine -> invoice_lines; README:
 * "Table names"). It applies to CALX_TABLE() without a name and to a
 * joined subclass without table(...); an explicit name always wins.
 */
#define CALX__NAMING_TAG2(n) calx__naming_##n
#define CALX__NAMING_TAG(n) CALX__NAMING_TAG2(n)
#define CALX_NAMING(...)                                                          \
	struct CALX__ANNOTATE("calx:naming(" #__VA_ARGS__ ")") CALX__NAMING_TAG(__COUNTER__) { \
		int calx__unused;                                                   \
	}

#else /* !CALX_REFLECT */

#define CALX_TABLE(...)
#define CALX_MIXIN
#define CALX_INHERIT(...)
#define CALX(...)
/* Expands to a declaration so that the caller's ';' stays valid at file scope. */
#ifdef __cplusplus
#define CALX_TYPE(T, ...) static_assert(1, "calx type map: " #T)
#define CALX_NAMING(...) static_assert(1, "calx naming rules")
#else
#define CALX_TYPE(T, ...) _Static_assert(1, "calx type map: " #T)
#define CALX_NAMING(...) _Static_assert(1, "calx naming rules")
#endif

#endif /* CALX_REFLECT */

#endif /* CALX_ANNOTATE_H */
