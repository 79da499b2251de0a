#!/bin/sh
# The benchmark's one extra package: SQLAlchemy 1.4 for /usr/bin/python3
# (Debian's python3-sqlalchemy). Installed with apt-get when run as root,
# otherwise the command is printed and the build stops. Touches $1.
set -eu
stamp=$1
have() {
	/usr/bin/python3 -c 'import sqlalchemy, sys; sys.exit(0 if sqlalchemy.__version__.startswith("1.4") else 1)' \
		>/dev/null 2>&1
}
if ! have; then
	cmd="apt-get install -y --no-install-recommends python3-sqlalchemy"
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench deps: installing python3-sqlalchemy"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq || true
		apt-get install -y -qq --no-install-recommends python3-sqlalchemy >/dev/null
	else
		echo "bench deps: SQLAlchemy 1.4 is missing for /usr/bin/python3" >&2
		echo "bench deps: run as root:  $cmd" >&2
		exit 1
	fi
	if ! have; then
		echo "bench deps: /usr/bin/python3 still has no SQLAlchemy 1.4 (python3-sqlalchemy)" >&2
		exit 1
	fi
fi
mkdir -p "$(dirname "$stamp")"
: > "$stamp"
