#!/bin/sh
# check.sh -- README quick start (2), and what CI runs: install what is needed, build with
# warnings as errors, start the lab, run every test (`make check`: unit, integration, TUI,
# then the sanitizer build), stop the lab.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
./configure -q --enable-werror
make -s
started=""
if contrib/lab/start.sh >/dev/null; then
	started=1
fi
log=$(mktemp "${TMPDIR:-/tmp}/dnsdeck-check.XXXXXX")
status=0
{ make -s check 2>&1 || echo "make check: exit $?"; } | tee "$log"
grep -q '^make check: exit' "$log" && status=1
[ -n "$started" ] && contrib/lab/stop.sh >/dev/null 2>&1
# One closing line for the whole run: Check's "Checks: N, Failures: F, Errors: E" lines and
# the integration runner's "N passed, N failed" lines, summed.
awk '/Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
		s = $0; sub(/.*Checks: /, "", s); split(s, v, /[^0-9]+/)
		p += v[1] - v[2] - v[3]; x += v[2] + v[3] }
     /^(integration|valgrind|fuzz): [0-9]+ passed, [0-9]+ failed$/ { p += $2; x += $4 }
     END { printf "check: %d passed, %d failed\n", p, x }' "$log"
rm -f "$log"
exit $status
