/*
 * reflect/types.c - from a field's C type to a calx_ctype, and from its
 * typedef chain to the type-annotation map.
 *
 * The ctype comes from the canonical type (typedefs resolved), so layout
 * and signedness are what the compiler sees. The SQL type comes from the
 * typedef chain as written, nearest typedef first, like SQLAlchemy's
 * type_annotation_map looks up the annotation before its base types.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_plain_char(enum CXTypeKind k)
{
	return k == CXType_Char_S || k == CXType_Char_U;
}

static calx_ctype sized(bool is_signed, long long size)
{
	switch (size) {
	case 1: return is_signed ? CALX_CTYPE_INT8 : CALX_CTYPE_UINT8;
	case 2: return is_signed ? CALX_CTYPE_INT16 : CALX_CTYPE_UINT16;
	case 4: return is_signed ? CALX_CTYPE_INT32 : CALX_CTYPE_UINT32;
	case 8: return is_signed ? CALX_CTYPE_INT64 : CALX_CTYPE_UINT64;
	default: return (calx_ctype)0;
	}
}

/* A canonical arithmetic type, or 0. Plain char is refused: text or byte? */
static calx_ctype arithmetic(CXType c)
{
	switch (c.kind) {
	case CXType_Bool: return CALX_CTYPE_BOOL;
	case CXType_Float: return CALX_CTYPE_FLOAT;
	case CXType_Double: return CALX_CTYPE_DOUBLE;
	case CXType_SChar: case CXType_Short: case CXType_Int: case CXType_Long: case CXType_LongLong:
		return sized(true, clang_Type_getSizeOf(c));
	case CXType_UChar: case CXType_UShort: case CXType_UInt: case CXType_ULong: case CXType_ULongLong:
		return sized(false, clang_Type_getSizeOf(c));
	default: return (calx_ctype)0;
	}
}

static bool record_is_table(calxr__ctx *cx, CXCursor rec)
{
	unsigned n;
	char **v = calxr__annotations(cx, clang_getCursorDefinition(rec), &n);
	bool yes = false;
	for (unsigned i = 0; i < n; i++) {
		size_t len;
		/* a subclass is mapped too; relations.c and inherit.c say what its relationships may be */
		if (calxr__annot_classify(v[i], &len) == CALXR__ANNOT_TABLE || calxr__annot_classify(v[i], &len) == CALXR__ANNOT_INHERIT)
			yes = true;
	}
	calxr__strv_free(v, n);
	return yes;
}

/* The wrappers of calx/nullable.h, by typedef name, and the C type each wraps. */
static const struct { const char *name; calx_ctype ctype; } wrappers[] = {
	{ "calx_opt_int8", CALX_CTYPE_INT8 }, { "calx_opt_int16", CALX_CTYPE_INT16 },
	{ "calx_opt_int32", CALX_CTYPE_INT32 }, { "calx_opt_int64", CALX_CTYPE_INT64 },
	{ "calx_opt_uint8", CALX_CTYPE_UINT8 }, { "calx_opt_uint16", CALX_CTYPE_UINT16 },
	{ "calx_opt_uint32", CALX_CTYPE_UINT32 }, { "calx_opt_uint64", CALX_CTYPE_UINT64 },
	{ "calx_opt_bool", CALX_CTYPE_BOOL }, { "calx_opt_float", CALX_CTYPE_FLOAT },
	{ "calx_opt_double", CALX_CTYPE_DOUBLE },
};

const char *calxr__opt_type_name(calx_ctype t)
{
	for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++)
		if (wrappers[i].ctype == t)
			return wrappers[i].name;
	return NULL;
}

