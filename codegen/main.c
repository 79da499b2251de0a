/*
 * calx-codegen - an annotated C header from a live database.
 *
 *   calx-codegen URL [-o FILE] [--schema S] [--tables a,b] [--exclude a,b]
 *                [--struct-names singular|as-is] [--field-case snake|as-is|lower]
 *                [--guard NAME] [--char-arrays M] [--times-as-text] [--skip-unmappable] [--quiet]
 *
 * It inspects the database through calx_inspect (calx/inspect.h) and
 * writes one struct per table. Exit status: 0 written; 1 a column or a
 * table could not be mapped (each reported on stderr with its reason,
 * nothing written) unless --skip-unmappable, or the database could not be
 * read; 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calx/calx.h"
#include "calx/inspect.h"
#include "codegen.h"

static const char usage[] =
	"usage: calx-codegen URL [-o FILE] [--schema S] [--tables a,b] [--exclude a,b]\n"
	"                    [--struct-names singular|as-is] [--field-case snake|as-is|lower]\n"
	"                    [--guard NAME] [--char-arrays M] [--times-as-text]\n"
	"                    [--skip-unmappable] [--quiet]\n"
	"\n"
	"Connects to the database at URL (sqlite:PATH or postgresql://...), inspects its\n"
	"tables and writes an annotated C header for them, ready for calx-reflect.\n"
	"\n"
	"  -o FILE               write the header to FILE (default: standard output)\n"
	"  --schema S            the schema to read (default: SQLite's main, PostgreSQL's\n"
	"                        current schema)\n"
	"  --tables a,b          only these tables (foreign keys to others are left out, with a comment)\n"
	"  --exclude a,b         all tables but these\n"
	"  --struct-names MODE   singular (default: table tracks -> struct track) or as-is\n"
	"  --field-case MODE     snake (default: ArtistId -> artist_id), lower or as-is\n"
	"  --guard NAME          the include guard (default: from FILE's name)\n"
	"  --char-arrays M       text of a declared length L <= M as char[L + 1] (default: char *)\n"
	"  --times-as-text       dates and times as char *, their text kept as the database\n"
	"                        has it (default: calx_timestamp, calx_date... of calx/time.h)\n"
	"  --skip-unmappable     leave out what has no C type, with a comment naming it,\n"
	"                        instead of failing\n"
	"  --quiet               no progress on standard error\n"
	"  -h, --help            this text;  --version  the version\n"
	"\n"
	"exit status: 0 written; 1 something could not be mapped (each column or table\n"
	"on stderr with the reason, and nothing written) or the database could not be\n"
	"read; 2 bad usage.\n";

/* "a,b,c" split in place into list (owned by the caller's argv copy). */
static int split_list(char *s, char ***list, unsigned *n)
{
	unsigned count = 1;
	for (char *p = s; *p; p++)
		count += *p == ',';
	*list = calloc(count, sizeof **list);
	if (!*list)
		return -1;
	*n = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
		(*list)[(*n)++] = tok;
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int parse_args(int argc, char **argv, cg_options *opt)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("calx-codegen %s\n", CALX_VERSION);
			exit(0);
		} else if (strcmp(a, "--skip-unmappable") == 0) {
			opt->skip_unmappable = true;
			takes = false;
		} else if (strcmp(a, "--times-as-text") == 0) {
			opt->times_as_text = true;
			takes = false;
		} else if (strcmp(a, "--quiet") == 0) {
			opt->quiet = true;
			takes = false;
		} else if (a[0] == '-' && !value) {
			fprintf(stderr, "calx-codegen: option %s needs a value\n%s", a, usage);
			return -1;
		} else if (strcmp(a, "-o") == 0) {
			opt->output = value;
		} else if (strcmp(a, "--schema") == 0) {
			opt->schema = value;
		} else if (strcmp(a, "--guard") == 0) {
			opt->guard = value;
		} else if (strcmp(a, "--char-arrays") == 0) {
			char *end;
			unsigned long n = strtoul(value, &end, 10);
			if (*end || n > 65535) {
				fprintf(stderr, "calx-codegen: --char-arrays takes a length up to 65535, not %s\n", value);
				return -1;
			}
			opt->char_arrays = (unsigned)n;
		} else if (strcmp(a, "--tables") == 0) {
			if (split_list(argv[i + 1], &opt->tables, &opt->n_tables) != 0)
				return -1;
		} else if (strcmp(a, "--exclude") == 0) {
			if (split_list(argv[i + 1], &opt->exclude, &opt->n_exclude) != 0)
				return -1;
		} else if (strcmp(a, "--struct-names") == 0) {
			if (strcmp(value, "singular") == 0)
				opt->struct_naming = CG_STRUCT_SINGULAR;
			else if (strcmp(value, "as-is") == 0)
				opt->struct_naming = CG_STRUCT_AS_IS;
			else {
				fprintf(stderr, "calx-codegen: --struct-names takes singular or as-is, not %s\n", value);
				return -1;
			}
		} else if (strcmp(a, "--field-case") == 0) {
			if (strcmp(value, "snake") == 0)
				opt->field_case = CG_FIELD_SNAKE;
			else if (strcmp(value, "as-is") == 0)
				opt->field_case = CG_FIELD_AS_IS;
			else if (strcmp(value, "lower") == 0)
				opt->field_case = CG_FIELD_LOWER;
			else {
				fprintf(stderr, "calx-codegen: --field-case takes snake, lower or as-is, not %s\n", value);
				return -1;
			}
		} else if (a[0] == '-') {
			fprintf(stderr, "calx-codegen: unknown option %s\n%s", a, usage);
			return -1;
		} else if (!opt->url) {
			opt->url = a;
			takes = false;
		} else {
			fprintf(stderr, "calx-codegen: one URL only (%s, then %s)\n", opt->url, a);
			return -1;
		}
		if (takes)
			i++;
	}
	if (!opt->url) {
		fputs(usage, stderr);
		return -1;
	}
	return 0;
}

