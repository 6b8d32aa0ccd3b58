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
python3 "$here/integration/test_lookup.py"
rc=$?
# the python runner prints its own per-test lines; fold its counts in
counts=$(cat "${TMPDIR:-/tmp}/dnsdeck-it-counts.$$" 2>/dev/null || true)
if [ -n "$counts" ]; then
	pass=$((pass + ${counts% *}))
	fail=$((fail + ${counts#* }))
elif [ $rc -ne 0 ]; then
	fail=$((fail + 1))
fi
rm -f "${TMPDIR:-/tmp}/dnsdeck-it-counts.$$"

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
