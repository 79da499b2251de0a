#!/bin/sh
# alloc-coverage.sh OUT TEST...: prove that the allocation-failure suites
# reach every allocation site of the library.
#
# The TESTs are those suites built with gcc --coverage (build/coverage/,
# the library too). This clears the counters, runs them (on SQLite and on
# the PostgreSQL of CALX_TEST_POSTGRESQL_URL: tools/with-postgres.sh), and
# checks each site that tools/alloc-sites.sh lists (after its --self-test)
# twice:
#
# Reached: gcov's counts (gcov -b -c, each source file) say that every call
# gcc compiled on the lines of the site's call ("call N returned M") ran at
# least once. A plain line count would not do: in
# "if (n > 32 && !(row = calx__malloc(...)))" the line runs when the call
# does not. A call compiled more than once (in an always_inline function)
# must have run in each copy.
#
# Failed through: a call that ran need not have asked the allocator (a
# calx__grow with room left, an arena whose chunk had room), so the suites
# also write the call stack of each allocation they fail
# (CALX_ALLOC_FAIL_TRACE, tests/test_alloc_fail_harness.c); addr2line turns
# the return addresses into file:line, and each site must be on the stack
# of at least one failed allocation.
#
# Only runs with an allocation failing count: the suites read the database
# back in child processes that leave by _exit, which write no counts
# (tests/test_alloc_fail.h).
#
# Prints "allocation sites: K of N reached (SQLite + PostgreSQL)" and
# "allocation failures injected through K of N sites", and fails, listing
# the file:line of each site that falls short, unless both are N of N.
set -u
out=$1; shift
obj=build/coverage
tmp=$(mktemp -d -t calx-cov.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
rm -f "$out"

sh tools/alloc-sites.sh --self-test || exit 1
find "$obj" -name '*.gcda' -exec rm -f {} +
CALX_ALLOC_FAIL_TRACE="$tmp/trace" sh tools/run-tests.sh "$tmp/tests.ok" "$@" || exit 1

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

# The failures' call stacks (CALX_ALLOC_FAIL_TRACE, tests/test_alloc_fail_harness.c):
# each return address to file:line, once per program (addr2line), then the
# set of source lines some failed allocation was called through.
root=$(pwd)
[ -s "$tmp/trace" ] || { echo "alloc-coverage: the suites wrote no trace of their failures"; exit 1; }
for exe in $(cut -d' ' -f1 "$tmp/trace" | sort -u); do
	grep "^$exe " "$tmp/trace" | tr ' ' '\n' | grep -v "^$exe$" | sort -u > "$tmp/offsets"
	addr2line -e "$exe" < "$tmp/offsets" | sed "s|^$root/||; s| (discriminator [0-9]*)||" >> "$tmp/failed-through"
done
sort -u "$tmp/failed-through" -o "$tmp/failed-through"
while IFS=: read -r src first last; do
	awk -F: -v src="$src" -v first="$first" -v last="$last" '
	$1 == src && $2 >= first && $2 <= last { hit = 1 }
	END { printf "%s:%d %s\n", src, first, hit ? "failed" : "never-failed" }' "$tmp/failed-through"
done < "$tmp/sites" > "$tmp/injected"

total=$(wc -l < "$tmp/verdicts")
reached=$(grep -c ' reached$' "$tmp/verdicts")
summary="allocation sites: $reached of $total reached (SQLite + PostgreSQL)"
echo "$summary"
if [ "$reached" -ne "$total" ]; then
	echo "not reached by the allocation-failure suites:"
	grep ' unreached$' "$tmp/verdicts" | sed 's/ unreached$//; s/^/  /'
	exit 1
fi
failed=$(grep -c ' failed$' "$tmp/injected")
injected="allocation failures injected through $failed of $total sites"
echo "$injected"
if [ "$failed" -ne "$total" ]; then
	echo "reached, but no allocation failed through them (a growth or an arena that had room):"
	grep ' never-failed$' "$tmp/injected" | sed 's/ never-failed$//; s/^/  /'
	exit 1
fi
{ cat "$tmp/tests.ok"; echo "$summary"; echo "$injected"; } > "$out"
