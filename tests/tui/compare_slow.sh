#!/bin/sh
# compare_slow.sh -- rows fill in live: a comparison with two lab servers, a slow server of
# ours on 127.0.53.88 (answers after 3 s, the old copy's MX and serial), a silent one on
# 127.0.53.89 (never answers: timed out after +time=5) and 127.0.53.90 where nothing listens
# (unreachable). While the slow one is out its row says pending and the others are filled in;
# then it joins the majority; then the silent one times out. 'r' asks every server again.
. "$(dirname "$0")/common.inc"
need_lab

# The responder needs dnspython: Debian's python3-dnspython is in /usr/bin/python3.
PY=python3
$PY -c 'import dns.message' 2>/dev/null || PY=/usr/bin/python3
$PY -c 'import dns.message' 2>/dev/null || fail "no python3 with dnspython (python3-dnspython)"

# Loopback only: 127.0.53.88 answers after 3 s, 127.0.53.89 reads and never answers.
$PY -c '
import socket, threading, time
import dns.flags, dns.message, dns.rdatatype, dns.rrset

SOA = "ns1.example.test. hostmaster.example.test. 2026112101 3600 900 1209600 300"

def reply(sock, data, peer):
    time.sleep(3)
    try:
        q = dns.message.from_wire(data)
    except Exception:
        return
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA
    r.flags &= ~dns.flags.RA
    name, t = q.question[0].name, q.question[0].rdtype
    if t == dns.rdatatype.MX:
        r.answer.append(dns.rrset.from_text(name, 3600, "IN", "MX",
                                            "10 mx1.example.test.", "20 mx2.example.test."))
    elif t == dns.rdatatype.SOA:
        r.answer.append(dns.rrset.from_text(name, 3600, "IN", "SOA", SOA))
    sock.sendto(r.to_wire(), peer)

def slow(sock):
    while True:
        data, peer = sock.recvfrom(65535)
        threading.Thread(target=reply, args=(sock, data, peer), daemon=True).start()

slow_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
slow_sock.bind(("127.0.53.88", 53))
silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
silent.bind(("127.0.53.89", 53))
print("ready", flush=True)
threading.Thread(target=slow, args=(slow_sock,), daemon=True).start()
time.sleep(60)
' >"$TMP/responder" 2>&1 &
responder=$!
trap 'kill $responder 2>/dev/null; cleanup' EXIT
n=0
until grep -q ready "$TMP/responder"; do
	n=$((n + 1))
	[ "$n" -lt 50 ] || fail "the slow responder did not start: $(cat "$TMP/responder")"
	sleep 0.1
done

MX12='10 mx1\.example\.test\., 20 mx2\.example\.test\.'
start_dnsdeck 120 30 -C @127.0.53.1 @127.0.53.2 @127.0.53.88 @127.0.53.89 @127.0.53.90 \
	example.test MX +time=5 +tries=1
expect "^[▶ ]  ! 127\.0\.53\.2 +answer " "Knot's row did not fill in"

# While the slow server is out: its row is pending, the others are filled in, all on one screen.
s=$(screen)
echo "$s" | grep -E -q '^[▶ ]    127\.0\.53\.88 +pending… +… +waiting for a reply…$' ||
	fail "the slow server's row does not say pending"
echo "$s" | grep -E -q '^[▶ ]    127\.0\.53\.89 +pending… ' || fail "the silent server's row is not pending"
echo "$s" | grep -E -q "^[▶ ]    127\.0\.53\.1 +answer +aa -- +[0-9.]+ ms +2026112101 behind +[0-9]+ +1\* +$MX12\$" ||
	fail "NSD's row is not filled in while the slow server is out"
echo "$s" | grep -E -q '^[▶ ]  ! 127\.0\.53\.90 +unreachable ' ||
	fail "the row of the address where nothing listens is not marked ! unreachable"
echo "$s" | tail -n 1 | grep -E -q '^ compare example\.test\. MX  asking… [0-9] of 5 answered' ||
	fail "the status line does not say the comparison is still asking"
echo "$s" | grep -E -q '\(2 pending\)$|2 pending$' || fail "the summary does not count 2 pending"

# Enter on a pending row says there is nothing to show yet, and keeps the view.
keys j j Enter
expect 'no reply from this server yet' "Enter on the pending row gave no hint"
screen | grep -q 'Propagation of example\.test\. MX' || fail "Enter on a pending row left the view"

# The slow reply arrives: its row fills in (RTT about 3 s), it joins the majority; the silent
# server is still out.
expect "^▶    127\.0\.53\.88 +answer +aa -- +[0-9]+ ms +2026112101 behind +[0-9]+ +1\* +$MX12\$" \
	"the slow server's row did not fill in" 6
rtt=$(screen | sed -n 's/^. *127\.0\.53\.88 *answer *aa -- *\([0-9]*\) ms.*/\1/p')
[ -n "$rtt" ] && [ "$rtt" -ge 2900 ] || fail "the slow server's RTT ($rtt ms) is not about 3 s"
screen | grep -E -q '^[▶ ]    127\.0\.53\.89 +pending… ' || fail "the silent server is no longer pending"
screen | grep -E -q "^ +group 1\* +majority +2 servers +$MX12\$" || fail "the slow server did not join NSD's group"

# The silent server times out: marked ! in the table and counted in the summary.
expect '^[▶ ]  ! 127\.0\.53\.89 +timeout +.* +no reply after 1 try$' \
	"the silent server's row did not time out" 6
expect 'compare example\.test\. MX  done: 3 outliers, 2 behind' "the comparison did not finish"
s=$(screen)
echo "$s" | grep -E -q '^ ! [0-9] of 5 servers differ: .*1 timed out' ||
	fail "the summary does not mention the timeout"
echo "$s" | grep -E -q '^ ! .*1 unreachable' || fail "the summary does not mention the unreachable server"
still_running

# 'r' asks everyone again: the slow row is pending again while the lab rows are back at once.
keys r
expect '^[▶ ]    127\.0\.53\.88 +pending… ' "'r' did not ask the slow server again"
expect "^[▶ ]  ! 127\.0\.53\.2 +answer " "Knot's row did not fill in again"
still_running
exit 0
