#!/bin/sh
# gen-pc.sh OUT [static]: write calx.pc for an install under PREFIX (default
# /usr/local) with its libraries in LIBDIR (default PREFIX/lib). With
# "static", calx-static.pc: the same, linking libcalx.a itself. pkg-config
# --static cannot make -lcalx pick the archive over libcalx.so (the linker
# takes the shared library when both are there), so a static link is its
# own module: pkg-config --libs calx-static.
prefix=${PREFIX:-/usr/local}
libdir=${LIBDIR:-$prefix/lib}
version=$(sed -n 's/^#define CALX_VERSION "\(.*\)"/\1/p' include/calx/calx.h)
case "$libdir" in
"$prefix"/*) libdir_pc="\${prefix}${libdir#"$prefix"}" ;;
*) libdir_pc=$libdir ;;
esac
if [ "${2:-}" = static ]; then
	name="calx (static)"
	libs="\${libdir}/libcalx.a -lsqlite3 -lpthread -lm -ldl"
	private=""
else
	name=calx
	libs="-L\${libdir} -lcalx"
	private="Libs.private: -lsqlite3 -lpthread -lm -ldl"
fi
cat > "$1" <<PC
prefix=$prefix
includedir=\${prefix}/include
libdir=$libdir_pc

Name: $name
Description: declarative ORM for plain C structs, over SQLite and PostgreSQL
Version: $version
Cflags: -I\${includedir}
Libs: $libs
$private
PC
