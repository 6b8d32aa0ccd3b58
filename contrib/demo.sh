#!/bin/sh
# demo.sh -- README quick start (1): install what is needed, build, start the lab and open
# the TUI on the lab's MX answer for example.test. The lab is stopped again when you quit
# (set DNSDECK_KEEP_LAB=1 to keep it running; stop it later with contrib/lab/stop.sh).
# Extra arguments replace the question, e.g.: contrib/demo.sh group.example.test MX
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
[ -f Makefile ] && [ config.status -nt configure ] || ./configure -q
make -s
contrib/lab/start.sh >/dev/null
[ "${DNSDECK_KEEP_LAB:-}" = 1 ] || trap 'contrib/lab/stop.sh >/dev/null 2>&1' EXIT INT TERM
resolv=$(mktemp "${TMPDIR:-/tmp}/dnsdeck-resolv.XXXXXX")
printf 'nameserver 127.0.53.53\n' >"$resolv"
if [ $# -eq 0 ]; then
	set -- example.test MX
fi
status=0
src/dnsdeck --resolv-conf "$resolv" "$@" || status=$?
rm -f "$resolv"
exit $status
