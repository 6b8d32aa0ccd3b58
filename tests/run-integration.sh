#!/bin/sh
# run-integration.sh -- integration and TUI tests against the lab (contrib/lab).
# Starts the lab when it is not running and stops it again afterwards if it started it.
# DNSDECK names the binary under test (default: src/dnsdeck); DNSDECK_SKIP_TUI=1 skips tmux.
# Prints one line per test and a closing "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
DNSDECK=${DNSDECK:-$top/src/dnsdeck}
case $DNSDECK in /*) ;; *) DNSDECK=$(pwd)/$DNSDECK ;; esac
export DNSDECK

lab_up() {
	for a in 127.0.53.1 127.0.53.2 127.0.53.3 127.0.53.53; do
		dig @$a example.test SOA +time=1 +tries=1 +norec >/dev/null 2>&1 || return 1
	done
	# the private root, test. and partly-lame.test. (BIND views, for +trace)
	for az in 127.0.53.100/. 127.0.53.101/test 127.0.53.102/partly-lame.test; do
		dig @"${az%%/*}" "${az#*/}" SOA +time=1 +tries=1 +norec +short 2>/dev/null |
			grep -q . || return 1
	done
}
started=""
if ! lab_up; then
	echo "run-integration: starting the lab"
	"$top/contrib/lab/start.sh" || { echo "run-integration: the lab did not start"; exit 1; }
	started=1
fi
cleanup() { [ -n "$started" ] && "$top/contrib/lab/stop.sh" >/dev/null 2>&1; }
trap cleanup EXIT INT TERM

pass=0 fail=0
counts_file="${TMPDIR:-/tmp}/dnsdeck-it-counts.$$"
for t in "$here"/integration/test_*.py; do
	rm -f "$counts_file"
	python3 "$t"
	rc=$?
	# each python file prints its own per-test lines and writes "PASS FAIL"
	if [ -s "$counts_file" ]; then
		read -r p f <"$counts_file"
		pass=$((pass + p))
		fail=$((fail + f))
	elif [ $rc -ne 0 ]; then
		echo "not ok - $(basename "$t") crashed (exit $rc)"
		fail=$((fail + 1))
	fi
done
rm -f "$counts_file"

if [ "${DNSDECK_SKIP_TUI:-}" != 1 ]; then
	for t in "$here"/tui/*.sh; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .sh)
		if out=$(sh "$t" 2>&1); then
			echo "ok - tui/$name"
			pass=$((pass + 1))
		else
			echo "not ok - tui/$name"
			echo "$out" | sed 's/^/    /'
			fail=$((fail + 1))
		fi
	done
fi
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
