#!/bin/sh
# run.sh OUT: build the small application of tests/build-integration/ the
# four ways the README documents (Ninja, Make, CMake with its Makefile and
# its Ninja generator), plus Ninja without restat for comparison, against
# this build tree's calx installed into a scratch prefix (found through
# pkg-config, as a user finds it). Each build runs the app on SQLite and,
# when CALX_TEST_POSTGRESQL_URL is set, on PostgreSQL; then the model
# header is touched, its second header (tags.h: the two are one schema) touched, edited in a comment, its -include'd config touched,
# and its layout changed, and the steps each rebuild runs (compiles, link,
# and a step that reads only the generated source) are recorded and checked
# against what the README says. The table goes to OUT.
set -eu
out=$1
root=$(pwd)
src=$root/tests/build-integration
work=$root/build/build-integration
prefix=$work/prefix
rm -rf "$work"
mkdir -p "$work"
sh tools/install.sh "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export PATH="$prefix/bin:$PATH"          # calx-reflect, by name
export LD_LIBRARY_PATH="$prefix/lib"     # the app links -lcalx: libcalx.so
export NINJA_STATUS=""                   # Ninja prints each step's description alone
log=$work/table.txt
status=0
: > "$log"

fail() {
	echo "build-integration: $*"
	status=1
}

# The steps a build log shows, in a fixed order, or "nothing".
steps() {
	s=""
	grep -Eq '^REFLECT |calx-reflect |Generating notes\.calx' "$1" && s="$s reflect"
	grep -Eq '^CC main\.o|-c main\.c|main\.c\.o' "$1" && s="$s main.o"
	grep -Eq '^CC notes\.calx\.o|-c notes\.calx\.c|notes\.calx\.c\.o' "$1" && s="$s notes.calx.o"
	grep -Eq '^LINK app|-o app |Linking C executable app' "$1" && s="$s link"
	grep -Eq 'COUNT guards' "$1" && s="$s guards"
	echo "${s# }" | sed 's/^$/nothing/'
}

# The generated source's mtime, to tell "kept" (restat) from "rewritten".
stamp() {
	stat -c %y "$1/notes.calx.c"
}

# setup_KIND DIR: the project, ready to build in DIR (the sources in DIR/src
# for CMake, which builds in DIR). build_KIND DIR LOG.
setup_ninja() {
	mkdir -p "$1"
	cp "$src/notes.h" "$src/tags.h" "$src/config.h" "$src/main.c" "$src/app.ninja" "$1/"
	printf 'calx_reflect = calx-reflect\ncalx_cflags = %s\ncalx_libs = %s\ninclude app.ninja\n' \
		"$(pkg-config --cflags calx)" "$(pkg-config --libs calx)" > "$1/build.ninja"
}
build_ninja() { (cd "$1" && ninja -j 1) > "$2" 2>&1; }
setup_ninja_norestat() {
	setup_ninja "$1"
	sed -i '/^  restat = 1$/d' "$1/app.ninja"
}
build_ninja_norestat() { build_ninja "$@"; }
setup_make() {
	mkdir -p "$1"
	cp "$src/notes.h" "$src/tags.h" "$src/config.h" "$src/main.c" "$src/Makefile" "$1/"
}
build_make() { make -C "$1" -j 1 > "$2" 2>&1; }
cmake_setup() { # DIR GENERATOR
	mkdir -p "$1/src"
	cp "$src/notes.h" "$src/tags.h" "$src/config.h" "$src/main.c" "$src/CMakeLists.txt" "$1/src/"
	cmake -S "$1/src" -B "$1" -G "$2" -DCMAKE_BUILD_TYPE=Release > "$1/configure.log" 2>&1 ||
		{ cat "$1/configure.log"; return 1; }
}
setup_cmake_make() { cmake_setup "$1" "Unix Makefiles"; }
setup_cmake_ninja() { cmake_setup "$1" Ninja; }
build_cmake_make() { cmake --build "$1" -j 1 > "$2" 2>&1; }
build_cmake_ninja() { cmake --build "$1" -j 1 > "$2" 2>&1; }