/* Every --tables name must be a table of the database: a typo is not an empty header. */
static int check_names(const calx_inspection *in, char *const *names, unsigned n, const char *option)
{
	int bad = 0;
	for (unsigned i = 0; i < n; i++)
		if (!calx_inspection_find(in, names[i])) {
			fprintf(stderr, "calx-codegen: %s: no table %s in the database\n", option, names[i]);
			bad = -1;
		}
	return bad;
}

static int write_header(const cg_model *m, const cg_options *opt)
{
	if (!opt->output)
		return cg_emit(stdout, m, opt, opt->quiet ? NULL : stderr) == 0 && fflush(stdout) == 0 ? 0 : -1;
	/* through a temporary file and a rename: a failed run leaves the old header */
	size_t n = strlen(opt->output) + 8;
	char *tmp = malloc(n);
	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp", opt->output);
	FILE *out = fopen(tmp, "w");
	int rc = -1;
	if (out) {
		rc = cg_emit(out, m, opt, opt->quiet ? NULL : stderr);
		if (fclose(out) != 0)
			rc = -1;
		if (rc == 0 && rename(tmp, opt->output) != 0)
			rc = -1;
		if (rc != 0)
			remove(tmp);
	}
	if (rc != 0)
		fprintf(stderr, "calx-codegen: cannot write %s\n", opt->output);
	free(tmp);
	return rc;
}

/*
 * The last lines: the columns mapped to calx's value types, by kind, and
 * those kept as text (or double) though they are more, by what they are,
 * so that a reader sees what the header's C types stand for.
 */