/* The record is { T value; bool has_value; } with T of ctype: what the runtime reads. */
static bool wrapper_layout(calxr__ctx *cx, CXType rec, calx_ctype want)
{
	unsigned n;
	CXCursor *f;
	bool ok;

	if (rec.kind != CXType_Record)
		return false;
	f = calxr__fields(cx, clang_getTypeDeclaration(rec), &n);
	ok = f && n == 2 && clang_getCursorKind(f[0]) == CXCursor_FieldDecl &&
	     clang_getCursorKind(f[1]) == CXCursor_FieldDecl &&
	     arithmetic(clang_getCanonicalType(clang_getCursorType(f[0]))) == want &&
	     clang_getCanonicalType(clang_getCursorType(f[1])).kind == CXType_Bool &&
	     clang_Type_getOffsetOf(rec, "value") == 0 && clang_Type_getOffsetOf(rec, "has_value") > 0;
	free(f);
	return ok;
}

/*
 * A calx_opt_* wrapper, found by typedef name through the chain as written
 * (like the type map): CALXR__SHAPE_OPTIONAL with the wrapped ctype, or
 * CALXR__SHAPE_NONE (ctype still set) for a typedef of that name that is not
 * the wrapper.
 * CALXR__SHAPE_SCALAR (meaning "not a wrapper") otherwise.
 */
static calxr__shape optional(calxr__ctx *cx, CXType t, calx_ctype *ctype_out)
{
	for (int depth = 0; depth < 256; depth++) {
		if (t.kind == CXType_Elaborated) {
			t = clang_Type_getNamedType(t);
			continue;
		}
		if (t.kind != CXType_Typedef)
			return CALXR__SHAPE_SCALAR;
		{
			CXString s = clang_getTypedefName(t);
			const char *name = clang_getCString(s);
			for (size_t i = 0; name && i < sizeof wrappers / sizeof wrappers[0]; i++)
				if (!strcmp(wrappers[i].name, name)) {
					clang_disposeString(s);
					/* for CALXR__SHAPE_NONE too: which wrapper the name promised */
					*ctype_out = wrappers[i].ctype;
					if (!wrapper_layout(cx, clang_getCanonicalType(t), wrappers[i].ctype))
						return CALXR__SHAPE_NONE;
					return CALXR__SHAPE_OPTIONAL;
				}
			clang_disposeString(s);
		}
		t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
	}
	return CALXR__SHAPE_SCALAR;
}

/* A typedef named `want` somewhere in t's chain, as written (like the wrappers). */
static bool named(CXType t, const char *want)
{
	for (int depth = 0; depth < 256; depth++) {
		if (t.kind == CXType_Elaborated) {
			t = clang_Type_getNamedType(t);
			continue;
		}
		if (t.kind != CXType_Typedef)
			return false;
		CXString s = clang_getTypedefName(t);
		const char *name = clang_getCString(s);
		bool yes = name && !strcmp(name, want);
		clang_disposeString(s);
		if (yes)
			return true;
		t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
	}
	return false;
}

/* calx/bytes.h's struct: { unsigned char *data; size_t len; }, what the runtime reads. */
static bool bytes_layout(calxr__ctx *cx, CXType rec)
{
	unsigned n;
	CXCursor *f;
	bool ok;

	if (rec.kind != CXType_Record)
		return false;
	f = calxr__fields(cx, clang_getTypeDeclaration(rec), &n);
	ok = f && n == 2 && clang_getCursorKind(f[0]) == CXCursor_FieldDecl &&
	     clang_getCursorKind(f[1]) == CXCursor_FieldDecl;
	if (ok) {
		CXType d = clang_getCanonicalType(clang_getCursorType(f[0]));
		CXType l = clang_getCanonicalType(clang_getCursorType(f[1]));
		ok = d.kind == CXType_Pointer && clang_getCanonicalType(clang_getPointeeType(d)).kind == CXType_UChar &&
		     (l.kind == CXType_ULong || l.kind == CXType_ULongLong || l.kind == CXType_UInt) &&
		     clang_Type_getSizeOf(l) == clang_Type_getSizeOf(d) && clang_Type_getOffsetOf(rec, "data") == 0 &&
		     clang_Type_getOffsetOf(rec, "len") > 0;
	}
	free(f);
	return ok;
}

