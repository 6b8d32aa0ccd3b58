#!/bin/sh
# mx_cli.sh -- `dnsdeck --mx user@example.test` on a terminal opens the MX view directly:
# the plan of the address's domain, in preference order; 'l' shows the lookup view and 'm'
# comes back to the same plan.
. "$(dirname "$0")/common.inc"
need_lab

"$DNSDECK" --help 2>&1 | grep -q -- '--mx' || fail "dnsdeck --help does not mention --mx"

start_dnsdeck 100 30 @127.0.53.53 --mx user@example.test
expect 'MX failover plan for example\.test\.  mode: mx' "--mx did not open the MX view"
expect 'Mail goes to mx1\.example\.test\. first, then mx2\.example\.test\.' \
	"the headline does not give the delivery order"
expect 'done' "the plan did not finish"
s=$(screen)
echo "$s" | grep -E -q '^ +step 1 +pref 10 +mx1\.example\.test\.$' || fail "no step 1 row"
echo "$s" | grep -E -q '^ +step 2 +pref 20 +mx2\.example\.test\.$' || fail "no step 2 row"
# Addresses under their exchange: AAAA first, each with its TTL and its PTR state.
echo "$s" | grep -E -q '^ +2001:db8::11 +TTL [0-9]+ +[0-9a-z]+ +(no PTR|PTR )' || fail "no AAAA row for mx1"
echo "$s" | grep -E -q '^ +198\.51\.100\.11 +TTL [0-9]+ +[0-9a-z]+ +(no PTR|PTR )' || fail "no A row for mx1"
echo "$s" | awk '/step 1 +pref 10 +mx1/ { a = NR } /step 2 +pref 20 +mx2/ { b = NR }
	END { exit !(a && b > a) }' || fail "the steps are not in preference order"
echo "$s" | grep -E -q '^ FINDINGS \([0-9]+\)' || fail "no FINDINGS heading"
# the authoritative servers disagree (Knot's copy has MX 30 mx3)
echo "$s" | grep -q 'mx-differs' || fail "the mx-differs finding is not shown"
# the mail records are at the end of the plan: G goes there
keys G
expect '^ +DMARC +_dmarc\.example\.test\. +"v=DMARC1; p=reject;' "the DMARC record is not shown"
keys g

keys l
expect '^ HEADER' "'l' did not go to the lookup view"
keys m
expect 'MX failover plan for example\.test\.' "'m' did not come back to the plan"
still_running
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly from the MX view"
exit 0
