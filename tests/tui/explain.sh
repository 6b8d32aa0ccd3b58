#!/bin/sh
# explain.sh -- explain mode ('e') of the lookup view, on NSD's example.test SOA: a line cursor
# starts on the first line of the sections pane, Up/Down move it, Left/Right move between the
# fields of the line, and a box above the status line explains the selected field with its
# RFC: the section heading, the SOA row (the type, then the serial), the header pane's server
# line and the flags of its header line; 'e' again (and Esc) hide the box and the cursor; in
# the MX view 'e' says it is for the lookup view. Then, for a set of lab replies (Unbound's MX,
# NXDOMAIN, a TC reply asked again over TCP, REFUSED with an Extended DNS Error, a server
# that does not answer), every line of both panes is selected in turn and each one has an
# explanation with its source.
. "$(dirname "$0")/common.inc"
need_lab

box='^┌─ explain'
# box_says RE WHAT: the text inside the box (its rows joined) matches the extended regex.
box_says() {
	_n=50
	while [ "$_n" -gt 0 ]; do
		screen | sed -n 's/^│ \(.*\) │$/\1/p' | sed 's/ *$//' | tr '\n' ' ' |
			grep -E -q -- "$1" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "the explain box does not say /$1/ ($2)"
}
# press KEY N: the key N times, each drawn before the next.
press() {
	_k=$1 _c=$2
	while [ "$_c" -gt 0 ]; do
		keys "$_k"
		sleep 0.15
		_c=$((_c - 1))
	done
}

start_dnsdeck 100 32 @127.0.53.1 example.test SOA
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +SOA +ns1\.example\.test\. hostmaster' "no SOA row"
screen | grep -q -- "$box" && fail "the explain box shows before 'e'"

keys e
expect "$box" "'e' showed no explain box"
expect '^▶QUESTION \(1\)' "the cursor does not start on the first line of the sections pane"
box_says "^QUESTION: what was asked.*\(RFC 1035 §4\.1\.2\)" "the QUESTION heading"
screen | tail -n 1 | grep -q 'e explain off' || fail "no 'e explain off' hint in explain mode"

# the SOA row: the type first, then Right walks its fields up to the serial
press Down 3
expect '^▶example\.test\. +[0-9]+ .* SOA ' "Down did not move the cursor to the SOA row"
box_says "^SOA: Start Of Authority, one per zone.*\(RFC 1035 §3\.3\.13\)" "the SOA row"
press Right 3
box_says "^SOA SERIAL \(3rd field\): the zone's version number.*\(RFC 1035 §3\.3\.13, RFC 1982 §3\)" \
	"the SOA serial"
expect '^┌─ explain 7/11 ' "the box title does not count the fields of the SOA row"
press Right 4
box_says "^SOA MINIMUM \(7th field\): the negative-caching TTL.*\(RFC 2308 §4, RFC 2308 §5\)" \
	"the SOA minimum"
press Left 10
box_says "^owner: the domain name the record belongs to.*\(RFC 1034 §3\.6, RFC 1035 §5\.1\)" \
	"the owner (Left)"

# a section heading
press Down 1
expect '^▶AUTHORITY \(3\)' "Down did not reach the AUTHORITY heading"
box_says "^AUTHORITY: records about the zone's authority.*\(RFC 1035 §4\.1, RFC 2308 §3\)" \
	"the AUTHORITY heading"
press Up 1
expect '^▶example\.test\. +[0-9]+ .* SOA ' "Up did not go back to the SOA row"

# the header pane: the server line, then the flags of the header line
keys Tab
expect '^▶server +127\.0\.53\.1#53' "Tab did not put the cursor on the header pane's first line"
box_says "^server: the address \(and port\) the question was sent to.*\(RFC 1035 §4\.2\)" \
	"the server line"
press Down 2
expect '^▶header +opcode QUERY +rcode NOERROR' "Down did not reach the header line"
box_says "^opcode: the kind of request.*\(RFC 1035 §4\.1\.1\)" "the header line"
press Right 7
box_says "^aa, Authoritative Answer: the server is an authority for the zone.*\(RFC 1035 §4\.1\.1\)" \
	"the aa flag"
keys Enter
box_says "^tc, TrunCation: .*\(RFC 1035 §4\.1\.1, RFC 2181 §9\)" "Enter: the next flag"

# 'e' hides it all; Esc too
keys e
wait_gone "$box" || fail "'e' did not hide the explain box"
wait_gone '^▶header' || fail "the cursor stayed after 'e'"
screen | tail -n 1 | grep -q 'e explain' || fail "no 'e explain' hint"
keys e
expect "$box" "'e' did not show the box again"
keys Escape
wait_gone "$box" || fail "Esc did not hide the explain box"

# the MX view: a message, no box
keys m
expect '^ MX failover plan for example\.test\.' "'m' did not open the MX view"
keys e
expect 'explain mode is for the lookup view' "'e' in the MX view said nothing"
screen | grep -q -- "$box" && fail "'e' opened a box in the MX view"
keys l
expect '^ server +127\.0\.53\.1#53' "'l' did not go back to the lookup view"
still_running
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly"

# Every line of every pane has an explanation and its source, for these lab replies.
# walk PANE: select each line of the focused pane from the first one down; stop when Down no
# longer changes the screen. Fails on a line without an explanation.
walk() {
	_prev='' _lines=0
	while [ "$_lines" -lt 60 ]; do
		_s=$(screen)
		[ "$_s" = "$_prev" ] && break
		printf '%s\n' "$_s" | grep -q 'no explanation for this line' &&
			fail "$1: a line has no explanation: $(printf '%s\n' "$_s" | grep '^▶' | tail -n 1)"
		printf '%s\n' "$_s" | sed -n 's/^│ \(.*\) │$/\1/p' | tr '\n' ' ' |
			grep -E -q '\((RFC [0-9]{3,4}|dnsdeck\(1\))' ||
			fail "$1: the box names no RFC for $(printf '%s\n' "$_s" | grep '^▶' | tail -n 1)"
		_prev=$_s
		_lines=$((_lines + 1))
		keys Down
		sleep 0.2
	done
	[ "$_lines" -ge 2 ] || fail "$1: only $_lines lines walked"
}
for q in '@127.0.53.53 example.test MX' '@127.0.53.1 nosuch.example.test A' \
	'@127.0.53.1 big.example.test TXT' '@127.0.53.1 example.org A +norec' \
	'@127.0.53.99 example.test MX +time=1 +tries=1'; do
	# shellcheck disable=SC2086 # the words of the question, one argument each
	start_dnsdeck 100 40 $q
	expect ' (NOERROR|NXDOMAIN|REFUSED|connection refused|timed out)' "no reply to $q" 8
	keys e
	expect "$box" "no explain box for $q"
	walk "$q, sections"
	keys Tab
	sleep 0.2
	walk "$q, header"
	still_running
done
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly"
exit 0
