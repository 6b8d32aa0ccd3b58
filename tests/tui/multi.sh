#!/bin/sh
# multi.sh -- several @servers: one tab per server, the first reply fully shown, n / p / 1-9
# switch; Knot (127.0.53.2) serves the newer copy of the zone (MX 30 mx3).
. "$(dirname "$0")/common.inc"
need_lab

start_dnsdeck 120 40 @127.0.53.1 @127.0.53.2 @127.0.53.3 example.test MX
expect '3 127\.0\.53\.3 NOERROR' "no tab for the third server"
s=$(screen)
echo "$s" | head -n 1 | grep -E -q '1 127\.0\.53\.1 NOERROR .* 2 127\.0\.53\.2 NOERROR' ||
	fail "the tab row does not list the servers"
echo "$s" | grep -E -q '^ server +127\.0\.53\.1#53 ' || fail "the first server is not shown first"
echo "$s" | grep -q 'flags qr:1 aa:1' || fail "NSD's authoritative answer has no aa:1"
echo "$s" | grep -q '20 mx2\.example\.test\.' || fail "NSD's MX 20 mx2 is not shown"
echo "$s" | tail -n 1 | grep -q '\[1/3, 3 done\]' || fail "the status line does not say 1/3"

keys n
expect '^ server +127\.0\.53\.2#53 ' "n did not switch to the second server"
expect '30 mx3\.example\.test\.' "Knot's MX 30 mx3 is not shown"
screen | tail -n 1 | grep -q '\[2/3, 3 done\]' || fail "the status line does not say 2/3"
keys 3
expect '^ server +127\.0\.53\.3#53 ' "3 did not switch to the third server"
keys n
expect '^ server +127\.0\.53\.1#53 ' "n did not wrap around to the first server"
keys N
expect '^ server +127\.0\.53\.3#53 ' "N did not go back to the last server"
still_running
exit 0
