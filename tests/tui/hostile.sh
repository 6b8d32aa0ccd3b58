#!/bin/sh
# hostile.sh -- hostile servers (tests/hostile.py, 127.0.56.0/24) in the full-screen views.
# Six of them as tabs: the right reply after a wrong ID (discarded 1), a compression-pointer
# loop named as a malformed reply, silence, names and EDNS text full of ESC/CSI/OSC, C1 bytes
# and invalid UTF-8, a TCP reply stalled after its 65535 length prefix, QR=0 replies; then the
# comparison (-C) of NSD with hostile servers; then q from a shell. Every screen shows the
# hostile bytes as \DDD and holds no raw control byte, C1 character or U+FFFD; the pane title
# (OSC 0) and tmux's paste buffers (OSC 52) stay untouched; q leaves a sane terminal.
. "$(dirname "$0")/common.inc"
need_lab
# the patterns below hold the view's glyphs (▶ ✗ →): match characters, not bytes
LC_ALL=C.UTF-8
export LC_ALL

PY=/usr/bin/python3
$PY -c 'import dns.message' 2>/dev/null || fail "no /usr/bin/python3 with dnspython (python3-dnspython)"
: >"$TMP/hostile"
$PY "$TUI_DIR/../hostile.py" >"$TMP/hostile" 2>&1 &
hostile=$!
trap 'kill $hostile 2>/dev/null; wait $hostile 2>/dev/null; cleanup' EXIT
trap 'exit 2' INT TERM HUP PIPE # a reader that went away must not leave the responder running
n=0
until grep -q '^ready$' "$TMP/hostile"; do
	n=$((n + 1))
	[ "$n" -lt 100 ] || fail "hostile.py did not start: $(cat "$TMP/hostile")"
	sleep 0.1
done
# pin SCENARIO: the address where hostile.py plays that scenario for every name
pin() {
	awk -v s="$1" '$1 == "pin" && $3 == s { print $2 }' "$TMP/hostile"
}
WRONGID=$(pin wrongid) PTRLOOP=$(pin ptrloop) SILENT=$(pin silent) ESCAPE=$(pin escape)
STALL=$(pin tcp65535) QR0=$(pin qr0) QR0GOOD=$(pin qr0-good)
re() { # an address as a regular expression
	echo "$1" | sed 's/\./\\./g'
}

# clean_screen WHAT: nothing raw reached the terminal. tmux interprets what it is sent, so a
# raw byte shows as its effect: a C0 control in the capture, a C1 character (U+0080-U+009F) or
# U+FFFD for invalid UTF-8, a pane title set by OSC 0, a paste buffer set by OSC 52, a red
# foreground (SGR 31) from ESC [31m.
clean_screen() {
	tm capture-pane -p -t "$SESS" >"$TMP/cap" || fail "$1: no capture"
	python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in data if b < 0x20 and b != 0x0A or b == 0x7F]
text = data.decode("utf-8")  # raises on invalid UTF-8
bad += [c for c in text if 0x80 <= ord(c) <= 0x9F or c == "\ufffd"]
sys.exit("raw bytes on screen: %r" % bad[:10] if bad else 0)
' "$TMP/cap" || fail "$1: the screen holds raw bytes"
	tm display -p -t "$SESS" '#{pane_title}' | grep -E -q 'owned|title' &&
		fail "$1: OSC 0 changed the pane title"
	[ -z "$(tm list-buffers 2>/dev/null)" ] || fail "$1: OSC 52 set a paste buffer"
	tm capture-pane -e -p -t "$SESS" | grep -F -q "$(printf '\033[31mred')" &&
		fail "$1: a raw ESC [31m reached the terminal"
	return 0
}

# --- six hostile servers as tabs -----------------------------------------------------------
start_dnsdeck 140 40 "@$WRONGID" "@$PTRLOOP" "@$SILENT" "@$ESCAPE" "@$STALL" "@$QR0" \
	example.test MX +time=1 +tries=2
# tries x time = 2 s, and a little slack
expect '\[1/6, 6 done\]' "not every server ended within 3 s" 3
s=$(screen)
printf "%s\n" "$s" | head -n 1 | grep -E -q "^.1 $(re "$WRONGID") NOERROR [0-9]+ ms +2 $(re "$PTRLOOP") malformed reply" ||
	fail "the tab row does not give each server its status"
# the right reply won over the forged one (wrong ID, A 203.0.113.66) and it says so
printf "%s\n" "$s" | grep -q '20 mx2\.example\.test\.' || fail "the right reply is not shown"
printf "%s\n" "$s" | grep -q '203\.0\.113\.66' && fail "forged data on screen"
printf "%s\n" "$s" | grep -q ' 1 datagram discarded' || fail "no discarded banner"
printf "%s\n" "$s" | grep -E -q "^ server +$(re "$WRONGID")#53 +udp .*tries 1  discarded 1 " ||
	fail "the server line does not count the discarded datagram"
