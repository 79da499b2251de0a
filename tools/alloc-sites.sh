#!/bin/sh
# alloc-sites.sh [--spans] [FILE...]: list every allocation site of the
# library, one file:line a line, sorted.
#
# An allocation site is a call, in the C sources of orm/ and dialects/ (or
# the FILEs given), of a function that takes memory from the one hook
# (calx_set_allocator):
#   calx__malloc calx__calloc calx__realloc calx__strdup calx__strndup
#   calx__grow calx__grow_small               (orm/base/alloc.h)
#   calx_sys_calloc calx_sys_strdup           (include/calx/sys/dialect.h)
#   calx__arena_alloc calx__arena_strndup     (orm/base/arena.h: the
#                                              session's arenas; a call takes
#                                              a new chunk when one is full)
#   calx__blocks_alloc                        (orm/base/blocks.h: the
#                                              objects' blocks, the same way)
# orm/base/alloc.c is left out: it defines these, on top of the hook.
# The growable text buffer (orm/base/buf.h) is not a name here: its appends
# (well over a hundred calls, in every SQL and message builder) all grow
# through one calx__realloc and hand text out through one calx__strdup, in
# orm/base/buf.c, and those two calls are sites.
#
# What matches: one of the names above as a whole identifier, inside a
# function body (brace depth > 0, so prototypes and definitions are not
# sites), followed by "(" -- after any spaces, newlines or comments, so a
# call split over lines counts once, at the line of its name. Comments,
# string and character literals and preprocessor lines are skipped. A
# name inside a body not followed by "(" (its address taken) is listed
# too, with "reference" after it, and a name in a preprocessor line (a
# macro) with "macro": either would hide calls from this count, so
# tools/alloc-coverage.sh refuses them.
#
# --self-test checks all this on tools/alloc-sites.d/sample.c.
# --spans prints file:line:last, last being the line of the call's closing
# parenthesis, for the coverage check (a call's code may sit on any of its
# lines).
#
# The exclusion list below names calls that can never take memory from the
# hook, each by its file and its text (so that edits above it do not move
# it) with the reason; they are not listed, and an exclusion that matches
# no call fails the run. Keep it tiny: a call that is merely hard to reach
# is a site.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

# file|the call's line (an awk regex)|why
exclude='
orm/base/arena.c|return calx__arena_alloc\(a, size, align\);|the retry after a new chunk was added for this very size: it always fits, never allocates
orm/base/blocks.c|return calx__blocks_alloc\(b, size, align\);|the same for the object blocks
'

