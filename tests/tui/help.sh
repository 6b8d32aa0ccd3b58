#!/bin/sh
# help.sh -- '?' shows a help overlay that lists every key; any key closes it (and does
# nothing else: 'q' closes the help, it does not quit).
. "$(dirname "$0")/common.inc"
need_lab

start_dnsdeck 100 30 @127.0.53.53 example.test MX
expect 'mx1\.example\.test\.' "the MX answer is not shown"
keys '?'
expect 'dnsdeck keys' "'?' showed no help"
s=$(screen)
for k in 'j k' 'PgUp PgDn' 'Home End' 'g G' 'Tab' ':' 'r ' 'q ' 'Left Right' 'n N' 'Esc' \
	'press any key'; do
	echo "$s" | grep -q -- "$k" || fail "the help does not mention '$k'"
done
keys q
wait_gone 'dnsdeck keys' || fail "a key did not close the help"
still_running
screen | grep -q 'mx1\.example\.test\.' || fail "the view is gone after closing the help"
keys F1
expect 'dnsdeck keys' "F1 showed no help"
keys Space
wait_gone 'dnsdeck keys' || fail "Space did not close the help"
still_running
exit 0
