#!/bin/sh
# install.sh PREFIX: install headers, libcalx (static, and shared with its
# SONAME), calx.pc and calx-static.pc, calx-reflect, calx-codegen and calx-inspect, their man pages and the
# API reference under PREFIX (run `ninja` first). `ninja install` uses
# PREFIX=/usr/local unless PREFIX is set.
#
#   DESTDIR  staging root: files go to $DESTDIR$PREFIX, while calx.pc and
#            the programs still name PREFIX (a package build)
#   LIBDIR   where the libraries and pkgconfig/ go (default PREFIX/lib)
#
# Every file it writes is listed in $DESTDIR$LIBDIR/calx/installed, which
# tools/uninstall.sh reads.
set -eu
prefix=${1:?usage: install.sh PREFIX}
libdir=${LIBDIR:-$prefix/lib}
dest=${DESTDIR:-}
version=$(sed -n 's/^#define CALX_VERSION "\(.*\)"/\1/p' include/calx/calx.h)
major=${version%%.*}
manifest="$dest$libdir/calx/installed"
install -d "$dest$prefix/include/calx/sys" "$dest$prefix/include/calx/plugins" "$dest$libdir/pkgconfig" "$dest$libdir/calx" "$dest$prefix/bin" \
	"$dest$prefix/share/man/man1" "$dest$prefix/share/doc/calx"
: > "$manifest.tmp"
put() {         # put MODE SRC DEST
	install -m "$1" "$2" "$dest$3"
	echo "$3" >> "$manifest.tmp"
}
link() {        # link TARGET NAME
	ln -sfn "$1" "$dest$2"
	echo "$2" >> "$manifest.tmp"
}
for h in include/calx/*.h; do put 644 "$h" "$prefix/include/calx/$(basename "$h")"; done
for h in include/calx/sys/*.h; do put 644 "$h" "$prefix/include/calx/sys/$(basename "$h")"; done
for h in include/calx/plugins/*.h; do put 644 "$h" "$prefix/include/calx/plugins/$(basename "$h")"; done
put 644 build/release/libcalx.a "$libdir/libcalx.a"
put 644 build/release/libcalx-plugins.a "$libdir/libcalx-plugins.a"
# the file has the whole version; the SONAME (libcalx.so.MAJOR) and the link name point at it
put 755 build/release/libcalx.so "$libdir/libcalx.so.$version"
link "libcalx.so.$version" "$libdir/libcalx.so.$major"
link "libcalx.so.$major" "$libdir/libcalx.so"
put 755 build/calx-reflect "$prefix/bin/calx-reflect"
put 644 docs/man/calx-reflect.1 "$prefix/share/man/man1/calx-reflect.1"
put 755 build/calx-codegen "$prefix/bin/calx-codegen"
put 644 docs/man/calx-codegen.1 "$prefix/share/man/man1/calx-codegen.1"
put 755 build/calx-inspect "$prefix/bin/calx-inspect"
put 644 docs/man/calx-inspect.1 "$prefix/share/man/man1/calx-inspect.1"
sh tools/gen-api-docs.sh build/api.md
put 644 build/api.md "$prefix/share/doc/calx/api.md"
put 644 README.md "$prefix/share/doc/calx/README.md"
PREFIX=$prefix LIBDIR=$libdir sh tools/gen-pc.sh build/calx.pc
PREFIX=$prefix LIBDIR=$libdir sh tools/gen-pc.sh build/calx-static.pc static
put 644 build/calx.pc "$libdir/pkgconfig/calx.pc"
put 644 build/calx-static.pc "$libdir/pkgconfig/calx-static.pc"
echo "$libdir/calx/installed" >> "$manifest.tmp"
mv "$manifest.tmp" "$manifest"
