#!/bin/sh
# mx_smtp.sh -- the MX view while the plan is pending and with the SMTP probe:
#  * against a silent server the plan shows "resolving…" rows, then the timeouts; 'r' plans
#    again (the rows go back to "resolving…");
#  * 'S' turns the SMTP probe on for smtp-lab.example.test (exchanges on 127.0.53.25-27, lab
#    loopback only), shows a result under every address and the verdict, and 'S' turns it
#    off again. When this test can listen on 127.0.53.27:25 itself, that exchange must be
#    reachable with STARTTLS and its banner.
. "$(dirname "$0")/common.inc"
need_lab

pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; cleanup' EXIT

# A UDP socket that never answers (loopback only), as in errors.sh.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.53.77", 0))
print(s.getsockname()[1], flush=True)
time.sleep(60)
' >"$TMP/port" &
pids="$pids $!"
n=0
until [ -s "$TMP/port" ]; do
	n=$((n + 1))
	[ "$n" -lt 50 ] || fail "the silent server did not start"
	sleep 0.1
done
port=$(cat "$TMP/port")

start_dnsdeck 100 30 "@127.0.53.77#$port" example.test MX +time=2 +tries=1
keys m
expect 'MX failover plan for example\.test\.  mode: pending' "no pending plan"
expect '^ +resolving… MX for example\.test\.' "no resolving row for the MX question"
expect '^ +SPF +example\.test\. +resolving…' "no resolving row for the mail records"
screen | tail -n 1 | grep -q 'resolving…' || fail "the status line does not say resolving"
expect '^ +SPF +example\.test\. +timed out' "the records did not time out" 8
expect 'mode: none' "the failed plan has no mode"
expect 'error +mx-lookup-failed' "no finding for the failed MX lookup"
keys r
expect '^ +resolving… MX for example\.test\.' "'r' did not plan again"
expect '^ +SPF +example\.test\. +timed out' "no timeout after 'r'" 8
still_running

# Our own SMTP listener on smtp3's address, when nothing else holds it.
python3 -c '
import socket, threading, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.53.27", 25))
except OSError:
    print("busy", flush=True)
    raise SystemExit(0)
s.listen(8)
print("ready", flush=True)
def talk(c):
    f = c.makefile("rb")
    c.sendall(b"220 smtp3.example.test ESMTP mx_smtp-tui\r\n")
    for line in f:
        if line[:4].upper() == b"EHLO":
            c.sendall(b"250-smtp3.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
        elif line[:4].upper() == b"QUIT":
            c.sendall(b"221 bye\r\n")
            break
    c.close()
s.settimeout(60)
while True:
    try:
        c, _ = s.accept()
    except OSError:
        break
    threading.Thread(target=talk, args=(c,), daemon=True).start()
' >"$TMP/smtpd" 2>&1 &
pids="$pids $!"
n=0
until [ -s "$TMP/smtpd" ]; do
	n=$((n + 1))
	[ "$n" -lt 50 ] || fail "the SMTP listener did not start"
	sleep 0.1
done

start_dnsdeck 120 40 @127.0.53.53 smtp-lab.example.test MX
expect 'smtp1\.example\.test\.' "the MX answer is not shown"
keys m
expect 'step 3 +pref 30 +smtp3\.example\.test\.' "no plan for smtp-lab"
expect 'SMTP probe: off' "the status line does not say the probe is off"
screen | grep -q 'SMTP verdict' && fail "a verdict without the probe"
keys S
expect 'SMTP probe: on' "'S' did not turn the probe on"
expect '^ +SMTP verdict [a-z]' "no SMTP verdict" 15
wait_gone 'probing…' 15 || fail "the probe did not end"
expect 'done' "the plan did not finish with the probe"
[ "$(screen | grep -E -c '^ +SMTP (reachable|refused|timed out|rejected|protocol error|network error)')" -eq 3 ] ||
	fail "not one SMTP result per address"
if grep -q ready "$TMP/smtpd"; then
	expect '^ +SMTP reachable [0-9.]+ ms STARTTLS +smtp3\.example\.test ESMTP mx_smtp-tui$' \
		"smtp3 is not reachable with STARTTLS and its banner"
	expect '^ +SMTP verdict first reachable' "the verdict does not name the first reachable"
fi
# Enter on an address shows its SMTP dialogue.
n=0
until screen | grep -q '^▶ *127\.0\.53\.27 '; do
	n=$((n + 1))
	[ "$n" -le 30 ] || fail "the cursor never reached smtp3's address"
	keys j
	sleep 0.05
done
keys Enter
expect '─ address 127\.0\.53\.27 of smtp3\.example\.test\. ' "Enter opened no address detail"
expect 'SMTP +(reachable|refused|timed out|rejected|protocol error|network error)' \
	"the address detail has no SMTP result"
keys x
wait_gone 'press any key to close' || fail "the detail did not close"

keys S
expect 'SMTP probe: off' "'S' did not turn the probe off"
wait_gone 'SMTP verdict' || fail "the verdict stays with the probe off"
still_running
exit 0
