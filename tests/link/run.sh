#!/bin/sh
# run.sh OUT: install into build/stage, build tests/link/app.c against the
# installed prefix with pkg-config (static and shared), run both; their
# output goes to OUT.
set -eu
out=$1
stage=$(pwd)/build/stage
work=build/link
rm -rf "$stage" "$work"
mkdir -p "$work"
sh tools/install.sh "$stage"
export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
# the installed calx-reflect finds the installed calx headers without pkg-config's flags
"$stage/bin/calx-reflect" tests/link/pets.h -o "$work/pets.calx.c" --header "$work/pets.calx.h" \
	-MD -MF "$work/pets.d" -Itests/link
cflags="-std=c11 -Wall -Wextra -Werror $(pkg-config --cflags calx) -Itests/link -I$work"
# static: libcalx.a through calx-static.pc (the system libraries stay shared)
cc $cflags -DLINK_KIND='"link/static"' tests/link/app.c "$work/pets.calx.c" -o "$work/app-static" \
	$(pkg-config --libs calx-static) -lcmocka
if ldd "$work/app-static" | grep -q libcalx; then echo "app-static loads libcalx.so"; exit 1; fi
# shared: -lcalx through pkg-config, found at run time through the rpath
cc $cflags -DLINK_KIND='"link/shared"' tests/link/app.c "$work/pets.calx.c" -o "$work/app-shared" \
	$(pkg-config --libs calx) -Wl,-rpath,"$stage/lib" -lcmocka
{ "$work/app-static" && "$work/app-shared"; } > "$out.log" 2>&1 || { cat "$out.log"; exit 1; }
# the shared one really uses the shared library
ldd "$work/app-shared" | grep -q "$stage/lib/libcalx.so.0" || { echo "app-shared does not load libcalx.so.0"; exit 1; }
fail() { echo "link test: $*"; exit 1; }
# C++17: the generated header, the setter constructor, typed handles, a session; on SQLite, and
# on PostgreSQL when the run has one (tools/with-postgres.sh)
cc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags calx) -Itests/link -c "$work/pets.calx.c" -o "$work/pets.o"
c++ -std=c++17 -Wall -Wextra -Werror $(pkg-config --cflags calx) -Itests/link -I"$work" tests/link/app_cpp.cpp \
	"$work/pets.o" -o "$work/app-cpp" $(pkg-config --libs calx) -Wl,-rpath,"$stage/lib"
"$work/app-cpp" sqlite::memory: ${CALX_TEST_POSTGRESQL_URL:-} >> "$out.log" 2>&1 || { cat "$out.log"; fail "the C++ program failed"; }
# ... and a comparison with a value of the wrong type does not compile in C++ either
printf '#include <calx/calx.h>\n#include "pets.calx.h"\ncalx_expr *bad();\ncalx_expr *bad() { return calx_eq(PET_LEGS, "four"); }\n' \
	> "$work/bad.cpp"
if c++ -std=c++17 $(pkg-config --cflags calx) -Itests/link -I"$work" -c "$work/bad.cpp" -o "$work/bad.o" 2> "$work/bad.txt"; then
	fail "calx_eq(PET_LEGS, \"four\") compiled in C++"
fi
grep -q "calx: the C type of the value does not fit the column" "$work/bad.txt" || { cat "$work/bad.txt"; fail "no calx message"; }
# the shared library: a versioned file, its SONAME, versioned symbols, no internals but generated code's
lib="$stage/lib/libcalx.so.$(sed -n 's/^#define CALX_VERSION "\(.*\)"/\1/p' include/calx/calx.h)"
[ -f "$lib" ] && [ -L "$stage/lib/libcalx.so.0" ] && [ -L "$stage/lib/libcalx.so" ] || fail "library file names"
readelf -d "$lib" | grep -q 'SONAME.*\[libcalx\.so\.0\]' || fail "no SONAME libcalx.so.0"
objdump -T "$lib" | grep -q 'CALX_0 *calx_session_open$' || fail "calx_session_open is not versioned CALX_0"
# libpq is not linked: the first PostgreSQL engine loads it (dialects/postgresql/pq.h), a SQLite program never maps it
! readelf -d "$lib" | grep -q 'NEEDED.*libpq' || fail "libcalx.so links libpq"
! pkg-config --libs --static calx calx-static | grep -q -- -lpq || fail "pkg-config names -lpq"
for app in app-static app-shared app-cpp; do
	! ldd "$work/$app" | grep -q libpq || fail "$app links libpq"
done
leaked=$(nm -D --defined-only "$lib" | awk '{ n = $3; sub(/@.*/, "", n) } n ~ /^calx__/ && n != "calx__construct" && n != "calx__session_get_int" && n !~ /^calx__value_/' | head -3)
[ -z "$leaked" ] || fail "internal symbols exported: $leaked"
# the man page names every option --help describes; the API reference is there
for opt in -o --header --name --include --prefix -MD -MF -MT -MP --help --version; do
	grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$stage/share/man/man1/calx-reflect.1" || fail "man page lacks $opt"
	"$stage/bin/calx-reflect" --help | grep -q -- "$opt" || fail "--help lacks $opt"
done
for opt in -o --schema --tables --exclude --struct-names --field-case --guard --char-arrays --skip-unmappable --quiet --help --version; do
	grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$stage/share/man/man1/calx-codegen.1" || fail "calx-codegen man page lacks $opt"
	"$stage/bin/calx-codegen" --help | grep -q -- "$opt" || fail "calx-codegen --help lacks $opt"
done
for opt in --dialect --ddl --cc --help --version; do
	grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$stage/share/man/man1/calx-inspect.1" || fail "calx-inspect's man page lacks $opt"
	"$stage/bin/calx-inspect" --help | grep -q -- "$opt" || fail "calx-inspect --help lacks $opt"
done
# the installed calx-inspect finds the installed headers too, and prints the DDL
"$stage/bin/calx-inspect" tests/link/pets.h --ddl | grep -q 'CREATE TABLE' || fail "calx-inspect printed no DDL"
grep -q '^## calx/session.h' "$stage/share/doc/calx/api.md" || fail "API reference lacks calx/session.h"
# DESTDIR and LIBDIR: a package build writes under the staging root only, naming the real prefix
dest=$(pwd)/$work/dest
DESTDIR=$dest LIBDIR=/opt/calx-link-test/lib64 sh tools/install.sh /opt/calx-link-test
[ ! -e /opt/calx-link-test ] || fail "DESTDIR install wrote outside the staging root"
[ -f "$dest/opt/calx-link-test/lib64/libcalx.a" ] && [ -f "$dest/opt/calx-link-test/include/calx/calx.h" ] ||
	fail "DESTDIR install is not under the staging root"
grep -q '^prefix=/opt/calx-link-test$' "$dest/opt/calx-link-test/lib64/pkgconfig/calx.pc" || fail "calx.pc prefix"
grep -q '^libdir=${prefix}/lib64$' "$dest/opt/calx-link-test/lib64/pkgconfig/calx.pc" || fail "calx.pc libdir"
DESTDIR=$dest LIBDIR=/opt/calx-link-test/lib64 sh tools/uninstall.sh /opt/calx-link-test
left=$(find "$dest" -type f -o -type l | head -3)
[ -z "$left" ] || fail "uninstall left $left"
mv "$out.log" "$out"
