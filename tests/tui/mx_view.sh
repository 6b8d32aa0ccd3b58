#!/bin/sh
# mx_view.sh -- the MX failover view: 'm' opens it for the current question's name (null MX),
# ":mx NAME" plans another domain (an equal-preference group, a CNAME exchange), Tab and
# Enter show a finding's explanation and RFC, any key closes it, 'l' goes back to the lookup
# view and 'm' back to the same plan; a normal query from the MX view opens the lookup view.
. "$(dirname "$0")/common.inc"
need_lab

# cursor_line: the line under the MX cursor (marked with the focus glyph in column 0).
cursor_line() {
	screen | grep '^▶' | head -n 1
}

# box_text: the lines inside the overlay box, without its borders.
box_text() {
	screen | sed -n 's/^ *│ \(.*\)│ *$/\1/p' | sed 's/ *$//'
}

start_dnsdeck 100 30 @127.0.53.53 nullmx.example.test MX
expect '^ nullmx\.example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +0 \.$' "the null MX answer is not shown"

# 'm': the plan of the current question's name.
keys m
expect 'MX failover plan for nullmx\.example\.test\.  mode: null-mx' "'m' opened no MX view"
expect 'This domain accepts no mail \(null MX, RFC 7505\)\.' "no null MX headline"
expect '^ +info +null-mx +.*\(RFC 7505' "no null-mx finding with its RFC"
expect '^ +SPF +nullmx\.example\.test\. +"v=spf1 -all"$' "the SPF record is not shown"
expect '^ +DMARC +_dmarc\.nullmx\.example\.test\. +\(none\)$' "no DMARC row"
for k in 'MTA-STS +_mta-sts\.' 'TLS-RPT +_smtp\._tls\.'; do
	screen | grep -E -q "^ +$k" || fail "no $k row in the mail records"
done
screen | tail -n 1 | grep -E -q '^ mx nullmx\.example\.test\. +done: accepts no mail \(null MX\) +SMTP probe: off' ||
	fail "the status line does not show domain, state and the SMTP probe"

# 'l' back to the lookup view, 'm' again shows the same plan.
keys l
expect '^ HEADER' "'l' did not go back to the lookup view"
wait_gone 'MX failover plan' || fail "the MX view is still shown after 'l'"
expect '^ nullmx\.example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +0 \.$' "the lookup is gone after 'l'"
keys m
expect 'mode: null-mx' "'m' did not come back to the MX view"
keys Escape
expect '^ HEADER' "Esc did not go back to the lookup view"
keys m
expect 'mode: null-mx' "'m' did not come back to the MX view after Esc"

# ":mx NAME": an equal-preference group is one step whose members come in any order.
keys : 'mx group.example.test' Enter
expect 'MX failover plan for group\.example\.test\.  mode: mx' "':mx' planned nothing"
expect 'step 2 +pref 20 +mx2\.example\.test\.' "no second step"
expect 'Mail goes to one of mxa\.example\.test\., mxb\.example\.test\., mxc\.example\.test\. \(any order\) first' \
	"no headline naming the group"
screen | awk '
	/step 1 +pref 10 +any order \(RFC 5321 §5\.1 random\):/ { s1 = NR }
	/^ +mx[abc]\.example\.test\.$/ { if (s1 && !s2) m++ }
	/^ +198\.51\.100\.2[123] +TTL [0-9]+/ { if (s1 && !s2) a++ }
	/step 2 +pref 20 +mx2\.example\.test\./ { s2 = NR }
	END { exit !(s1 && s2 > s1 && m == 3 && a == 3) }' ||
	fail "the three group members and their addresses are not under one 'any order' step"

# A CNAME exchange: its alias target on the exchange line, an exchange-cname finding.
keys : 'mx cname-mx.example.test' Enter
expect 'MX failover plan for cname-mx\.example\.test\.' "':mx cname-mx' planned nothing"
expect 'step 1 +pref 10 +alias\.example\.test\. +→ mx1\.example\.test\. \(CNAME\)' \
	"the exchange line does not show the alias target"
expect '^ +warning +exchange-cname +' "no exchange-cname finding"
expect 'done' "the plan did not finish"

# Tab walks the findings; stop on exchange-cname and explain it.
n=0
until cursor_line | grep -q 'exchange-cname'; do
	n=$((n + 1))
	[ "$n" -le 12 ] || fail "Tab never reached the exchange-cname finding"
	keys Tab
	sleep 0.1
done
keys Enter
expect '─ warning  exchange-cname ' "Enter opened no explanation box"
expect 'reference +RFC 2181 §10\.3' "the box does not give the RFC"
expect 'press any key to close' "the box has no closing hint"
box_text | grep -E -q '^about +alias\.example\.test\.' || fail "the box does not name the subject"
# The explanation: text in the box other than its labelled fields and the closing hint.
box_text | grep -E -v '^(about|finding|reference) |^ *$|^press any key|^ {11}' | grep -q '[a-z]' ||
	fail "the box shows no explanation"
keys x
wait_gone 'press any key to close' || fail "a key did not close the explanation"
screen | grep -q 'MX failover plan for cname-mx' || fail "closing the box left the MX view"
still_running

# Enter on a line with nothing to explain says so and keeps the view.
keys g Enter
expect 'nothing to explain here' "Enter on a heading gave no hint"
keys j
wait_gone 'nothing to explain here' || fail "the hint stays after a key"

# A malformed address is refused in the status line; the plan on screen stays.
keys : 'mx @example.test' Enter
expect 'empty local part' "no error for an address without a local part"
screen | grep -q 'MX failover plan for cname-mx' || fail "a bad ':mx' line replaced the plan"
keys j
wait_gone 'empty local part' || fail "the error stays after a key"

# A normal query from the MX view opens the lookup view with its answer.
keys : 'example.test MX' Enter
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1\.example\.test\.$' "the query was not asked"
wait_gone 'MX failover plan' || fail "a normal query did not leave the MX view"
still_running
exit 0
