#!/bin/sh
# ttl_countdown.sh -- TTLs count down live: the lab's Unbound caching ttl30.example.test (TTL
# 30). Two captures a few seconds apart show the TTL column and the cache line fall; the MX
# view's address TTLs count too; the TTL pane ('T') lists every RRset seen, soonest expiry
# first; 'a' turns asking again on expiry off and on.
. "$(dirname "$0")/common.inc"
need_lab

row='^ ttl30\.example\.test\. +([0-9]+) +([0-9hms]+|expired) +IN +A +203\.0\.113\.30$'
start_dnsdeck 130 30 @127.0.53.53 ttl30.example.test A
expect "$row" "no ttl30 row with TTL and LEFT columns"
screen | grep -E -q '^▶OWNER +TTL +LEFT +CLASS +TYPE +RDATA' || fail "no LEFT column title"
expect '^ cache +(answer expires in [0-9]+s +at [0-9:]{8} +\(TTL [0-9]+\)|answer expired)' \
	"no cache line in the header pane"
screen | grep -E -q 're-ask on expiry' || fail "asking again on expiry is not on by default"
t1=$(screen | sed -E -n "s/$row/\1/p")
l1=$(screen | sed -E -n "s/$row/\2/p")
sleep 3.2
t2=$(screen | sed -E -n "s/$row/\1/p")
l2=$(screen | sed -E -n "s/$row/\2/p")
[ -n "$t1" ] && [ -n "$t2" ] || fail "no TTL read ($t1, $t2)"
# Unbound may have been at the end of its copy: then the re-ask starts again from 30.
if [ "$t2" -lt "$t1" ]; then
	d=$((t1 - t2))
	[ "$d" -ge 2 ] && [ "$d" -le 4 ] || fail "TTL fell by $d in 3.2 s ($t1 -> $t2)"
	[ "$l2" = "${t2}s" ] || fail "LEFT is '$l2', not ${t2}s"
	[ "$l1" = "${t1}s" ] || fail "LEFT was '$l1', not ${t1}s"
else
	screen | grep -E -q 'asked [0-9]+ times' || fail "TTL did not fall ($t1 -> $t2) and no re-ask"
fi
still_running

# 'a' toggles asking again; the header says so.
keys a
expect 're-ask off' "'a' did not turn asking again off"
keys a
expect 're-ask on expiry' "'a' did not turn asking again back on"

# The TTL pane: every RRset this session received, soonest first, counting down.
keys T
expect '^ TTL +[0-9]+ RRsets? seen, soonest expiry first' "no TTL pane title"
expect '^▶LEFT +TTL +EXPIRES +SERVER +OWNER +TYPE +DATA' "no TTL pane columns"
prow='^ ([0-9hms]+|expired) +([0-9]+) +[0-9]{2}:[0-9]{2}:[0-9]{2} +127\.0\.53\.53#53 +ttl30\.example\.test\. +A +203\.0\.113\.30$'
expect "$prow" "ttl30 is not in the TTL pane"
# ask a longer-lived name too: the pane lists both, shorter TTL first
keys T : 'example.test MX' Enter
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1' "the MX question was not asked"
keys T
expect 'example\.test\. +MX +10 mx1\.example\.test\., 20 mx2\.example\.test\.$' "MX not in the pane"
first=$(screen | grep -n -E 'ttl30\.example\.test\. +A ' | head -n 1 | cut -d: -f1)
second=$(screen | grep -n -E 'example\.test\. +MX ' | head -n 1 | cut -d: -f1)
[ "$first" -lt "$second" ] || fail "the TTL pane is not sorted by expiry (A at $first, MX at $second)"
a1=$(screen | sed -E -n "s/$prow/\2/p")
sleep 2.2
a2=$(screen | sed -E -n "s/$prow/\2/p")
[ "$a2" -lt "$a1" ] || [ "$a1" -le 2 ] || fail "the TTL pane does not count down ($a1 -> $a2)"
keys T
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX' "T did not go back to the lookup"

# The MX view: address TTLs count down with their human form.
keys m
expect '^ +198\.51\.100\.11 +TTL [0-9]+ +[0-9hms]+ +' "no counting TTL on an MX address"
still_running
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly"