static bool is_size_t(CXType t)
{
	CXType c = clang_getCanonicalType(t);
	return (c.kind == CXType_ULong || c.kind == CXType_ULongLong || c.kind == CXType_UInt) &&
	       clang_Type_getSizeOf(c) == (long long)sizeof(size_t);
}

/*
 * calx/list.h's CALX_LIST(T): { T **items; size_t n; size_t cap; } with T
 * a mapped struct, which the runtime reads as calx_list. The target's
 * declaration goes to *target.
 */
static bool list_layout(calxr__ctx *cx, CXType rec, CXCursor *target)
{
	unsigned n;
	CXCursor *f;
	bool ok;

	if (rec.kind != CXType_Record)
		return false;
	f = calxr__fields(cx, clang_getTypeDeclaration(rec), &n);
	ok = f && n == 3;
	for (unsigned i = 0; ok && i < 3; i++) {
		static const char *const names[] = { "items", "n", "cap" };
		CXString s = clang_getCursorSpelling(f[i]);
		ok = clang_getCursorKind(f[i]) == CXCursor_FieldDecl && !strcmp(clang_getCString(s), names[i]);
		clang_disposeString(s);
	}
	if (ok) {
		CXType items = clang_getCanonicalType(clang_getCursorType(f[0])), inner;
		ok = items.kind == CXType_Pointer &&
		     (inner = clang_getCanonicalType(clang_getPointeeType(items))).kind == CXType_Pointer &&
		     (inner = clang_getCanonicalType(clang_getPointeeType(inner))).kind == CXType_Record &&
		     record_is_table(cx, clang_getTypeDeclaration(inner)) && is_size_t(clang_getCursorType(f[1])) &&
		     is_size_t(clang_getCursorType(f[2]));
		if (ok)
			*target = clang_getTypeDeclaration(inner);
	}
	free(f);
	return ok;
}

/*
 * calx/time.h's and calx/uuid.h's types, by typedef name as written (like
 * calx_bytes): each is a user type of the library's, and whether it has a
 * NULL of its own.
 */
static const struct { const char *name, *sym; bool nullable; } builtin_user_types[] = {
	{ "calx_uuid", "calx_uuid_type", false },
	{ "calx_opt_uuid", "calx_opt_uuid_type", true },
	{ "calx_timestamp", "calx_timestamp_type", true },
	{ "calx_timestamptz", "calx_timestamptz_type", true },
	{ "calx_date", "calx_date_type", true },
	{ "calx_time", "calx_time_type", true },
	{ "calx_interval", "calx_interval_type", true },
};

const char *calxr__user_type_for(calxr__ctx *cx, CXType t, bool *nullable)
{
	const calxr__typemap *tm = calxr__typemap_for(cx, t);
	if (tm && tm->user_type) {
		*nullable = tm->nullable;
		return tm->user_type;
	}
	for (int depth = 0; depth < 256; depth++) {
		if (t.kind == CXType_Elaborated) {
			t = clang_Type_getNamedType(t);
			continue;
		}
		if (t.kind != CXType_Typedef)
			return NULL;
		CXString s = clang_getTypedefName(t);
		const char *name = clang_getCString(s);
		for (size_t i = 0; name && i < sizeof builtin_user_types / sizeof builtin_user_types[0]; i++)
			if (!strcmp(builtin_user_types[i].name, name)) {
				clang_disposeString(s);
				*nullable = builtin_user_types[i].nullable;
				return builtin_user_types[i].sym;
			}
		clang_disposeString(s);
		t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
	}
	return NULL;
}