# run_app DIR WHERE: the app on SQLite, and on PostgreSQL after the first build.
run_app() {
	"$1/app" >> "$log" 2>&1 || fail "$kind: the app failed on SQLite ($2)"
	if [ "$2" = first ] && [ -n "${CALX_TEST_POSTGRESQL_URL:-}" ]; then
		"$1/app" "$CALX_TEST_POSTGRESQL_URL" >> "$log" 2>&1 || fail "$kind: the app failed on PostgreSQL"
	fi
}

# record SCENARIO EXPECTED_STEPS EXPECTED_GENERATED(kept|rewritten|-)
record() {
	after=$(stamp "$dir")
	got=$(steps "$dir/build.log")
	gen=kept
	[ "$before" = "$after" ] || gen=rewritten
	[ "$3" = - ] && gen=-
	printf '%-14s %-24s %-30s generated %s\n' "$kind" "$1" "$got" "$gen" >> "$log"
	[ "$got" = "$2" ] || fail "$kind, $1: ran '$got', expected '$2'"
	[ "$gen" = "$3" ] || fail "$kind, $1: generated source $gen, expected $3"
}

# changed FILE: FILE was just changed; make sure its mtime is past the
# last build's output, as a later edit's would be (a file system with
# coarse timestamps could give both the same one).
changed() {
	i=0
	while awk -v a="$(stat -c %.9Y "$1")" -v b="$(stat -c %.9Y "$dir/app")" 'BEGIN { exit !(a <= b) }'; do
		i=$((i + 1))
		[ "$i" -le 60 ] || { fail "$kind: $1 stays older than the app"; return 0; }
		sleep 0.05
		touch "$1"
	done
}

for kind in ninja ninja_norestat make cmake_make cmake_ninja; do
	dir=$work/$kind
	# Each recipe also has a step that reads only notes.calx.c ("guards"):
	# it runs when notes.calx.c is rewritten; when it is kept, only Ninja
	# without restat runs it again.
	everything="reflect main.o notes.calx.o link"
	first="$everything guards"
	touched=$everything
	[ "$kind" = ninja_norestat ] && touched=$first
	hdir=$dir
	case $kind in cmake_*) hdir=$dir/src ;; esac
	"setup_$kind" "$dir" || { fail "$kind: configure failed"; continue; }
	before=none
	"build_$kind" "$dir" "$dir/build.log" || { cat "$dir/build.log"; fail "$kind: the first build failed"; continue; }
	record "first build" "$first" -
	run_app "$dir" first
	before=$(stamp "$dir")
	"build_$kind" "$dir" "$dir/build.log" || fail "$kind: no-op build failed"
	record "no change" nothing kept
	before=$(stamp "$dir"); touch "$hdir/notes.h"; changed "$hdir/notes.h"
	"build_$kind" "$dir" "$dir/build.log" || fail "$kind: build after touch failed"
	record "touch notes.h" "$touched" kept
	# the second model header of the schema: listed in the depfile, so it re-runs the step too
	before=$(stamp "$dir"); touch "$hdir/tags.h"; changed "$hdir/tags.h"
	"build_$kind" "$dir" "$dir/build.log" || fail "$kind: build after touching tags.h failed"
	record "touch tags.h" "$touched" kept
	before=$(stamp "$dir")
	sed -i 's|^\tdouble weight;$|\tdouble weight;\t/* in grams */|' "$hdir/notes.h"
	grep -q 'in grams' "$hdir/notes.h" || fail "$kind: the comment edit did not apply"
	changed "$hdir/notes.h"
	"build_$kind" "$dir" "$dir/build.log" || fail "$kind: build after a comment failed"
	record "comment edit" "$touched" kept
	before=$(stamp "$dir"); touch "$hdir/config.h"; changed "$hdir/config.h"
	"build_$kind" "$dir" "$dir/build.log" || fail "$kind: build after touching config.h failed"
	record "touch config.h" "$touched" kept
	before=$(stamp "$dir")
	sed -i 's|^\tcalx_opt_int32 stars;$|&\n\tint32_t pages;|' "$hdir/notes.h"
	grep -q 'pages' "$hdir/notes.h" || fail "$kind: the layout edit did not apply"
	changed "$hdir/notes.h"
	"build_$kind" "$dir" "$dir/build.log" || { cat "$dir/build.log"; fail "$kind: build after a layout change failed"; }
	record "new field" "$first" rewritten
	run_app "$dir" changed
done
if [ "$status" -ne 0 ]; then
	cat "$log"
	exit 1
fi
mv "$log" "$out"
