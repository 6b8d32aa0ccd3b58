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
status=0
make -s check || status=$?
[ -n "$started" ] && contrib/lab/stop.sh >/dev/null 2>&1
if [ $status -eq 0 ]; then
	echo "check: all tests passed"
else
	echo "check: FAILED (exit $status)"
fi
exit $status
