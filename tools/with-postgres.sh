#!/bin/sh
# with-postgres.sh CMD [ARGS...]: run CMD with CALX_TEST_POSTGRESQL_URL set.
#
# If the variable is already set (your own server: use a throwaway
# database, the tests drop and create tables in it), CMD just runs. Otherwise
# a throwaway PostgreSQL cluster is made: initdb into a temporary folder, run
# as the postgres user when we are root (the server refuses root), listening
# on 127.0.0.1 on a free port; it is stopped and removed when CMD ends,
# whether CMD passed or failed. If no cluster can be started, this fails:
# PostgreSQL is never skipped silently.
set -u
if [ -n "${CALX_TEST_POSTGRESQL_URL:-}" ]; then
	exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "with-postgres: no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb);" >&2
	echo "with-postgres: install postgresql-15, or set CALX_TEST_POSTGRESQL_URL" >&2
	exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/calx-pg.XXXXXX") || exit 1
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
cleanup() {
	as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" = 0 ] && chown postgres "$dir"
if ! as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1; then
	echo "with-postgres: initdb failed:" >&2
	cat "$dir/initdb.log" >&2
	exit 1
fi
# A free port: ask the kernel for one, then hand it to the server.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null)
[ -n "$port" ] || port=$((20000 + $$ % 20000))
if ! as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
	start >/dev/null 2>&1; then
	echo "with-postgres: the server did not start:" >&2
	cat "$dir/server.log" >&2
	exit 1
fi
if ! as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres calx_test >/dev/null 2>&1; then
	echo "with-postgres: createdb failed" >&2
	exit 1
fi
# lock_timeout: a test that leaves a lock behind fails the next one instead of hanging it
export CALX_TEST_POSTGRESQL_URL="postgresql://postgres@127.0.0.1:$port/calx_test?options=-c%20lock_timeout%3D10s"
export CALX_TEST_PG_BINDIR="$bindir" CALX_TEST_PG_DATA="$dir/data"
"$@"
