#!/bin/sh
# install.sh PREFIX: install headers, libcalx (static and shared), calx.pc and
# calx-reflect under PREFIX (run `ninja` first). `ninja install` uses
# PREFIX=/usr/local unless PREFIX is set.
set -eu
prefix=${1:?usage: install.sh PREFIX}
install -d "$prefix/include/calx/sys" "$prefix/lib/pkgconfig" "$prefix/bin"
install -m 644 include/calx/*.h "$prefix/include/calx/"
install -m 644 include/calx/sys/*.h "$prefix/include/calx/sys/"
install -m 644 build/release/libcalx.a "$prefix/lib/libcalx.a"
install -m 755 build/release/libcalx.so "$prefix/lib/libcalx.so.0"
ln -sfn libcalx.so.0 "$prefix/lib/libcalx.so"
install -m 755 build/calx-reflect "$prefix/bin/calx-reflect"
PREFIX=$prefix sh tools/gen-pc.sh "$prefix/lib/pkgconfig/calx.pc"
