#!/bin/sh
# uninstall.sh PREFIX: remove what install.sh put under PREFIX (with the same
# DESTDIR and LIBDIR), as its list LIBDIR/calx/installed says, and the
# directories it made that are then empty. `ninja uninstall` uses
# PREFIX=/usr/local unless PREFIX is set.
set -eu
prefix=${1:?usage: uninstall.sh PREFIX}
libdir=${LIBDIR:-$prefix/lib}
dest=${DESTDIR:-}
manifest="$dest$libdir/calx/installed"
[ -f "$manifest" ] || { echo "uninstall.sh: no calx install listed in $manifest" >&2; exit 1; }
while IFS= read -r f; do
	rm -f "$dest$f"
done < "$manifest"
for d in "$prefix/include/calx/sys" "$prefix/include/calx/plugins" "$prefix/include/calx" "$libdir/calx" "$prefix/share/doc/calx"; do
	rmdir "$dest$d" 2>/dev/null || true
done
