#!/bin/sh
# lookup_mx.sh -- the lab MX question at 120x40: header facts, flags and the MX rows are shown.
. "$(dirname "$0")/common.inc"
need_lab

start_dnsdeck 120 40 @127.0.53.53 example.test MX
expect 'mx1\.example\.test\.' "the MX answer is not shown"
expect 'mx2\.example\.test\.' "the second MX is not shown"
s=$(screen)

# The answer rows, in aligned columns: owner, TTL, class, type, rdata.
echo "$s" | grep -E -q '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1\.example\.test\.$' ||
	fail "the MX 10 row is not in owner/TTL/class/type/rdata columns"
echo "$s" | grep -E -q '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +20 mx2\.example\.test\.$' ||
	fail "the MX 20 row is not in owner/TTL/class/type/rdata columns"
echo "$s" | grep -q 'OWNER .* TTL .*CLASS .*TYPE .*RDATA' || fail "no column titles"

# Header pane: server, transport, RTT, size, opcode, rcode, ID, every flag, counts, EDNS.
echo "$s" | grep -E -q 'server +127\.0\.53\.53#53 +udp +rtt [0-9.]+ ms +[0-9]+ bytes' ||
	fail "no server / transport / RTT / size line"
echo "$s" | grep -E -q 'opcode QUERY +rcode NOERROR +id [0-9]+' || fail "no opcode/rcode/ID"
# Unbound is a recursive resolver: qr rd ra set, aa tc cd clear.
for f in 'qr:1' 'aa:0' 'tc:0' 'rd:1' 'ra:1' 'ad:[01]' 'cd:0'; do
	echo "$s" | grep -E -q "flags .*$f" || fail "flag $f not shown"
done
echo "$s" | grep -E -q 'QUERY 1 +ANSWER 2 +AUTHORITY [0-9]+ +ADDITIONAL [0-9]+' ||
	fail "no section counts"
echo "$s" | grep -E -q 'edns +version 0 +udp [0-9]+ +do:0' || fail "no EDNS line"

# Sections and the status line.
for sec in 'QUESTION \(1\)' 'ANSWER \(2\)' 'AUTHORITY \(' 'ADDITIONAL \('; do
	echo "$s" | grep -E -q "^ $sec" || fail "no $sec heading"
done
echo "$s" | tail -n 1 | grep -E -q 'example\.test\. MX @127\.0\.53\.53 +NOERROR [0-9.]+ ms' ||
	fail "the status line does not show question, server and state"
echo "$s" | tail -n 1 | grep -q '? help' || fail "no key hints in the status line"

# Scrolling keys and Tab do not break the view.
keys j j k G g Tab j Tab End Home
expect 'mx1\.example\.test\.' "the view broke after scrolling keys"

# r asks again: a new query, so a new ID shows up.
id=$(screen | sed -n 's/.* id \([0-9]*\) .*/\1/p' | head -n 1)
[ -n "$id" ] || fail "no ID to compare"
keys r
n=0
while :; do
	new=$(screen | sed -n 's/.* id \([0-9]*\) .*/\1/p' | head -n 1)
	[ -n "$new" ] && [ "$new" != "$id" ] && break
	n=$((n + 1))
	# A 1 in 65536 chance that the new ID equals the old one: ask once more then.
	[ "$n" -eq 20 ] && keys r
	[ "$n" -ge 50 ] && fail "r did not ask again (ID still $id)"
	sleep 0.1
done
expect 'mx1\.example\.test\.' "the MX answer is gone after r"
still_running
exit 0
