#!/bin/sh
# gen-lib-ninja.sh [--check]: write orm/lib.ninja, the list of every
# library source (orm/*/*.c, dialects/*/*.c), so that a new source file is
# one command away from the build: `sh tools/gen-lib-ninja.sh`. With
# --check, fail when the committed file is not what this would write
# (ninja test runs that).
set -eu
cd "$(dirname "$0")/.."
srcs=$(ls orm/*/*.c dialects/*/*.c | LC_ALL=C sort)
gen() {
	echo '# libcalx: every runtime and dialect source. Written by tools/gen-lib-ninja.sh;'
	echo '# included by variant.ninja and tests/fuzz/fuzzlib.ninja, which set $o'
	echo '# (object folder), $libcflags and $cc.'
	echo
	for f in $srcs; do
		echo "build \$o/${f%.c}.o: cc $f || build/deps.stamp"
		echo '  cflags = $libcflags'
	done
	echo
	printf 'build $o/libcalx.a: ar'
	for f in $srcs; do printf ' $\n    $o/%s.o' "${f%.c}"; done
	echo
	echo
	echo '# libcalx.so exports only calx_* and what generated code calls (libcalx.map).'
	printf 'build $o/libcalx.so: solib'
	for f in $srcs; do printf ' $\n    $o/%s.o' "${f%.c}"; done
	printf ' $\n    | orm/libcalx.map\n'
	echo '  ldflags = $vldflags'
	echo '  libs = -lsqlite3 -lpthread -lm -ldl'
}
if [ "${1:-}" = --check ]; then
	gen | cmp -s - orm/lib.ninja || {
		echo "orm/lib.ninja is out of date: run sh tools/gen-lib-ninja.sh" >&2
		exit 1
	}
else
	gen > orm/lib.ninja
fi
