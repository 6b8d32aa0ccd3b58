#!/bin/sh
# bench/lookup.sh - one DNS query, timed: dnsdeck --text against dig, drill
# and kdig; median wall time and peak RSS, as ratios, measured in one run.
# Builds bench/out/runner from bench/runner.c, then runs bench/lookup.py.
# Usage: bench/lookup.sh [-n N] [-w W] [--server ADDR] [--query 'NAME TYPE']
#                        [-o [FILE]] [--tools LIST] [--dnsdeck PATH]
# See bench/README.md.  Exit status: 0 all tools answered correctly in every
# run (whether or not the goal was met), 1 a tool failed, 2 usage/setup error.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
out=$here/out
runner=$out/runner
py=${PYTHON:-python3}

command -v "$py" >/dev/null 2>&1 || { echo "lookup.sh: needs python3" >&2; exit 2; }
if [ ! -x "$runner" ] || [ "$here/runner.c" -nt "$runner" ]; then
	mkdir -p "$out"
	tmp=$(mktemp "$out/runner.XXXXXX")
	if ! ${CC:-cc} -O2 -Wall -o "$tmp" "$here/runner.c"; then
		rm -f "$tmp"
		echo "lookup.sh: cannot build $here/runner.c (set CC?)" >&2
		exit 2
	fi
	mv -f "$tmp" "$runner"
fi
exec "$py" "$here/lookup.py" --runner "$runner" "$@"