calxr__shape calxr__resolve_type(calxr__ctx *cx, CXType t, calx_ctype *ctype_out, bool *is_enum_out,
			       CXCursor *record_out)
{
	CXType c = clang_getCanonicalType(t), inner;
	CXCursor decl;
	calxr__shape opt;

	*ctype_out = (calx_ctype)0;
	*is_enum_out = false;
	if ((opt = optional(cx, t, ctype_out)) != CALXR__SHAPE_SCALAR)
		return opt;
	{
		bool nullable;
		if (calxr__user_type_for(cx, t, &nullable)) {
			/* a C type converted by its user type: a complete type the compiler lays out */
			*ctype_out = CALX_CTYPE_USER;
			return clang_Type_getSizeOf(c) > 0 ? CALXR__SHAPE_SCALAR : CALXR__SHAPE_NONE;
		}
	}
	if (named(t, "calx_bytes")) {
		*ctype_out = CALX_CTYPE_BYTES;
		/* a look-alike of another layout: NONE, with the ctype saying which struct it claimed to be */
		return bytes_layout(cx, c) ? CALXR__SHAPE_SCALAR : CALXR__SHAPE_NONE;
	}
	if (named(t, "calx_decimal")) {
		*ctype_out = CALX_CTYPE_DECIMAL;
		return calxr__decimal_layout(cx, c) ? CALXR__SHAPE_SCALAR : CALXR__SHAPE_NONE;
	}
	if (is_plain_char(c.kind)) {
		/* text or a number: fields.c asks the field's char_as(...) */
		*ctype_out = CALX_CTYPE_CHAR;
		return CALXR__SHAPE_SCALAR;
	}
	switch (c.kind) {
	case CXType_Record:
		decl = clang_getCursorDefinition(clang_getTypeDeclaration(c));
		if (clang_getCursorKind(decl) == CXCursor_StructDecl && calxr__is_mixin(cx, decl)) {
			*record_out = decl;
			return CALXR__SHAPE_MIXIN;
		}
		if (list_layout(cx, c, record_out))
			return CALXR__SHAPE_LIST;
		return CALXR__SHAPE_NONE;
	case CXType_Enum:
		decl = clang_getTypeDeclaration(c);
		*ctype_out = arithmetic(clang_getCanonicalType(clang_getEnumDeclIntegerType(decl)));
		*is_enum_out = true;
		break;
	case CXType_Pointer:
		inner = clang_getCanonicalType(clang_getPointeeType(c));
		if (is_plain_char(inner.kind))
			*ctype_out = CALX_CTYPE_STRING;
		else if (inner.kind == CXType_Record &&
			 record_is_table(cx, clang_getTypeDeclaration(inner))) {
			*record_out = clang_getTypeDeclaration(inner);
			return CALXR__SHAPE_RELATION;
		}
		break;
	case CXType_ConstantArray:
		inner = clang_getCanonicalType(clang_getArrayElementType(c));
		if (is_plain_char(inner.kind))
			*ctype_out = CALX_CTYPE_CHARARRAY;
		else if (inner.kind == CXType_UChar)   /* uint8_t too: its canonical type */
			*ctype_out = CALX_CTYPE_BYTEARRAY;
		break;
	default:
		*ctype_out = arithmetic(c);
		break;
	}
	return *ctype_out ? CALXR__SHAPE_SCALAR : CALXR__SHAPE_NONE;
}

const calxr__typemap *calxr__typemap_for(calxr__ctx *cx, CXType t)
{
	/* A typedef chain cannot loop; the bound only guards against surprises. */
	for (int depth = 0; depth < 256; depth++) {
		if (t.kind == CXType_Elaborated) {
			t = clang_Type_getNamedType(t);
			continue;
		}
		if (t.kind != CXType_Typedef)
			return NULL;
		{
			CXString s = clang_getTypedefName(t);
			const char *name = clang_getCString(s);
			for (unsigned i = 0; name && i < cx->n_typemaps; i++)
				if (!strcmp(cx->typemaps[i].typedef_name, name)) {
					clang_disposeString(s);
					return &cx->typemaps[i];
				}
			clang_disposeString(s);
		}
		t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
	}
	return NULL;
}

bool calxr__ctype_is_integer(calx_ctype t)
{
	return t >= CALX_CTYPE_INT8 && t <= CALX_CTYPE_UINT64;
}

