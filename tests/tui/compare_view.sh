#!/bin/sh
# compare_view.sh -- the propagation comparison of the lab (`dnsdeck -C`): one row per server
# with status, flags, RTT, serial (Knot newest, the others behind), group and answer; Knot is
# the outlier with MX 30 mx3; the summary and the groups above the table. Enter shows a row's
# reply in the lookup view, 'c' and Esc come back; Space marks NSD and Knot and 'd' shows the
# diff of their answers; Tab jumps to the outlier; 'l' and 'p' switch views; ":compare" asks
# another question; the help lists the keys; 20x6 does not crash and 120x40 comes back.
. "$(dirname "$0")/common.inc"
need_lab

# cursor_row: the table row under the cursor (marked with the focus glyph in column 0).
cursor_row() {
	screen | grep '^▶' | head -n 1
}

# box_text: the lines inside the overlay box, without its borders.
box_text() {
	screen | sed -n 's/^ *│ \(.*\)│ *$/\1/p' | sed 's/ *$//'
}

MX12='10 mx1\.example\.test\., 20 mx2\.example\.test\.'
MX13='10 mx1\.example\.test\., 30 mx3\.example\.test\.'

start_dnsdeck 120 40 -C @127.0.53.1 @127.0.53.2 @127.0.53.3 @127.0.53.53 example.test MX
expect 'Propagation of example\.test\. MX  4 servers' "-C opened no comparison view"
expect 'compare example\.test\. MX  done: ' "the comparison did not finish"
s=$(screen)

# One row per server: marks, outlier marker, server, status, AA RA, RTT, serial, TTL, group,
# answer. NSD, BIND and Unbound (stub to BIND) serve the old copy; Knot the new one.
echo "$s" | grep -E -q '^   ! SERVER +STATUS +AA RA +RTT +SERIAL +TTL +GRP +ANSWER$' ||
	fail "no column titles"
echo "$s" | grep -E -q "^[▶ ]    127\.0\.53\.1 +answer +aa -- +[0-9.]+ ms +2026112101 behind +[0-9]+ +1\* +$MX12\$" ||
	fail "NSD's row (old serial behind, group 1*, MX 20 mx2) is not right"
echo "$s" | grep -E -q "^[▶ ]  ! 127\.0\.53\.2 +answer +aa -- +[0-9.]+ ms +2026112102 newest +[0-9]+ +2 +$MX13\$" ||
	fail "Knot's row is not marked ! with the newest serial, group 2 and MX 30 mx3"
echo "$s" | grep -E -q "^[▶ ]    127\.0\.53\.3 +answer +aa -- +[0-9.]+ ms +2026112101 behind +[0-9]+ +1\* +$MX12\$" ||
	fail "BIND's row is not right"
# Unbound is a cache (ra, no aa) holding the old MX: stale until its copy expires, and the
# summary says when every cache will agree with the newest authoritative answer (Knot's).
# At 100 columns the note after the answer is cut; '>' scrolls to it.
echo "$s" | grep -E -q "^[▶ ]    127\.0\.53\.53 +answer +-- ra +[0-9.]+ ms +2026112101 behind +[0-9]+ +1\* +$MX12  stale( until [0-9:]{8}.*)?\$" ||
	fail "Unbound's row (a resolver: no aa, ra; stale) is not right"
echo "$s" | grep -E -q '^   all caches agree by [0-9:]{8} \(in [0-9hms]+\): stale copies expire$' ||
	fail "no 'all caches agree by' line"
[ "$(echo "$s" | grep -c '^[▶ ] *! 127\.0\.53\.')" -eq 1 ] || fail "not exactly one row is marked !"

# The summary (the engine's sentence), the groups with the majority marked, the status line.
echo "$s" | grep -E -q '^ ! [0-9]+ of 4 servers differ: 3 behind serial 2026112102' ||
	fail "no summary naming the 3 servers behind serial 2026112102"
echo "$s" | grep -E -q "^ +group 1\* +majority +3 servers +$MX12\$" || fail "no majority group 1*"
echo "$s" | grep -E -q "^ +group 2 +outlier +1 server +$MX13\$" || fail "no outlier group 2"
echo "$s" | tail -n 1 | grep -E -q '^ compare example\.test\. MX  done: 1 outlier, 3 behind' ||
	fail "the status line does not count the outlier and the servers behind"
echo "$s" | tail -n 1 | grep -q '? help' || fail "no key hints in the status line"

# Tab jumps to the outlier; Enter there shows Knot's full reply in the lookup view.
keys g Tab
wait_for '^▶ +! 127\.0\.53\.2 ' || fail "Tab did not move the cursor to Knot's row"
keys Enter
expect '^ server +127\.0\.53\.2#53 ' "Enter did not show Knot's reply"
expect '^ HEADER' "Enter did not open the lookup view"
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +30 mx3\.example\.test\.$' "Knot's MX 30 mx3 is not shown"
screen | grep -q 'flags qr:1 aa:1' || fail "Knot's reply does not show aa:1"
wait_gone 'Propagation of' || fail "the comparison is still on screen"
# 'c' comes back, to the same row.
keys c
expect 'Propagation of example\.test\. MX  4 servers' "'c' did not come back to the comparison"
cursor_row | grep -q '127\.0\.53\.2 ' || fail "the cursor is not on Knot's row after 'c'"
# Esc from the lookup view comes back too.
keys k Enter
expect '^ server +127\.0\.53\.1#53 ' "Enter did not show NSD's reply"
expect '20 mx2\.example\.test\.$' "NSD's MX 20 mx2 is not shown"
keys Escape
expect 'Propagation of example\.test\. MX' "Esc did not come back to the comparison"

