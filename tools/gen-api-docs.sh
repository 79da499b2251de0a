#!/bin/sh
# gen-api-docs.sh OUT.md: the API reference, made from the public headers'
# own comments: for each header under include/calx/, its opening comment,
# then each comment with the declarations that follow it.
set -eu
out=$1
{
	echo "# calx API reference"
	echo
	echo "Made by tools/gen-api-docs.sh from the comments of the public headers."
	for h in include/calx/*.h include/calx/sys/*.h; do
		echo
		echo "## ${h#include/}"
		awk '
		function flush_code() {
			if (code != "") { print "```c"; printf "%s", code; print "```"; print ""; code = "" }
		}
		/^#(ifndef|define|endif|include|ifdef|if|else|elif)/ && !in_comment { next }
		/^extern "C"|^}$/ && !in_comment { next }
		/^\/\*/ && !in_comment {
			flush_code(); in_comment = 1; text = ""
		}
		in_comment {
			line = $0
			if (line ~ /^[ \t]*\*\/[ \t]*$/) line = ""
			sub(/^\/\*+ ?/, "", line); sub(/^ \* ?/, "", line)
			ended = ($0 ~ /\*\/[ \t]*$/)
			sub(/ ?\*\/[ \t]*$/, "", line)
			text = text line "\n"
			if (ended) { in_comment = 0; print text; text = "" }
			next
		}
		/^[ \t]*$/ { flush_code(); next }
		{ code = code $0 "\n" }
		END { flush_code() }
		' "$h"
	done
# a temporary file of its own: the link and build-integration tests install at once
} > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