const char *calxr__ctype_c_name(calx_ctype t)
{
	static const char *const names[] = {
		[CALX_CTYPE_INT8] = "int8_t", [CALX_CTYPE_INT16] = "int16_t",
		[CALX_CTYPE_INT32] = "int32_t", [CALX_CTYPE_INT64] = "int64_t",
		[CALX_CTYPE_UINT8] = "uint8_t", [CALX_CTYPE_UINT16] = "uint16_t",
		[CALX_CTYPE_UINT32] = "uint32_t", [CALX_CTYPE_UINT64] = "uint64_t",
		[CALX_CTYPE_BOOL] = "bool", [CALX_CTYPE_FLOAT] = "float",
		[CALX_CTYPE_DOUBLE] = "double", [CALX_CTYPE_STRING] = "const char *",
		[CALX_CTYPE_CHARARRAY] = "const char *", [CALX_CTYPE_BYTEARRAY] = "unsigned char[]",
		[CALX_CTYPE_BYTES] = "calx_bytes", [CALX_CTYPE_CHAR] = "char",
		[CALX_CTYPE_DECIMAL] = "calx_decimal", [CALX_CTYPE_USER] = "user type",
	};
	return t >= CALX_CTYPE_INT8 && t <= CALX_CTYPE_LAST ? names[t] : "?";
}

/*
 * Why a type that resolved to CALXR__SHAPE_NONE cannot be mapped, and what
 * to declare instead: the tail of the diagnostic. NULL when there is
 * nothing better to say than "cannot map".
 */
const char *calxr__unmappable_why(CXType t)
{
	CXType c = clang_getCanonicalType(t), inner;
	switch (c.kind) {
	case CXType_LongDouble:
		return "no SQL type holds a long double exactly: declare it double (REAL / DOUBLE PRECISION), or keep exact decimals as text in a NUMERIC column (char * with type(\"NUMERIC\"))";
	case CXType_Complex:
		return "SQL has no complex numbers: store the real and imaginary parts as two double fields";
	case CXType_Int128:
	case CXType_UInt128:
		return "no SQL integer is wider than 64 bits: declare it int64_t, or keep it as text in a NUMERIC column (char * with type(\"NUMERIC(39,0)\"))";
	case CXType_Half:
	case CXType_Float16:
	case CXType_Float128:
		return "only float and double map to SQL reals: declare it float or double";
	case CXType_Record:
		if (clang_getCursorKind(clang_getTypeDeclaration(c)) == CXCursor_UnionDecl)
			return "a union has no column type (which member is stored?): map each member as a field of its own, or mark it transient";
		return "a struct maps only when it is a CALX_MIXIN (its fields flattened), a calx_opt_* wrapper or calx_bytes: mark it CALX_MIXIN, or mark the field transient";
	case CXType_ConstantArray:
	case CXType_IncompleteArray:
	case CXType_VariableArray:
	case CXType_DependentSizedArray:
		return "arrays map only as text (char[N]) or bytes (unsigned char[N], uint8_t[N]): keep the elements in a table of their own, or encode them into a calx_bytes";
	case CXType_Pointer:
		inner = clang_getCanonicalType(clang_getPointeeType(c));
		if (inner.kind == CXType_FunctionProto || inner.kind == CXType_FunctionNoProto)
			return "a function pointer has no column type: mark it transient";
		if (inner.kind == CXType_UChar || inner.kind == CXType_SChar || inner.kind == CXType_Void)
			return "a pointer alone has no length: declare it calx_bytes (calx/bytes.h: data and len) for a BLOB / BYTEA";
		if (inner.kind == CXType_Record && clang_getCursorKind(clang_getTypeDeclaration(inner)) == CXCursor_StructDecl)
			return "a pointer to a struct is a many-to-one relationship only when the struct is a CALX_TABLE of the same header: mark it transient";
		return "a pointer maps only as text (char *): map the value it points to, or mark it transient";
	default:
		return NULL;
	}
}

