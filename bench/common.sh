# shellcheck shell=sh
# common.sh - sourced by the bench/*.sh entry points: finds python3 and builds
# bench/out/runner from bench/runner.c when it is missing or older.
# In: $here (the bench directory), $name (the calling script, for messages).
# Out: $py, $runner.
out=$here/out
runner=$out/runner
py=${PYTHON:-python3}

command -v "$py" >/dev/null 2>&1 || { echo "$name: needs python3" >&2; exit 2; }
if [ ! -x "$runner" ] || [ "$here/runner.c" -nt "$runner" ]; then
	mkdir -p "$out"
	tmp=$(mktemp "$out/runner.XXXXXX")
	if ! ${CC:-cc} -O2 -Wall -o "$tmp" "$here/runner.c"; then
		rm -f "$tmp"
		echo "$name: cannot build $here/runner.c (set CC?)" >&2
		exit 2
	fi
	mv -f "$tmp" "$runner"
fi