# --self-test: the lister on tools/alloc-sites.d/sample.c, whose lines say
# what must be found on them.
if [ "${1:-}" = "--self-test" ]; then
	sample=tools/alloc-sites.d/sample.c
	want=$(awk -v f="$sample" '{ n = gsub(/want: site/, "&"); for (i = 0; i < n; i++) print f ":" NR }
		/want: reference/ { print f ":" NR " reference" } /want: macro/ { print f ":" NR " macro" }' "$sample" | sort)
	got=$(sh "$0" "$sample" | sort)
	if [ "$want" != "$got" ]; then
		echo "alloc-sites.sh --self-test: on $sample, wanted:"; echo "$want"; echo "found:"; echo "$got"
		exit 1
	fi
	exit 0
fi

spans=0
if [ "${1:-}" = "--spans" ]; then
	spans=1
	shift
fi
if [ $# -eq 0 ]; then
	set -- $(find orm dialects -name '*.c' ! -path orm/base/alloc.c | sort)
fi

for f in "$@"; do
	awk -v file="$f" -v spans="$spans" '
	BEGIN {
		split("calx__malloc calx__calloc calx__realloc calx__strdup calx__strndup " \
		      "calx__grow calx__grow_small calx_sys_calloc calx_sys_strdup " \
		      "calx__arena_alloc calx__arena_strndup calx__blocks_alloc", names, " ")
		re = ""
		for (i in names) {
			want[names[i]] = 1
			re = re (re == "" ? "" : "|") names[i]
		}
		re = "(^|[^A-Za-z0-9_])(" re ")([^A-Za-z0-9_]|$)"
	}
	{ text = text $0 "\n" }
	END {
		n = length(text); line = 1; depth = 0; bol = 1
		pending = ""; paren = 0
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1)
			if (c == "\n") { line++; bol = 1; continue }
			if (bol && c == "#") {          # preprocessor line, with continuations
				if (match(substr(text, i), /\n/) && substr(text, i, RSTART) ~ re)
					printf "%s:%d macro\n", file, line
				while (i <= n) {
					c = substr(text, i, 1)
					if (c == "\n" && substr(text, i - 1, 1) != "\\") break
					if (c == "\n") line++
					i++
				}
				line++; continue
			}
			if (c != " " && c != "\t") bol = 0
			two = substr(text, i, 2)
			if (two == "/*") {
				for (i += 2; i <= n && substr(text, i, 2) != "*/"; i++)
					if (substr(text, i, 1) == "\n") line++
				i++; continue
			}
			if (two == "//") {
				while (i <= n && substr(text, i + 1, 1) != "\n") i++
				continue
			}
			if (c == "\"" || c == "\047") {
				for (i++; i <= n && substr(text, i, 1) != c; i++)
					if (substr(text, i, 1) == "\\") i++
				continue
			}
			if (c == "{") { depth++; continue }
			if (c == "}") { depth--; continue }
			if (c ~ /[A-Za-z_]/) {
				word = c
				while (substr(text, i + 1, 1) ~ /[A-Za-z0-9_]/) word = word substr(text, ++i, 1)
				if (!(word in want) || depth <= 0)
					continue
				# the next significant character (past spaces, newlines and comments): "(" makes it a call
				for (j = i + 1; j <= n; j++) {
					if (substr(text, j, 2) == "/*") {
						for (j += 2; j <= n && substr(text, j, 2) != "*/"; j++)
							;
						j++
					} else if (substr(text, j, 2) == "//") {
						while (j < n && substr(text, j + 1, 1) != "\n") j++
					} else if (substr(text, j, 1) !~ /[ \t\n]/) {
						break
					}
				}
				if (substr(text, j, 1) != "(") {
					printf "%s:%d reference\n", file, line
					continue
				}
				# find the closing parenthesis, for the span
				last = line; level = 0
				for (k = i + 1; k <= n; k++) {
					d = substr(text, k, 1)
					if (d == "\n") last++
					else if (d == "(") level++
					else if (d == ")" && --level == 0) break
				}
				if (spans)
					printf "%s:%d:%d\n", file, line, last
				else
					printf "%s:%d\n", file, line
			}
		}
	}' "$f"
done | sort -t: -k1,1 -k2,2n | awk -v exclude="$exclude" -v files=" $* " '
	BEGIN {
		m = split(exclude, rows, "\n")
		for (r = 1; r <= m; r++) {
			if (rows[r] == "" || rows[r] ~ /^#/) continue
			split(rows[r], kv, "|")
			n_ex++
			ex_file[n_ex] = kv[1]
			ex_text[n_ex] = kv[2]
		}
	}
	{
		split($1, p, ":")
		if (!(p[1] in text_of)) {
			k = 0
			while ((getline t < p[1]) > 0)
				line_of[p[1], ++k] = t
			close(p[1])
			text_of[p[1]] = 1
		}
		for (e = 1; e <= n_ex; e++)
			if (ex_file[e] == p[1] && line_of[p[1], p[2]] ~ ex_text[e]) {
				used[e] = 1
				next
			}
		print
	}
	END {
		# an exclusion that matches nothing is stale: say so (to stderr, and fail)
		for (e = 1; e <= n_ex; e++)
			if (!used[e] && index(files, " " ex_file[e] " ")) {
				printf "alloc-sites: exclusion %s|%s matches no call\n", ex_file[e], ex_text[e] > "/dev/stderr"
				stale = 1
			}
		exit stale
	}'
