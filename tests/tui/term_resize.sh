#!/bin/sh
# term_resize.sh -- 50 resizes in quick succession, in the lookup, MX and comparison views:
# resize-window through sizes from 20x6 to 220x70 with no pause, then resize-pane of
# dnsdeck's pane beside a second pane, then one last size. Afterwards the screen is a fresh
# layout of exactly that size (rows, no line wider, title on top, status line at the bottom,
# the content whole), no raw control byte is on it, and dnsdeck still answers keys: it opens
# the next view ('m', then 'l' and 'p') and finally quits with status 0. (resize.sh covers one
# burst of 5 in the lookup view; the MX and comparison views' resize tests use fixed sizes.)
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/term.inc"
need_lab

# burst: 50 resizes of the dnsdeck window: 30 of the window, 20 of its pane next to another.
burst() {
	for _ in 1 2 3 4 5; do
		for wh in 20x6 220x70 61x17 143x45 33x9 97x31; do
			tm resize-window -t "$SESS" -x "${wh%x*}" -y "${wh#*x}"
		done
	done
	tm resize-window -t "$SESS" -x 120 -y 40
	tm split-window -d -h -t "$SESS" "sleep 60" || fail "cannot split the window"
	for w in 15 90 40 100 25 70 10 60 30 80 20 95 45 55 12 85 35 65 50 75; do
		tm resize-pane -t "$SESS.0" -x "$w"
	done
	tm kill-pane -t "$SESS.1"
}

start_dnsdeck 100 30 @127.0.53.53 example.test MX
expect 'mx1\.example\.test\.' "the MX answer is not shown"

burst
tm resize-window -t "$SESS" -x 90 -y 25
layout 90 25 '^ HEADER' '^ example\.test\. MX @127\.0\.53\.53 +NOERROR'
shows "lookup view after the burst" '^ server +127\.0\.53\.53#53 ' '^ counts +QUERY 1  ANSWER 2 ' \
	'^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1\.example\.test\.$' \
	'^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +20 mx2\.example\.test\.$' '^ ADDITIONAL \(0\)'
still_running

keys m
expect '^ MX failover plan for example\.test\.  mode: mx' "m opened no MX view after the burst"
expect '^ mx example\.test\.  done' "the MX plan did not finish"
burst
tm resize-window -t "$SESS" -x 110 -y 35
layout 110 35 '^ MX failover plan for example\.test\.  mode: mx' '^ mx example\.test\.  done'
shows "MX view after the burst" '^.DELIVERY PLAN \(2 steps' 'step 1 +pref 10 +mx1\.example\.test\.' \
	'step 2 +pref 20 +mx2\.example\.test\.' '^ FINDINGS \([0-9]+\)'
still_running

keys l
expect '^ HEADER' "l did not go back to the lookup view"
keys p
expect '^ Propagation of example\.test\. MX  4 servers' "p opened no comparison after the burst"
expect '^ compare example\.test\. MX  done' "the comparison did not finish"
burst
tm resize-window -t "$SESS" -x 100 -y 30
layout 100 30 '^ Propagation of example\.test\. MX  4 servers' '^ compare example\.test\. MX  done'
shows "comparison after the burst" '^ +group 2 +outlier +1 server +10 mx1\.example\.test\., 30 mx3' \
	' 127\.0\.53\.1#53 +answer ' ' 127\.0\.53\.2#53 +answer ' ' 127\.0\.53\.3#53 +answer ' \
	' 127\.0\.53\.53#53 +answer '

keys q
expect '^dnsdeck-exited rc=0$' "q did not quit with status 0 after the bursts"
exit 0
