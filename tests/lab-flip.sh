#!/bin/sh
# lab-flip.sh -- change the lab's flip.example.test A record in BIND's copy of the zone, the
# way an operator edits a zone: the caches (Unbound) see it when their copy expires.
#   tests/lab-flip.sh 203.0.113.41     serve this address from BIND (127.0.53.3)
#   tests/lab-flip.sh restore          back to the zone file's 203.0.113.40, and Unbound's
#                                      cached copy of flip dropped (so later tests see .40)
# Only BIND is reloaded (NSD shares the file but is not told); the serial is left alone, so
# the other tests' serial comparisons are not disturbed. Exit 1 when the lab is not running.
set -eu
state=${DNSDECK_LAB_STATE:-/tmp/dnsdeck-lab.state}
[ -f "$state" ] || { echo "lab-flip: no lab running" >&2; exit 1; }
dir=$(cat "$state")
zone=$dir/zones/example.test.zone
[ -f "$zone" ] || { echo "lab-flip: no zone at $zone" >&2; exit 1; }
case ${1:-} in
restore) addr=203.0.113.40 ;;
203.0.113.*) addr=$1 ;;
*) echo "usage: lab-flip.sh 203.0.113.N | restore" >&2; exit 1 ;;
esac
tmp=$zone.flip.$$
sed "s/^flip\([[:space:]].*A[[:space:]]*\)203\.0\.113\.[0-9]*/flip\1$addr/" "$zone" >"$tmp"
# BIND reloads a zone only when the file is newer than what it loaded: make sure it is.
old=$(stat -c %Y "$zone")
new=$(($(date +%s) + 2))
[ "$new" -gt "$old" ] || new=$((old + 1))
touch -d "@$new" "$tmp"
mv "$tmp" "$zone"
rndc -c "$dir/bind/rndc.conf" reload example.test IN lab >/dev/null
# wait until BIND serves it (the reload is asynchronous)
n=50
while [ $n -gt 0 ]; do
	if dig @127.0.53.3 flip.example.test A +short +norec +time=1 +tries=1 2>/dev/null |
		grep -qx "$addr"; then
		[ "$1" = restore ] &&
			unbound-control -c "$dir/unbound.conf" flush flip.example.test >/dev/null
		exit 0
	fi
	sleep 0.1
	n=$((n - 1))
done
echo "lab-flip: BIND does not serve $addr after the reload" >&2
exit 1