# Space marks NSD (the diff's - side) and Knot (its + side); 'd' shows the diff of their answers.
keys g Space j Space
expect '^ - +127\.0\.53\.1 ' "NSD's row does not show its mark -"
expect '^▶\+ ! 127\.0\.53\.2 ' "Knot's row does not show its mark +"
expect '2 marked: d diffs' "the status line does not say two rows are marked"
keys d
expect '─ diff 127\.0\.53\.1 → 127\.0\.53\.2 ' "d opened no diff"
b=$(box_text)
echo "$b" | grep -E -q '^- 127\.0\.53\.1 +answer +serial 2026112101 \(behind\)$' ||
	fail "the diff does not name NSD and its serial"
echo "$b" | grep -E -q '^\+ 127\.0\.53\.2 +answer +serial 2026112102 \(newest\)$' ||
	fail "the diff does not name Knot and its serial"
echo "$b" | grep -E -q '^- example\.test\. IN MX 20 mx2\.example\.test\.$' ||
	fail "the diff has no '- ... 20 mx2.example.test.' line"
echo "$b" | grep -E -q '^\+ example\.test\. IN MX 30 mx3\.example\.test\.$' ||
	fail "the diff has no '+ ... 30 mx3.example.test.' line"
echo "$b" | grep -E -q '^[-+] .*mx1' && fail "the diff lists the RR both answers have"
keys x
wait_gone '─ diff ' || fail "a key did not close the diff"
# Space on a marked row unmarks it; d with one mark diffs it with the row under the cursor.
keys Space
expect '^▶  ! 127\.0\.53\.2 ' "Space did not unmark Knot's row"
keys j d
expect '─ diff 127\.0\.53\.1 → 127\.0\.53\.3 ' "d with one mark did not diff it with the cursor row"
expect 'The answers are the same' "NSD and BIND do not have the same answer"
keys x
wait_gone '─ diff ' || fail "a key did not close the diff"

# The help lists the keys of the comparison view.
keys '?'
expect 'dnsdeck keys: comparison' "'?' showed no comparison help"
s=$(screen)
for k in 'j k' 'PgUp PgDn' 'Home End' 'Tab  Shift-Tab' 'Enter' 'Space' 'd  ' 'r  ' \
	'l  Esc  p' ':  /' 'q  \^C' 'press any key'; do
	echo "$s" | grep -q -- "$k" || fail "the comparison help does not mention '$k'"
done
keys x
wait_gone 'dnsdeck keys' || fail "a key did not close the help"

# 'l' goes to the lookup view, 'p' back to the same comparison (not asked again: the marks stay).
keys l
expect '^ HEADER' "'l' did not go to the lookup view"
keys p
expect 'Propagation of example\.test\. MX  4 servers' "'p' did not come back to the comparison"
screen | grep -E -q '^ - +127\.0\.53\.1 ' || fail "'p' asked again instead of showing the comparison"

# 'r' asks every server again: the rows come back, the marks stay.
keys r
expect 'compare example\.test\. MX  done: ' "'r' did not finish"
expect "^[▶ ]  ! 127\.0\.53\.2 +answer .* +2 +$MX13\$" "Knot's row is gone after 'r'"
screen | grep -E -q '^ - +127\.0\.53\.1 ' || fail "'r' dropped the mark"
still_running

# ":compare" at the prompt asks another question.
keys : 'compare example.test SOA @127.0.53.1 @127.0.53.3' Enter
expect 'Propagation of example\.test\. SOA  2 servers' "':compare' asked nothing"
expect 'compare example\.test\. SOA  done: consistent' "NSD and BIND do not agree on the SOA"
expect '^ = consistent' "the summary does not say consistent"
screen | grep -q '^ - ' && fail "the marks of the old comparison stayed"

# Small screens do not crash; the view comes back whole.
tm resize-window -t "$SESS" -x 80 -y 24
expect '^ +127\.0\.53\.3 +answer +aa -- ' "no rows at 80x24"
tm resize-window -t "$SESS" -x 20 -y 6
n=50
until [ "$(screen | wc -l)" -eq 6 ] && screen | tail -n 1 | grep -q '^ compare example'; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || fail "nothing sensible at 20x6"
	sleep 0.1
done
keys j k G g Tab BTab Space j Space d
sleep 0.3
keys x '?'
expect 'dnsdeck keys' "no help at 20x6"
keys x Right Left NPage PPage
still_running
tm resize-window -t "$SESS" -x 120 -y 40
expect 'Propagation of example\.test\. SOA  2 servers' "the title did not come back"
expect '^[▶ ].* 127\.0\.53\.3 +answer +aa -- ' "the rows did not come back"
still_running
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly from the comparison"
exit 0
