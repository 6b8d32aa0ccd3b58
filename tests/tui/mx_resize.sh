#!/bin/sh
# mx_resize.sh -- the MX view at 120x40, 80x24 and 20x6: it reflows, never crashes, and its
# help ('?') lists the MX keys; the cursor keys and Tab keep working at every size.
. "$(dirname "$0")/common.inc"
need_lab

# fresh COLS ROWS: poll until the screen is a layout of that size with the MX status line.
fresh() {
	_n=50
	while [ "$_n" -gt 0 ]; do
		_s=$(screen)
		if [ "$(echo "$_s" | wc -l)" -eq "$2" ] &&
			echo "$_s" | awk -v w="$1" 'length($0) > w { bad = 1 } END { exit bad }' &&
			echo "$_s" | tail -n 1 | grep -q '^ mx group'; then
			return 0
		fi
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "no fresh ${1}x$2 layout"
}

start_dnsdeck 120 40 @127.0.53.53 group.example.test MX
expect 'mxa\.example\.test\.' "the MX answer is not shown"
keys m
expect 'step 2 +pref 20 +mx2\.example\.test\.' "no plan at 120x40"
expect 'done' "the plan did not finish"
# At 120 columns the headline is one line.
expect '^ Mail goes to one of mxa\.example\.test\., mxb\.example\.test\., mxc\.example\.test\. \(any order\) first, then mx2\.example\.test\.$' \
	"the headline is not one line at 120 columns"

# The help lists every key of the MX view.
keys '?'
expect 'dnsdeck keys: MX view' "'?' showed no MX help"
s=$(screen)
for k in 'j k' 'PgUp PgDn' 'Home End' 'Tab  Shift-Tab' 'Enter' 'r  ' 'S  ' 'l  Esc  m' \
	':  /' 'mx NAME' 'q  \^C' 'press any key'; do
	echo "$s" | grep -q -- "$k" || fail "the MX help does not mention '$k'"
done
keys x
wait_gone 'dnsdeck keys' || fail "a key did not close the help"
screen | grep -q 'MX failover plan for group' || fail "closing the help left the MX view"

tm resize-window -t "$SESS" -x 80 -y 24
fresh 80 24
# At 80 columns the headline wraps, the plan still shows the group.
expect '^ \(any order\) first, then mx2\.example\.test\.$' "the headline did not wrap at 80"
screen | grep -q 'any order (RFC 5321 §5.1 random):' || fail "no group step at 80x24"
keys G
expect '^▶ +TLS-RPT +_smtp\._tls\.group' "G did not move the cursor to the last line"
keys g
expect '^▶DELIVERY PLAN' "g did not move the cursor to the first line"
keys Tab
expect '^▶ +(error|warning|info) ' "Tab did not move the cursor to a finding"

tm resize-window -t "$SESS" -x 20 -y 6
n=50
until [ "$(screen | wc -l)" -eq 6 ] && screen | tail -n 1 | grep -q '^ mx group'; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || fail "nothing sensible at 20x6"
	sleep 0.1
done
keys j k G g Tab BTab Enter
sleep 0.3
keys x '?'
expect 'dnsdeck keys' "no help at 20x6"
keys x Right Left NPage PPage
still_running

tm resize-window -t "$SESS" -x 120 -y 40
fresh 120 40
expect 'MX failover plan for group\.example\.test\.  mode: mx' "the title did not come back"
expect 'step 2 +pref 20 +mx2\.example\.test\.' "the plan did not come back"
still_running
exit 0