clean_screen "wrongid"

keys 2
expect '✗ malformed reply: answer RR 1 of 1: bad compression pointer \(a loop, or outside the message\)' \
	"the pointer loop is not named"
screen | grep -E -q "^ server +$(re "$PTRLOOP")#53 +udp +tries 1  discarded 1" ||
	fail "the malformed reply is not counted as discarded, or was retried"
keys 3
expect '✗ timed out$' "the silent server is not shown as timed out"
screen | grep -E -q "^ server +$(re "$SILENT")#53 +udp +tries 2  discarded 0" ||
	fail "the silent server does not show 2 tries"
keys 4
expect '10 \\027\[2J\\027\[H\.example\.test\.$' "the ESC [2J exchange is not shown escaped"
s=$(screen)
for want in '20 \027]0\;owned\007.example.test.' '30 \15531m\133\141.example.test.' \
	'40 \255\254\195\(\192\175.example.test.' '60 \000\008\127\027\\.example.test.' \
	'EDE  0 (Other Error): \027[31mred\027]0;title\007\194\1552J'; do
	printf "%s\n" "$s" | grep -F -q -- "$want" || fail "not shown escaped: $want"
done
clean_screen "escape"
keys 5
expect '✗ timed out over TCP after a truncated UDP reply; 12 of 65537 bytes of the reply arrived' \
	"the stalled TCP reply is not described"
screen | grep -E -q "^ server +$(re "$STALL")#53 +tcp +TC→TCP +tries 3" ||
	fail "the stalled server does not show TC→TCP and 3 tries"
keys 6
expect '✗ timed out; 2 replies discarded \(the last: not a response \(QR=0\)\)' \
	"the QR=0 replies are not described"
screen | tail -n 1 | grep -q ' timed out; 2 replies discarded' ||
	fail "the status line does not give the sixth server's status"
clean_screen "all tabs"
still_running

# --- the comparison: NSD beside hostile servers ----------------------------------------------
start_dnsdeck 140 40 -C @127.0.53.1 "@$WRONGID" "@$PTRLOOP" "@$SILENT" "@$ESCAPE" "@$STALL" \
	"@$QR0GOOD" example.test MX +time=1 +tries=2
expect 'compare example\.test\. MX  done: ' "the comparison did not end within 3 s" 3
s=$(screen)
# the right replies join NSD's group (1*), each with its discarded datagram counted
for a in "$WRONGID" "$QR0GOOD"; do
	printf "%s\n" "$s" | grep -E -q "^[▶ ]    $(re "$a") +answer +aa -- .* 2026112101 newest +[0-9]+ +1\* +1\$" ||
		fail "$a: the right reply is not in NSD's group with 1 discarded"
done
printf "%s\n" "$s" | grep -E -q "^   ! $(re "$PTRLOOP") +error " || fail "the pointer loop row is not an error"
printf "%s\n" "$s" | grep -E -q '^       malformed reply$' || fail "the error row does not say malformed reply"
printf "%s\n" "$s" | grep -E -q "^   ! $(re "$SILENT") +timeout " || fail "the silent row is not a timeout"
printf "%s\n" "$s" | grep -E -q "^   ! $(re "$STALL") +timeout " || fail "the stalled TCP row is not a timeout"
printf "%s\n" "$s" | grep -E -q "^   ! $(re "$ESCAPE") +answer .* 2 *\$" || fail "the escape row has no group of its own"
printf "%s\n" "$s" | grep -F -q '10 \027[2J\027[H.example.test., 20 \027]0\;owned\007.example.test.' ||
	fail "the escape row's answer is not shown escaped"
printf "%s\n" "$s" | grep -q '4 of 7 servers differ' || fail "the summary does not count the outliers"
clean_screen "comparison"
still_running

# --- q from a shell: the terminal comes back sane, whatever the servers sent ----------------
old=$SESS
SESS=shell
start_shell 100 30
tm kill-session -t "=$old" # after: the last session going would end the tmux server
keys "$DNSDECK --resolv-conf $TMP/resolv.conf @$ESCAPE @$PTRLOOP example.test MX +time=1 +tries=2; echo rc=\$?" Enter
expect '10 \\027\[2J\\027\[H\.example\.test\.$' "dnsdeck did not show the escape server's reply"
expect '\[1/2, 2 done\]' "the pointer loop did not end within 3 s" 3
clean_screen "before q"
keys q
expect '^rc=0$' "q did not quit with status 0"
keys "echo back-\$((1+1))" Enter
expect '^back-2$' "the shell did not come back (no echo output)"
keys 'stty -a | tr " ;" "\n\n" | grep -x -E -e "-?icanon" -e "-?echo" | tr "\n" " "; echo' Enter
expect '^(icanon echo|echo icanon) *$' "the terminal is not in icanon/echo mode after q"
screen | grep -F -q '\027[2J' && fail "dnsdeck's screen was not taken down"
clean_screen "after q"
exit 0