static void count_kinds(const cg_model *m, bool kept, const char *title)
{
	const char *kinds[16];
	unsigned counts[16] = { 0 }, n_kinds = 0;
	for (unsigned i = 0; i < m->n_tables; i++) {
		const cg_table *t = &m->tables[i];
		for (unsigned f = 0; t->selected && f < t->n_fields; f++) {
			const char *kind = kept ? t->fields[f].type.kept_as_text : t->fields[f].type.calx_kind;
			if (!t->fields[f].mapped || !kind)
				continue;
			unsigned k = 0;
			while (k < n_kinds && strcmp(kinds[k], kind) != 0)
				k++;
			if (k == n_kinds && n_kinds < 16)
				kinds[n_kinds++] = kind;
			if (k < n_kinds)
				counts[k]++;
		}
	}
	if (!n_kinds)
		return;
	fprintf(stderr, "calx-codegen: %s:", title);
	for (unsigned k = 0; k < n_kinds; k++)
		fprintf(stderr, " %s %u", kinds[k], counts[k]);
	fputc('\n', stderr);
}

int main(int argc, char **argv)
{
	cg_options opt;
	memset(&opt, 0, sizeof opt);
	if (parse_args(argc, argv, &opt) != 0)
		return 2;
	int status = 1;
	calx_engine *eng = NULL;
	calx_inspection *in = NULL;
	cg_model m;
	memset(&m, 0, sizeof m);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (calx_engine_open(&eng, opt.url) != CALX_OK) {
		fprintf(stderr, "calx-codegen: %s\n", calx_engine_errmsg(eng));
		goto done;
	}
	if (!opt.quiet)
		fprintf(stderr, "calx-codegen: inspecting %s schema %s\n", calx_engine_dialect_name(eng),
		        opt.schema ? opt.schema : "(default)");
	if (calx_inspect(eng, opt.schema, &in) != CALX_OK) {
		fprintf(stderr, "calx-codegen: inspect: %s\n", calx_engine_errmsg(eng));
		goto done;
	}
	unsigned n = calx_inspection_count(in);
	if (!opt.quiet)
		fprintf(stderr, "calx-codegen: %u tables inspected in %.2f s\n", n, seconds_since(&t0));
	if (check_names(in, opt.tables, opt.n_tables, "--tables") != 0 ||
	    check_names(in, opt.exclude, opt.n_exclude, "--exclude") != 0)
		goto done;
	if (cg_model_build(&m, in, calx_engine_dialect_name(eng), &opt, stderr) != 0) {
		fputs("calx-codegen: out of memory\n", stderr);
		goto done;
	}
	unsigned n_structs = 0, n_rels = 0, n_assoc = 0;
	for (unsigned i = 0; i < m.n_tables; i++) {
		n_structs += m.tables[i].selected;
		n_assoc += m.tables[i].association;
		n_rels += m.tables[i].n_rels;
	}
	if ((m.n_unmappable || m.n_skipped_tables) && !opt.skip_unmappable) {
		fprintf(stderr, "calx-codegen: %u column%s and %u table%s cannot be mapped (above); nothing written. "
		                "--skip-unmappable leaves them out, each named in a comment\n",
		        m.n_unmappable, m.n_unmappable == 1 ? "" : "s", m.n_skipped_tables,
		        m.n_skipped_tables == 1 ? "" : "s");
		goto done;
	}
	if (write_header(&m, &opt) != 0)
		goto done;
	if (!opt.quiet)
		fprintf(stderr, "calx-codegen: wrote %s: %u structs (%u association tables), %u relationships, "
		                "%u columns and %u tables left out, in %.2f s\n",
		        opt.output ? opt.output : "(stdout)", n_structs, n_assoc, n_rels, m.n_unmappable,
		        m.n_skipped_tables, seconds_since(&t0));
	if (!opt.quiet) {
		count_kinds(&m, false, "calx value types");
		count_kinds(&m, true, "kept as text or double");
	}
	status = 0;
done:
	cg_model_free(&m);
	calx_inspection_free(in);
	calx_engine_free(eng);
	free(opt.tables);
	free(opt.exclude);
	return status;
}
