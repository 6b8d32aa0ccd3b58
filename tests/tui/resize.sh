#!/bin/sh
# resize.sh -- a resize reflows the view: 120x40 -> 70x20 -> a burst -> 20x6 -> back.
. "$(dirname "$0")/common.inc"
need_lab

# layout COLS ROWS: poll until the screen is a fresh layout of that size: ROWS rows, none wider
# than COLS, the header bar on the first row and the status line on the last (a stale screen
# drawn for another size has it elsewhere, or cut).
layout() {
	_n=50
	while [ "$_n" -gt 0 ]; do
		_s=$(screen)
		if [ "$(echo "$_s" | wc -l)" -eq "$2" ] &&
			echo "$_s" | awk -v w="$1" 'length($0) > w { bad = 1 } END { exit bad }' &&
			echo "$_s" | head -n 1 | grep -q 'HEADER' &&
			echo "$_s" | tail -n 1 | grep -q "^ example\.test\. MX @127\.0\.53\.53 *NOERROR"; then
			return 0
		fi
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "no fresh ${1}x$2 layout"
}

start_dnsdeck 120 40 @127.0.53.53 example.test MX
expect 'mx1\.example\.test\.' "the MX answer is not shown"
# At 120 columns the flags share the header line with opcode, rcode and ID.
screen | grep -E -q 'rcode NOERROR +id [0-9]+ +flags qr:1' || fail "unexpected wide layout"

tm resize-window -t "$SESS" -x 70 -y 20
layout 70 20
# At 70 columns the flags wrap onto a line of their own.
expect '^ +flags qr:1' "the header did not reflow to 70 columns"
screen | grep -q 'mx1\.example\.test\.' || fail "the MX answer is gone after resize"
screen | grep -q 'mx2\.example\.test\.' || fail "the second MX is gone after resize"

# A burst of resizes: the redraw is capped, the last size wins, the screen is whole.
for w in 60 90 50 100 80; do
	tm resize-window -t "$SESS" -x "$w" -y 24
done
layout 80 24
screen | grep -q 'mx1\.example\.test\.' || fail "no answer after a burst of resizes"
screen | grep -E -q '^ server +127\.0\.53\.53#53' || fail "no server line after the burst"

# Tiny: must not crash, draws what fits.
tm resize-window -t "$SESS" -x 20 -y 6
n=50
until [ "$(screen | wc -l)" -eq 6 ] && screen | tail -n 1 | grep -q '^ example\.test\. MX'; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || fail "nothing sensible at 20x6"
	sleep 0.1
done
keys j k G g Tab '?'
expect 'dnsdeck keys' "no help at 20x6"
keys x
still_running

tm resize-window -t "$SESS" -x 120 -y 40
expect 'rcode NOERROR +id [0-9]+ +flags qr:1' "the wide layout did not come back"
expect 'mx1\.example\.test\.' "the answer did not come back"
still_running
exit 0
