#!/bin/sh
# Check (and on Debian, as root, install) what the build needs, then touch
# the stamp given as $1. Run first by every build edge through build.ninja.
set -eu
stamp=$1
missing=""
need() { # need PACKAGE TEST...
	pkg=$1; shift
	if ! "$@" >/dev/null 2>&1; then missing="$missing $pkg"; fi
}
need gcc command -v gcc
need g++ command -v c++                  # tests/link builds a C++17 program against the installed calx
need pkg-config command -v pkg-config
need libclang-14-dev test -f /usr/lib/llvm-14/include/clang-c/Index.h
need libclang-14-dev test -e /usr/lib/llvm-14/lib/libclang.so
need libcmocka-dev pkg-config --exists cmocka
# ninja fuzz: clang with libFuzzer and the sanitizer runtimes
need clang-14 command -v clang-14
need libclang-rt-14-dev sh -c 'ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
need libsqlite3-dev pkg-config --exists sqlite3
need sqlite3 command -v sqlite3          # the query tests compare answers with the command-line clients
need libpq-dev test -f /usr/include/postgresql/libpq-fe.h
# the tests start a throwaway server (tools/with-postgres.sh)
need postgresql-15 sh -c 'ls /usr/lib/postgresql/*/bin/initdb'
need python3 command -v python3
# tests/test_seeds compares with SQLAlchemy's rows (tests/seeds/seeds_sqla.py)
need python3-sqlalchemy /usr/bin/python3 -c 'import sqlalchemy'
# tests/test_seed_mixins runs SQLAlchemy's create_all on PostgreSQL (tests/seeds/mixins_sqla.py)
need python3-psycopg2 /usr/bin/python3 -c 'import psycopg2'
# tests/build-integration builds a small application with each
need make command -v make
need cmake command -v cmake
missing=$(echo "$missing" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/^ *//; s/ *$//')
if [ -n "$missing" ]; then
	cmd="apt-get install -y --no-install-recommends $missing"
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "deps: installing $missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq || true
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing packages: $missing" >&2
		echo "deps: run as root:  $cmd" >&2
		exit 1
	fi
fi
mkdir -p "$(dirname "$stamp")"
: > "$stamp"
