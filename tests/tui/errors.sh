#!/bin/sh
# errors.sh -- failures are shown in the view, never a crash: REFUSED, NXDOMAIN, a timeout
# (a silent server of ours on 127.0.53.77), an unreachable port, and a bad prompt line.
. "$(dirname "$0")/common.inc"
need_lab

# REFUSED: NSD is not authoritative for example.com.
start_dnsdeck 100 30 @127.0.53.1 example.com A
expect 'REFUSED: the server refused' "no REFUSED banner"
screen | grep -E -q 'rcode REFUSED' || fail "the header does not say rcode REFUSED"
screen | tail -n 1 | grep -q 'REFUSED' || fail "the status line does not say REFUSED"
still_running

# NXDOMAIN from the resolver.
start_dnsdeck 100 30 @127.0.53.53 nonexistent.example.test A
expect 'NXDOMAIN: the name does not exist' "no NXDOMAIN banner"
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +SOA ' "no SOA in the authority section"
still_running

# Timeout: a UDP socket that never answers (loopback only).
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.53.77", 0))
print(s.getsockname()[1], flush=True)
time.sleep(30)
' >"$TMP/port" &
silent=$!
trap 'kill $silent 2>/dev/null; cleanup' EXIT
n=0
until [ -s "$TMP/port" ]; do
	n=$((n + 1))
	[ "$n" -lt 50 ] || fail "the silent server did not start"
	sleep 0.1
done
port=$(cat "$TMP/port")
start_dnsdeck 100 30 "@127.0.53.77#$port" example.test MX +time=1 +tries=1
expect 'waiting' "no waiting state while the query is out"
expect 'timed out' "no timeout shown" 8
screen | grep -E -q 'server +127\.0\.53\.77#[0-9]+ +udp +tries 1' || fail "no server line with tries"
screen | tail -n 1 | grep -q 'timed out' || fail "the status line does not say timed out"
still_running
# r asks again, and it times out again.
keys r
expect 'waiting' "r did not ask again"
expect 'timed out' "no timeout after r" 8
still_running
kill "$silent" 2>/dev/null

# Nothing listens on 127.0.53.77 port 9: ICMP port unreachable.
start_dnsdeck 100 30 @127.0.53.77#9 example.test MX +time=1 +tries=1
expect 'refused|unreachable|timed out' "no error for a closed port" 8
still_running
exit 0
