#!/bin/sh
# term_locale.sh -- the TXT of escape.example.test ("\027[31mred\007bell\127del\195\169t\009tab":
# ESC [31m, BEL, DEL, UTF-8 e-acute, TAB) under LANG=C, LC_ALL=C and LC_ALL=C.UTF-8, checked on
# the screen and in the raw byte stream dnsdeck wrote to the terminal (tmux pipe-pane,
# attached before dnsdeck starts). escape.sh checks the screen in C.UTF-8 only; here:
# - the screen shows the rdata as the text \027[31m... and holds no raw control byte;
# - under C the screen is pure ASCII (the cursor glyph is '>'), under C.UTF-8 it is the
#   UTF-8 glyph, so the locale really changed what was drawn;
# - the byte stream holds the escaped text as written, no BEL and no DEL byte at all, none of
#   the network's control bytes next to its text (ESC "[31mred", TAB "tab", the raw e-acute
#   "\303\251t"), and under C no byte >= 0x80 at all.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/term.inc"
need_lab

TXT='"\027[31mred\007bell\127del\195\169t\009tab"'

# run N ENV...: dnsdeck under `env ENV...` in a 120x30 pane, its output recorded in $TMP/raw.N
# from the first byte; returns once it has quit with 'q' and its last byte was recorded.
run() {
	_r=$1 _old=$SESS
	shift
	SESS=loc$_r
	rm -f "$TMP/go"
	tm new-session -d -s "$SESS" -x 120 -y 30 \
		"while [ ! -e $TMP/go ]; do sleep 0.05; done; env $* $DNSDECK --resolv-conf $TMP/resolv.conf @127.0.53.53 escape.example.test TXT; echo dnsdeck-exited rc=\$?; read _" ||
		fail "cannot start tmux"
	tm pipe-pane -t "$SESS" "cat >>$TMP/raw.$_r" || fail "cannot record the pane"
	tm kill-session -t "=$_old" 2>/dev/null
	touch "$TMP/go"
	expect 'escape\.example\.test\. +[0-9]+ +[0-9a-z]+ +IN +TXT' "$*: no TXT row"
	screen | grep -F -q "$TXT" || fail "$*: the TXT rdata is not shown escaped"
	no_raw "$*"
	case $* in
	*UTF-8*)
		screen | grep -q '^▶' || fail "$*: no UTF-8 cursor glyph" ;;
	*)
		screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "$*: non-ASCII on the screen"
		screen | grep -q '^>' || fail "$*: no ASCII cursor glyph" ;;
	esac
	keys q
	expect '^dnsdeck-exited rc=0$' "$*: q did not quit with status 0"
	_t=50
	until grep -a -q 'dnsdeck-exited' "$TMP/raw.$_r" 2>/dev/null; do
		_t=$((_t - 1))
		[ "$_t" -gt 0 ] || fail "$*: pipe-pane recorded nothing"
		sleep 0.1
	done
}

# stream N WHAT: check the recorded bytes of run N.
stream() {
	_f=$TMP/raw.$1
	grep -a -F -q "$TXT" "$_f" || fail "$2: the escaped rdata is not in the byte stream"
	for b in '\007' '\177'; do
		[ "$(tr -c -d "$b" <"$_f" | wc -c)" -eq 0 ] || fail "$2: a raw $b byte reached the terminal"
	done
	for s in '\033[31mred' '\ttab' '\303\251t'; do
		# shellcheck disable=SC2059 # each pattern is a printf format of octal escapes
		LC_ALL=C grep -a -F -q "$(printf "$s")" "$_f" &&
			fail "$2: the network's bytes $s reached the terminal raw"
	done
	return 0
}

run 1 -u LC_ALL -u LC_CTYPE LANG=C
stream 1 LANG=C
LC_ALL=C grep -a -q "$(printf '[\200-\377]')" "$TMP/raw.1" && fail "LANG=C: a byte >= 0x80 was written"
run 2 LC_ALL=C
stream 2 LC_ALL=C
LC_ALL=C grep -a -q "$(printf '[\200-\377]')" "$TMP/raw.2" && fail "LC_ALL=C: a byte >= 0x80 was written"
run 3 LC_ALL=C.UTF-8
stream 3 LC_ALL=C.UTF-8
exit 0
