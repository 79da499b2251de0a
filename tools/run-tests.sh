#!/bin/sh
# run-tests.sh OUT BINARY...: run each test binary in turn; their output goes
# to OUT (read by test-summary.sh) when all pass. A failing binary's output
# is printed and the run fails. chinook_demo runs on a fresh database file
# and on PostgreSQL when CALX_TEST_POSTGRESQL_URL is set.
set -u
out=$1; shift
log="$out.log"
mkdir -p "$(dirname "$out")"
rm -f "$out"
: > "$log"
status=0
for bin in "$@"; do
	case "$bin" in
	*/chinook_demo)
		dir=$(dirname "$(dirname "$(dirname "$bin")")")
		set -- "$bin" "$dir/tests/chinook.db" examples/chinook/data/Chinook_Sqlite.sql ;;
	*) set -- "$bin" ;;
	esac
	if "$@" >"$log.one" 2>&1; then
		cat "$log.one" >> "$log"
	else
		rc=$?
		cat "$log.one"
		cat "$log.one" >> "$log"
		echo "FAILED ($rc): $*"
		status=1
	fi
done
rm -f "$log.one"
[ "$status" -eq 0 ] && mv "$log" "$out"
exit "$status"
