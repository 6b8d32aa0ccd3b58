#!/bin/sh
# term_signals.sh -- however dnsdeck ends, the shell gets its terminal back exactly as it was.
# quit.sh covers q, Ctrl-C and SIGTERM for icanon/echo; this compares the whole `stty -a`
# (every mode, control character and size) taken in the shell before dnsdeck started with the
# one taken after, for the signals the event loop handles (kill -INT, -TERM, -HUP: exit 0)
# and those it never sees, which src/ui/termguard.c handles and re-raises (kill -SEGV, -ABRT,
# -USR1 and Ctrl-\ typed on the terminal: the shell reports 128+N and its usual message).
# After each one the shell's own screen is back (dnsdeck left the alternate screen), the
# prompt is on the last line, and no raw control byte is on the screen.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/term.inc"
need_lab

# ends SIG RC: start dnsdeck from the shell, end it with SIG (KEY-QUIT: Ctrl-\ typed), expect
# exit status RC and the terminal as it was.
ends() {
	keys clear Enter
	wait_gone 'same-' || fail "$1: clear did not clear"
	keys "echo mark-$1; sh -c 'echo \$\$ >$TMP/pid; exec $DNSDECK --resolv-conf $TMP/resolv.conf @127.0.53.53 example.test MX'; echo rc-$1=\$?" Enter
	expect 'mx1\.example\.test\.' "$1: dnsdeck did not show the MX answer"
	wait_gone '^mark-' || fail "$1: dnsdeck is not on the alternate screen"
	no_raw "$1 (running)"
	if [ "$1" = KEY-QUIT ]; then
		keys "C-\\"
	else
		kill -"$1" "$(cat "$TMP/pid")"
	fi
	expect "^rc-$1=$2\$" "$1: dnsdeck did not end with status $2"
	s=$(screen)
	echo "$s" | grep -q "^mark-$1\$" || fail "$1: the shell's screen did not come back"
	echo "$s" | grep -q 'mx1\.example\.test\.' && fail "$1: dnsdeck's screen is still up"
	echo "$s" | grep -v '^ *$' | tail -n 1 | grep -q '^tui\$ *$' || fail "$1: no shell prompt"
	keys "stty -a >$TMP/stty.after; cmp -s $TMP/stty.before $TMP/stty.after && echo same-$1 || echo differ-$1" Enter
	wait_for "^(same|differ)-$1\$" || fail "$1: the shell does not read lines any more"
	screen | grep -q "^same-$1\$" ||
		fail "$1: stty -a differs: $(diff "$TMP/stty.before" "$TMP/stty.after" | tr '\n' ' ')"
	no_raw "$1 (after)"
}

start_shell 100 30
# No core files in the working directory from the fatal signals.
keys "ulimit -c 0; stty -a >$TMP/stty.before; echo before-dnsdeck" Enter
expect '^before-dnsdeck$' "the shell does not run commands"

ends INT 0
ends TERM 0
ends HUP 0
ends SEGV 139
ends ABRT 134
ends USR1 138
ends KEY-QUIT 131
exit 0
