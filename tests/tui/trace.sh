#!/bin/sh
# trace.sh -- 't' traces the current question from the lab's private root (--root-hints
# contrib/lab/lab-root.hints; never the default, which names the real root servers): for
# example.test MX the zone cuts . -> test. -> example.test., each cut's server with its RTT,
# the referrals' NS RRsets and glue, and the authoritative MX answer from ns1.example.test;
# 'l' goes back to the lookup view and 't' there shows the same trace again. For
# partly-lame.test MX the servers that failed are shown as skipped with their reason
# (127.0.53.99: nothing listens, 127.0.53.4: REFUSED), then the glueless name server resolved
# from the root, then the answer from 127.0.53.102. See tests/integration/test_trace.py for
# what the lab returns.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/term.inc"
need_lab

HINTS="$TOP/contrib/lab/lab-root.hints"
[ -r "$HINTS" ] || fail "no lab root hints at $HINTS"

start_dnsdeck 110 40 --root-hints "$HINTS" @127.0.53.53 example.test MX
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1' "the lookup did not answer"
keys t
expect '^ Trace of example\.test\. MX from the root +4 queries +0 skipped +2 referrals' \
	"no trace title with the totals"
expect '^ zone cuts \. → test\. → example\.test\.$' "the zone cuts are not . → test. → example.test."
expect '^ outcome +NOERROR, 2 answer records, authoritative \(aa\) from ns1\.example\.test 127\.0\.53\.1#53' \
	"no outcome line"
shows "example.test MX trace" \
	'^ \.  priming: the root.s name servers  asked a\.root-servers\.invalid 127\.0\.53\.100#53  [0-9.]+ ms  [0-9]+ bytes$' \
	'^ \. → test\.  asked a\.root-servers\.invalid 127\.0\.53\.100#53  [0-9.]+ ms' \
	'^     test\. +86400 +NS +ns1\.nic\.test\.$' \
	'^     ns1\.nic\.test\. +86400 +A +127\.0\.53\.101  glue$' \
	'^ test\. → example\.test\.  asked ns1\.nic\.test 127\.0\.53\.101#53  [0-9.]+ ms' \
	'^     example\.test\. +3600 +NS +ns2\.example\.test\.$' \
	'^     ns3\.example\.test\. +3600 +A +127\.0\.53\.3  glue$' \
	'^ example\.test\.  answer \(aa\)  asked ns1\.example\.test 127\.0\.53\.1#53  [0-9.]+ ms' \
	'^     example\.test\. +3600 +MX +10 mx1\.example\.test\.$' \
	'^     example\.test\. +3600 +MX +20 mx2\.example\.test\.$' \
	'^ trace example\.test\. MX  done: NOERROR, 2 answer records'
s=$(screen)
# the blocks come in the order of the cuts
a=$(printf '%s\n' "$s" | grep -n '^ \. → test\.' | cut -d: -f1)
b=$(printf '%s\n' "$s" | grep -n '^ test\. → example\.test\.' | cut -d: -f1)
c=$(printf '%s\n' "$s" | grep -n '^ example\.test\.  answer' | cut -d: -f1)
[ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] || fail "the steps are out of order ($a, $b, $c)"
printf '%s\n' "$s" | grep -E -q '  skipped [a-z]' && fail "a server was skipped in the example.test trace"

# back to the lookup view and to the same trace
keys l
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1' "'l' did not go back to the lookup view"
keys t
expect '^ zone cuts \. → test\. → example\.test\.$' "'t' did not show the trace again"
keys Escape
expect '^ server +127\.0\.53\.53#53' "Esc did not go back to the lookup view"

# a partly lame delegation: two servers skipped, one found from the root on the side
keys : 'partly-lame.test MX' Enter
expect 'partly-lame\.test\. MX @127\.0\.53\.53' "the prompt did not ask partly-lame.test MX"
keys t
expect '^ outcome +NOERROR, 1 answer record, authoritative \(aa\) from c\.lab-servers\.invalid 127\.0\.53\.102#53' \
	"no outcome for partly-lame.test" 15
shows "partly-lame.test MX trace" \
	'^ zone cuts \. → test\. → partly-lame\.test\.$' \
	'^ Trace of partly-lame\.test\. MX from the root +7 queries +2 skipped +2 referrals' \
	'^ partly-lame\.test\.  skipped a\.partly-lame\.test 127\.0\.53\.99#53: connection refused or unreachable$' \
	'^ partly-lame\.test\.  skipped b\.partly-lame\.test 127\.0\.53\.4#53: REFUSED$' \
	'^ resolving c\.lab-servers\.invalid\. A \(a name server without glue\)$' \
	'^   \.  answer \(aa\)  asked a\.root-servers\.invalid 127\.0\.53\.100#53' \
	'^       c\.lab-servers\.invalid\. +86400 +A +127\.0\.53\.102$' \
	'^ partly-lame\.test\.  answer \(aa\)  asked c\.lab-servers\.invalid 127\.0\.53\.102#53' \
	'^     partly-lame\.test\. +3600 +MX +10 mail\.partly-lame\.test\.$'
s=$(screen)
a=$(printf '%s\n' "$s" | grep -n 'skipped a\.partly-lame' | cut -d: -f1)
b=$(printf '%s\n' "$s" | grep -n 'skipped b\.partly-lame' | cut -d: -f1)
c=$(printf '%s\n' "$s" | grep -n '^ partly-lame\.test\.  answer' | cut -d: -f1)
[ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] || fail "skipped servers out of order ($a, $b, $c)"

# 'r' traces again; the help names the trace view's keys
keys r
expect '^ outcome +NOERROR, 1 answer record' "'r' did not trace again" 15
keys '?'
expect 'dnsdeck keys: trace' "no help for the trace view"
keys q
wait_gone 'dnsdeck keys' || fail "a key did not close the help"
still_running
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly"
exit 0
