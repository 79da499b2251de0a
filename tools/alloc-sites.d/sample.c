/*
 * tools/alloc-sites.sh --self-test reads this file: a line whose comment
 * wants a site (once per site on it), a reference or a macro must be
 * listed as such, and nothing else. Never compiled.
 */
#define DUP(s) calx__strdup(s) /* want: macro */
void *calx__malloc(size_t size);
char *calx__arena_strndup(calx__arena *a, const char *s, size_t n)
{
	return NULL;
}

static int sample(calx__arena *a, char **out)
{
	/* calx__malloc(1) in a comment */
	const char *s = "calx__calloc(1, 2) in a string"; // calx__realloc(p, 3)
	char q = '"';
	void *p = calx__grow /* want: site */
		(a,
		 (char *)out, sizeof *out,
		 4);
	void *(*fn)(size_t) = calx__malloc; /* want: reference */
	p = calx__strdup("{"); p = calx_sys_calloc(1, 2); /* want: site */ /* want: site */
	if (!(p = calx__arena_strndup(a, s, 1))) /* want: site */
		return -1;
	my_calx__malloc(2);
	return q + (calx__malloc)(3) != 0; /* the name followed by ")": want: reference */
}
