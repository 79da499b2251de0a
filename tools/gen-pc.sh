#!/bin/sh
# gen-pc.sh OUT: write calx.pc for an install under PREFIX (default /usr/local).
prefix=${PREFIX:-/usr/local}
version=$(sed -n 's/^#define CALX_VERSION "\(.*\)"/\1/p' include/calx/calx.h)
cat > "$1" <<PC
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: calx
Description: declarative ORM for plain C structs, over SQLite and PostgreSQL
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lcalx
Libs.private: -lsqlite3 -lpq -lpthread -lm
PC
