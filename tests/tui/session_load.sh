#!/bin/sh
# session_load.sh -- --load reopens a saved lookup offline: the saved reply is in the lookup
# view at once with the TTL it had when it was captured (the countdown frozen there), nothing
# is ever sent ('r' and ':' ask nothing), q quits. The saved reply is moved onto a UDP socket
# of this test that only listens (127.0.53.96): any query would land there and be logged.
. "$(dirname "$0")/common.inc"
need_lab

# Unbound's cached copy: its TTL is below the zone's 30 once a second has passed
"$DNSDECK" --resolv-conf "$TMP/resolv.conf" --text @127.0.53.53 ttl30.example.test A >/dev/null
sleep 1.2
"$DNSDECK" --resolv-conf "$TMP/resolv.conf" --text @127.0.53.53 ttl30.example.test A \
	--save "$TMP/saved.session" >"$TMP/saved.txt" || fail "the lookup to save failed"
ttl=$(awk '$1 == "ttl30.example.test." && $4 == "A" { print $2 }' "$TMP/saved.txt")
[ -n "$ttl" ] || fail "no ttl30 answer to save"

# the listener: prints its port, logs every datagram it receives
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.53.96", 0))
print(s.getsockname()[1], flush=True)
log = open(sys.argv[1], "a")
while True:
    data, peer = s.recvfrom(65535)
    log.write("%d bytes from %s\n" % (len(data), peer[0])); log.flush()
' "$TMP/heard.log" >"$TMP/port" &
listener=$!
trap 'kill $listener 2>/dev/null; cleanup' EXIT
: >"$TMP/heard.log"
n=0
while [ ! -s "$TMP/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
port=$(cat "$TMP/port")
[ -n "$port" ] || fail "the listener did not start"
sed -e "s/label=127\.0\.53\.53 hostname=- port=53 addr=127\.0\.53\.53#53 reply=/label=127.0.53.96 hostname=- port=$port addr=127.0.53.96#$port reply=/" \
	-e "s/server=127\.0\.53\.53#53 /server=127.0.53.96#$port /" \
	"$TMP/saved.session" >"$TMP/moved.session"
[ "$(grep -c "127\.0\.53\.96#$port" "$TMP/moved.session")" -eq 2 ] || fail "the file was not moved"

start_dnsdeck 100 30 --load "$TMP/moved.session"
# at once: a query to the listener would leave the view waiting for 2 s x 2 tries
expect "^ server +127\.0\.53\.96#$port " "the loaded reply is not shown" 1
expect "^ ttl30\.example\.test\. +$ttl +" "the answer does not show the TTL captured ($ttl)" 1
screen | grep -q '203\.0\.113\.30' || fail "the saved address is not shown"
# the countdown is frozen at the capture: still the same TTL seconds later
sleep 2.5
screen | grep -E -q "^ ttl30\.example\.test\. +$ttl +" ||
	fail "the TTL moved on from the captured $ttl (the view must count against session_frozen_clock)"

# asking again sends nothing
keys r
sleep 0.5
keys : 'example.test MX' Enter
expect 'loaded from a file' "the prompt did not say the session is offline"
sleep 1
[ -s "$TMP/heard.log" ] && fail "a query was sent: $(cat "$TMP/heard.log")"
screen | grep -q '203\.0\.113\.30' || fail "the saved reply is gone"
still_running
keys Escape q
expect 'dnsdeck-exited rc=0' "q did not quit with status 0"
exit 0
