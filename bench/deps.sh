#!/bin/sh
# The benchmark's extra packages for /usr/bin/python3: SQLAlchemy 1.4
# (Debian's python3-sqlalchemy) and psycopg2 (python3-psycopg2, SQLAlchemy's
# PostgreSQL driver). Installed with apt-get when run as root, otherwise the
# command is printed and the build stops. Touches $1.
set -eu
stamp=$1
have_sqlalchemy() {
	/usr/bin/python3 -c 'import sqlalchemy, sys; sys.exit(0 if sqlalchemy.__version__.startswith("1.4") else 1)' \
		>/dev/null 2>&1
}
have_psycopg2() {
	/usr/bin/python3 -c 'import psycopg2' >/dev/null 2>&1
}
missing=""
have_sqlalchemy || missing="$missing python3-sqlalchemy"
have_psycopg2 || missing="$missing python3-psycopg2"
missing=${missing# }
if [ -n "$missing" ]; then
	cmd="apt-get install -y --no-install-recommends $missing"
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench deps: installing $missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq || true
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "bench deps: missing for /usr/bin/python3: $missing" >&2
		echo "bench deps: run as root:  $cmd" >&2
		exit 1
	fi
	if ! have_sqlalchemy; then
		echo "bench deps: /usr/bin/python3 still has no SQLAlchemy 1.4 (python3-sqlalchemy)" >&2
		exit 1
	fi
	if ! have_psycopg2; then
		echo "bench deps: /usr/bin/python3 still has no psycopg2 (python3-psycopg2)" >&2
		exit 1
	fi
fi
mkdir -p "$(dirname "$stamp")"
: > "$stamp"
