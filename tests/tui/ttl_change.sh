#!/bin/sh
# ttl_change.sh -- after expiry, a record changed in the authoritative zone appears and is
# highlighted: the lab's Unbound caches flip.example.test (TTL 30); BIND's copy of the zone
# is changed (tests/lab-flip.sh); when the cached copy expires dnsdeck asks again, marks the
# new RR "new" and the old one "removed", and 'h' shows the change history. The comparison
# view shows the cache as stale until its copy expires, and when all caches agree.
. "$(dirname "$0")/common.inc"
need_lab
FLIP="$TOP/tests/lab-flip.sh"
trap 'sh "$FLIP" restore >/dev/null 2>&1; cleanup' EXIT
sh "$FLIP" restore || fail "cannot reset flip.example.test"

start_dnsdeck 110 32 @127.0.53.53 flip.example.test A
expect '^ flip\.example\.test\. +[0-9]+ +[0-9hms]+ +IN +A +203\.0\.113\.40$' "no flip row"
sh "$FLIP" 203.0.113.41 || fail "cannot change the zone"

# The comparison: BIND (authoritative) has the new address, Unbound's copy is stale.
start_dnsdeck 130 24 -C flip.example.test A @127.0.53.3 @127.0.53.53
expect '127\.0\.53\.53 +answer +-- ra .* 203\.0\.113\.40 +stale until [0-9:]{8} \(in [0-9]+s\)$' \
	"the cache is not shown stale"
expect '^ +all caches agree by [0-9:]{8} \(in [0-9]+s\)' "no 'all caches agree by'"
expect '127\.0\.53\.3 +answer +aa -- .* 203\.0\.113\.41$' "BIND's new answer is not shown"

# Back to the lookup, on the same cache: within 30 s (+ a second) it asks again.
start_dnsdeck 110 32 @127.0.53.53 flip.example.test A
expect '^ flip\.example\.test\. +[0-9]+ +[0-9hms]+ new +IN +A +203\.0\.113\.41$' \
	"the new RR did not appear marked new after expiry" 35
expect '^ flip\.example\.test\. +removed +IN +A +203\.0\.113\.40$' "the old RR is not shown removed"
expect '^ ANSWER \(1\) \+ 1 removed since the previous reply' "the ANSWER heading does not say so"
expect 'changes 1 \(h: history\)' "the cache line does not count the change"
keys h
expect 'changes from 127\.0\.53\.53#53' "'h' did not open the history"
expect '^ +│ [0-9]{2}:[0-9]{2}:[0-9]{2} +\+1 -1' "no timestamped change in the history"
expect '│ +old 203\.0\.113\.40 ' "no old answer in the history"
expect '│ +new 203\.0\.113\.41 ' "no new answer in the history"
keys x
wait_gone 'changes from' || fail "the history did not close"
still_running
