#!/bin/sh
# alloc-coverage.sh OUT TEST...: prove that the allocation-failure suites
# reach every allocation site of the library.
#
# The TESTs are those suites built with gcc --coverage (build/coverage/,
# the library too). This clears the counters, runs them (on SQLite and on
# the PostgreSQL of CALX_TEST_POSTGRESQL_URL: tools/with-postgres.sh), asks
# gcov for each source file's counts, and checks each site that
# tools/alloc-sites.sh lists (after its --self-test). A site counts as
# reached when every call gcc compiled on the lines of the call (gcov -b
# -c: "call N returned M") ran at least once; a plain line count would not
# do, since in "if (n > 32 && !(row = calx__malloc(...)))" the line runs
# when the call does not. A call compiled more than once (in an
# always_inline function) must have run in each copy. For calx__grow and
# the arenas it proves that the
# call ran, not that it needed new memory that time. Only runs with an
# allocation failing count: the suites read the database back in child
# processes that leave by _exit, which write no counts
# (tests/test_alloc_fail.h).
#
# Prints "allocation sites: K of N reached (SQLite + PostgreSQL)" and fails,
# listing the file:line of each site not reached, unless K = N.
set -u
out=$1; shift
obj=build/coverage
tmp=$(mktemp -d "${TMPDIR:-/tmp}/calx-cov.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
rm -f "$out"

sh tools/alloc-sites.sh --self-test || exit 1
find "$obj" -name '*.gcda' -exec rm -f {} +
sh tools/run-tests.sh "$tmp/tests.ok" "$@" || exit 1

sh tools/alloc-sites.sh --spans > "$tmp/sites" || exit 1
if grep -E ' (reference|macro)$' "$tmp/sites"; then
	echo "alloc-coverage: an allocator named but not called (above): its calls cannot be counted"
	exit 1
fi
[ -s "$tmp/sites" ] || { echo "alloc-coverage: tools/alloc-sites.sh listed no site"; exit 1; }

# gcov, one source at a time (-t: to stdout; -b -c: calls with their counts).
for src in $(cut -d: -f1 "$tmp/sites" | sort -u); do
	o="$obj/$(dirname "$src")"
	if [ ! -f "$o/$(basename "$src" .c).gcda" ]; then
		: > "$tmp/$(echo "$src" | tr / _).gcov"   # never ran: every site there is unreached
		continue
	fi
	gcov -b -c -t -o "$o" "$src" 2>"$tmp/gcov.err" > "$tmp/$(echo "$src" | tr / _).gcov" || {
		cat "$tmp/gcov.err"; echo "alloc-coverage: gcov failed on $src"; exit 1; }
done

# For each file: per line, the number of calls and of calls that ran.
# Then per site: reached when its lines hold a call and every one ran.
while IFS=: read -r src first last; do
	awk -v src="$src" -v first="$first" -v last="$last" '
	/^ *-: *0:Source:/ { here = (substr($0, index($0, "Source:") + 7) == src); next }
	!here { next }
	/^ *[^ :]+: *[0-9]+:/ { split($0, f, ":"); line = f[2] + 0; next }
	/^call / {
		if (line < first || line > last) next
		calls++
		if ($0 !~ /never executed/ && $4 + 0 > 0) ran++
	}
	END {
		printf "%s:%d %s\n", src, first, (calls > 0 && ran == calls) ? "reached" : "unreached"
	}' "$tmp/$(echo "$src" | tr / _).gcov"
done < "$tmp/sites" > "$tmp/verdicts"

total=$(wc -l < "$tmp/verdicts")
reached=$(grep -c ' reached$' "$tmp/verdicts")
summary="allocation sites: $reached of $total reached (SQLite + PostgreSQL)"
echo "$summary"
if [ "$reached" -ne "$total" ]; then
	echo "not reached by the allocation-failure suites:"
	grep ' unreached$' "$tmp/verdicts" | sed 's/ unreached$//; s/^/  /'
	exit 1
fi
{ cat "$tmp/tests.ok"; echo "$summary"; } > "$out"
