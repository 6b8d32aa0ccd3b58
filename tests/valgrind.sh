#!/bin/sh
# valgrind.sh -- the batch paths of dnsdeck under valgrind's memcheck, against the lab.
#
# Each run is `valgrind --leak-check=full --errors-for-leak-kinds=definite` of one dnsdeck
# command line (lookups with --text and --json of several servers, TC then TCP, a server named
# by host name, the MX plan of example.test and cname-mx.example.test, comparisons, a usage
# error, timeouts of a server that never answers). A run is ok when memcheck reports 0 errors
# and 0 bytes definitely lost, dnsdeck exits with the status it should and its output holds
# what the question must produce. One "ok"/"not ok" line per run with the figures (bytes
# definitely/indirectly/possibly lost and still reachable, allocations, seconds), then
# "valgrind: N passed, N failed". Exit 0 only if every run is ok.
#
# DNSDECK names the binary (default src/dnsdeck; use the normal build, not the ASan one).
# Starts the lab when it is not running and stops it again if it started it. Only 127.0.53.x is
# asked: every run gets a resolv.conf naming the lab's Unbound, and the silent server is a
# socket of this script on 127.0.53.97 (an address no other test uses).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
DNSDECK=${DNSDECK:-$top/src/dnsdeck}
case $DNSDECK in /*) ;; *) DNSDECK=$(pwd)/$DNSDECK ;; esac
SILENT=127.0.53.97
# valgrind's exit status when it found an error: one dnsdeck never uses.
VG_ERR=99

command -v valgrind >/dev/null || {
	echo "valgrind.sh: needs valgrind (apt-get install valgrind, or contrib/install-deps.sh)"
	exit 1
}
[ -x "$DNSDECK" ] || {
	echo "valgrind.sh: no dnsdeck binary at $DNSDECK (set DNSDECK)"
	exit 1
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dnsdeck-vg.XXXXXX") || exit 1
printf 'nameserver 127.0.53.53\n' >"$TMP/resolv.conf"
started="" silent_pid=""
cleanup() {
	[ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null
	[ -n "$started" ] && "$top/contrib/lab/stop.sh" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

if ! dig @127.0.53.53 example.test SOA +time=1 +tries=1 2>/dev/null | grep -q 'status: NOERROR'; then
	echo "valgrind.sh: starting the lab"
	"$top/contrib/lab/start.sh" >/dev/null || { echo "valgrind.sh: the lab did not start"; exit 1; }
	started=1
fi

# A server that reads every query and never answers (no ICMP either): the timeout runs.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
open(sys.argv[2], "w").close()
time.sleep(600)
' "$SILENT" "$TMP/silent.ready" &
silent_pid=$!
n=50
until [ -e "$TMP/silent.ready" ]; do
	n=$((n - 1))
	if [ "$n" -le 0 ] || ! kill -0 "$silent_pid" 2>/dev/null; then
		echo "valgrind.sh: cannot bind the silent server on $SILENT#53"
		exit 1
	fi
	sleep 0.1
done

pass=0 fail=0

# figure LOG WHAT: the byte count of a LEAK SUMMARY line ("definitely lost" ...), 0 when
# memcheck found every block freed (it then prints no summary).
figure() {
	_v=$(sed -n "s/.*== *$2: \([0-9,]*\) bytes.*/\1/p" "$1" | tail -n 1 | tr -d ,)
	echo "${_v:-0}"
}

# vg NAME STATUS PATTERN ARGS...: run dnsdeck ARGS under memcheck; ok when memcheck found no
# error, 0 bytes are definitely lost, dnsdeck exited with STATUS and its stdout (stderr for a
# usage error) matches the extended regex PATTERN.
vg() {
	name=$1 want=$2 pat=$3
	shift 3
	log=$TMP/$name.log
	t0=$(date +%s.%N)
	valgrind --log-file="$log" --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite --error-exitcode=$VG_ERR --track-origins=yes --num-callers=40 \
		"$DNSDECK" --resolv-conf "$TMP/resolv.conf" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" </dev/null
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -n 1 | tr -d ,)
	def=$(figure "$log" 'definitely lost')
	heap=$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs, [0-9,]* frees, \([0-9,]*\) bytes.*/\1 allocs \/ \2 bytes/p' "$log" | tr -d ,)
	figs="definitely $def, indirectly $(figure "$log" 'indirectly lost'), possibly $(figure "$log" 'possibly lost'), still reachable $(figure "$log" 'still reachable') bytes; ${errs:-?} errors; heap ${heap:-?}; exit $rc; $secs s"
	why=""
	[ "${errs:-x}" = 0 ] || why="memcheck errors"
	[ "$def" = 0 ] || why="$why, definitely lost"
	[ "$rc" = "$want" ] || why="$why, exit $rc (want $want)"
	cat "$TMP/$name.out" "$TMP/$name.err" | grep -E -q -- "$pat" || why="$why, no /$pat/ in the output"
	if [ -z "$why" ]; then
		echo "ok - valgrind/$name: $figs"
		pass=$((pass + 1))
	else
		echo "not ok - valgrind/$name: ${why#, }: $figs"
		sed -n '/^==[0-9]*== [^ ]/,$p' "$log" | sed 's/^/    /' | head -n 200
		fail=$((fail + 1))
	fi
}

LAB="@127.0.53.1 @127.0.53.2 @127.0.53.3 @127.0.53.53"
# shellcheck disable=SC2086 # $LAB is four words on purpose
{
	vg lookup-text 0 '^example\.test\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+MX[[:space:]]+30 mx3\.example\.test\.$' \
		--text $LAB example.test MX
	vg lookup-json 0 '027\[31mred' --json $LAB escape.example.test TXT
	vg lookup-tcp 0 '"transport": "tcp"' --json @127.0.53.1 big.example.test TXT
	vg lookup-hostname 0 '"address": "127\.0\.53\.2#53"' --json @ns2.example.test example.test SOA
	vg lookup-nxdomain 0 'status: NXDOMAIN' --text $LAB nosuch.example.test A
}
vg mx-text 0 'mx-differs' --text --mx example.test
vg mx-json 0 '"code": "exchange-cname"' --json --mx cname-mx.example.test
vg mx-json-null 0 '"mode": "null-mx"' --json --mx nullmx.example.test
vg compare 1 '1 REFUSED, 1 unreachable' --text -C example.test SOA @127.0.53.1 @127.0.53.2 \
	@127.0.53.3 @127.0.53.4 @127.0.53.99 +time=1 +tries=1
vg compare-auth-json 1 '"consistent": false' --json -C --auth example.test MX @127.0.53.53
vg timeout 9 '"error": "timed out"' --json @$SILENT example.test +time=1 +tries=2
vg compare-timeout 1 'timed out' --text -C example.test MX @127.0.53.1 @$SILENT +time=1 +tries=1
vg mx-timeout 0 '"mode": "none"' --json @$SILENT --mx example.test +time=1 +tries=1
vg usage-error 1 '^dnsdeck: ' --text +bogus example.test

echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
