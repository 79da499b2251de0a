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
"$stage/bin/calx-reflect" tests/link/pets.h -o "$work/pets.calx.c" --header "$work/pets.calx.h" \
	-MD -MF "$work/pets.d" $(pkg-config --cflags calx) -Itests/link
cflags="-std=c11 -Wall -Wextra -Werror $(pkg-config --cflags calx) -Itests/link -I$work"
# static: libcalx.a (the system libraries stay shared), and its Libs.private
cc $cflags -DLINK_KIND='"link/static"' tests/link/app.c "$work/pets.calx.c" -o "$work/app-static" \
	$(pkg-config --libs --static calx | sed 's/-lcalx/-Wl,-Bstatic -lcalx -Wl,-Bdynamic/') -lcmocka
# shared: -lcalx through pkg-config, found at run time through the rpath
cc $cflags -DLINK_KIND='"link/shared"' tests/link/app.c "$work/pets.calx.c" -o "$work/app-shared" \
	$(pkg-config --libs calx) -Wl,-rpath,"$stage/lib" -lcmocka
{ "$work/app-static" && "$work/app-shared"; } > "$out.log" 2>&1 || { cat "$out.log"; exit 1; }
# the shared one really uses the shared library
ldd "$work/app-shared" | grep -q "$stage/lib/libcalx.so.0" || { echo "app-shared does not load libcalx.so.0"; exit 1; }
mv "$out.log" "$out"
