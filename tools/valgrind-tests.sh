#!/bin/sh
# valgrind-tests.sh OUT BINARY...: run each release test binary under
# valgrind memcheck (any error or leak fails it), inside the PostgreSQL
# cluster that with-postgres.sh provides. Output goes to OUT on success.
# Valgrind runs code some 20-50 times slower, so loops that exist for
# their count are scaled down here (CALX_TEST_CRASH_POINTS, ...).
set -u
out=$1; shift
log="$out.log"
mkdir -p "$(dirname "$out")"
rm -f "$out"
: > "$log"
export CALX_TEST_CRASH_POINTS=${CALX_TEST_CRASH_POINTS:-30}
export CALX_TEST_CONCURRENCY_TXNS=${CALX_TEST_CONCURRENCY_TXNS:-20}
status=0
for bin in "$@"; do
	start=$(date +%s)
	# the children of the crash test are killed on purpose: no leak report from them
	if valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --child-silent-after-fork=yes \
		"$bin" >"$log.one" 2>&1; then
		cat "$log.one" >> "$log"
		echo "valgrind: $bin clean ($(( $(date +%s) - start )) s)" >> "$log"
	else
		rc=$?
		cat "$log.one"
		cat "$log.one" >> "$log"
		echo "FAILED under valgrind ($rc): $bin"
		status=1
	fi
done
rm -f "$log.one"
[ "$status" -eq 0 ] && mv "$log" "$out"
exit "$status"
