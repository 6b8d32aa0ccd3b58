#!/bin/sh
# run.sh -- run the libFuzzer harnesses of tests/fuzz/ (built by `make fuzz-build`).
#
#   tests/fuzz/run.sh [--keep] BUILD_DIR SECONDS
#
# Runs fuzz_reply (inputs up to 65535 bytes, the largest DNS message) and fuzz_args (up to
# 4096 bytes, with tests/fuzz/args.dict) for SECONDS seconds each, one after the other. Without
# --keep (make check-fuzz) each fuzzes a temporary copy of its seeds in tests/fuzz/corpus/,
# removed afterwards; with --keep (make fuzz) new inputs go to BUILD_DIR/corpus/NAME/, which
# grows from run to run, and the seeds are read as they are. Nothing is ever written into
# tests/fuzz/. A crash, sanitizer report, leak, timeout (one input over 10 s) or memory blow-up
# (over 2048 MB) fails the harness: the input is copied to BUILD_DIR/findings/ and the end of
# libFuzzer's log is shown. Prints one line per harness with libFuzzer's final figures
# (executions, exec/s, cov, ft, corpus) and a closing "fuzz: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
keep=""
if [ "${1:-}" = --keep ]; then
	keep=1
	shift
fi
if [ $# -ne 2 ]; then
	echo "usage: $0 [--keep] BUILD_DIR SECONDS" >&2
	exit 2
fi
case $2 in '' | *[!0-9]*)
	echo "run.sh: SECONDS must be a whole number, not '$2'" >&2
	exit 2
	;;
esac
bdir=$(cd "$1" && pwd) || exit 2
secs=$2

work=$(mktemp -d "${TMPDIR:-/tmp}/dnsdeck-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The value of "NAME: VALUE" in libFuzzer's final stats, or "?".
stat() {
	v=$(sed -n "s/^stat::$1: *\\([0-9]*\\).*/\\1/p" "$2" | tail -n 1)
	echo "${v:-?}"
}

# The number after WORD on libFuzzer's last status line ("#N DONE cov: C ft: F corp: N/S").
status() {
	v=$(grep -E "^#[0-9]+.* $1: " "$2" | tail -n 1 | sed -n "s/.* $1: \\([0-9]*\\).*/\\1/p")
	echo "${v:-?}"
}

pass=0 fail=0
for name in reply args; do
	prog=$bdir/tests/fuzz/fuzz_$name
	seeds=$here/corpus/$name
	log=$work/$name.log
	art=$work/findings-$name
	case $name in
	reply) maxlen=65535 ;;
	*) maxlen=4096 ;;
	esac
	set -- -max_total_time="$secs" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/"
	[ -f "$here/$name.dict" ] && set -- "$@" -dict="$here/$name.dict"
	if [ -n "$keep" ]; then
		corpus=$bdir/corpus/$name
		mkdir -p "$corpus"
		set -- "$@" "$corpus" "$seeds"
	else
		corpus=$work/corpus-$name
		mkdir -p "$corpus"
		cp "$seeds"/* "$corpus"/
		set -- "$@" "$corpus"
	fi
	mkdir -p "$art"
	if [ ! -x "$prog" ]; then
		echo "not ok - fuzz_$name: $prog is not built (make fuzz-build)"
		fail=$((fail + 1))
		continue
	fi
	# TMPDIR: fuzz_args makes its private --servers file there.
	start=$(date +%s)
	TMPDIR=$work UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$prog" "$@" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	found=$(find "$art" -type f | head -n 1)
	runs=$(stat number_of_executed_units "$log")
	speed=$(stat average_exec_per_sec "$log")
	figures="$runs runs in $took s ($speed exec/s), cov: $(status cov "$log")"
	figures="$figures ft: $(status ft "$log"), corpus $(status corp "$log") inputs"
	figures="$figures ($(stat new_units_added "$log") new), peak RSS $(stat peak_rss_mb "$log") MB"
	if [ $rc -eq 0 ] && [ -z "$found" ]; then
		echo "ok - fuzz_$name: $figures"
		pass=$((pass + 1))
	else
		echo "not ok - fuzz_$name: exit $rc, $figures"
		tail -n 60 "$log" | sed 's/^/    /'
		if [ -n "$found" ]; then
			mkdir -p "$bdir/findings"
			cp "$art"/* "$bdir/findings/"
			echo "    input saved: $bdir/findings/$(basename "$found")"
			echo "    reproduce:   $prog $bdir/findings/$(basename "$found")"
		fi
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
