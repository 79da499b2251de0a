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
bins="$*"
for bin in $bins; do
	args=""
	dir=$(dirname "$(dirname "$(dirname "$bin")")")
	case "$bin" in
	*/chinook_demo)
		args="$dir/tests/chinook.db examples/chinook/data/Chinook_Sqlite.sql" ;;
	*/tour)
		rm -f "$dir/tests/tour.db" "$dir/tests/tour.db-wal" "$dir/tests/tour.db-shm"
		args="sqlite:$dir/tests/tour.db" ;;
	esac
	# shellcheck disable=SC2086
	if "$bin" $args >"$log.one" 2>&1; then
		cat "$log.one" >> "$log"
	else
		rc=$?
		cat "$log.one"
		cat "$log.one" >> "$log"
		echo "FAILED ($rc): $bin $args"
		status=1
	fi
done
rm -f "$log.one"
# The demo on PostgreSQL must answer exactly as on SQLite (the first line
# names the database).
for bin in $bins; do
	case "$bin" in */chinook_demo) ;; *) continue ;; esac
	[ -n "${CALX_TEST_POSTGRESQL_URL:-}" ] || { echo "run-tests: CALX_TEST_POSTGRESQL_URL is not set"; status=1; break; }
	dir=$(dirname "$(dirname "$(dirname "$bin")")")
	"$bin" "$dir/tests/chinook.db" examples/chinook/data/Chinook_Sqlite.sql > "$log.sqlite" 2>&1
	if ! "$bin" "$CALX_TEST_POSTGRESQL_URL" examples/chinook/data/Chinook_Sqlite.sql > "$log.pg" 2>&1; then
		cat "$log.pg"; echo "FAILED: chinook_demo on PostgreSQL"; status=1
	else
		tail -n +2 "$log.sqlite" > "$log.a"
		tail -n +2 "$log.pg" > "$log.b"
		if diff "$log.a" "$log.b"; then
			echo "chinook_demo: PostgreSQL and SQLite give the same answers" >> "$log"
		else
			echo "FAILED: chinook_demo answers differently on PostgreSQL and SQLite"; status=1
		fi
	fi
	rm -f "$log.sqlite" "$log.pg" "$log.a" "$log.b"
done
[ "$status" -eq 0 ] && mv "$log" "$out"
exit "$status"
