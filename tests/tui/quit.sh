#!/bin/sh
# quit.sh -- 'q' quits back to the shell with the terminal restored (canonical mode, echo,
# the screen the shell had before); Ctrl-C (SIGINT) and SIGTERM do the same.
. "$(dirname "$0")/common.inc"
need_lab

# restored TAG: the shell reads lines again, echoes what is typed, and its terminal is sane.
restored() {
	keys "echo $1-\$((1+1))" Enter
	expect "^$1-2\$" "$1: the shell did not come back (no echo output)"
	keys 'stty -a | tr " ;" "\n\n" | grep -x -E -e "-?icanon" -e "-?echo" | tr "\n" " "; echo' Enter
	expect '^(icanon echo|echo icanon) *$' "$1: the terminal is not in icanon/echo mode"
	screen | grep -q 'mx1\.example\.test\.' && fail "$1: dnsdeck's screen was not taken down"
	keys clear Enter
	wait_gone 'icanon' || fail "$1: clear did not clear"
}

run() {
	keys "$DNSDECK --resolv-conf $TMP/resolv.conf @127.0.53.53 example.test MX; echo rc=\$?" Enter
	expect 'mx1\.example\.test\.' "dnsdeck did not show the MX answer"
}

start_shell 100 30
keys 'echo before-dnsdeck' Enter
expect '^before-dnsdeck$' "the shell does not run commands"

run
keys q
expect '^rc=0$' "q did not quit with status 0"
screen | grep -q '^before-dnsdeck$' || fail "the shell's screen was not restored"
restored q

run
keys C-c
expect '^rc=0$' "Ctrl-C did not end dnsdeck cleanly"
restored sigint

keys "sh -c 'echo \$\$ >$TMP/pid; exec $DNSDECK --resolv-conf $TMP/resolv.conf @127.0.53.53 example.test MX'; echo rc=\$?" Enter
expect 'mx1\.example\.test\.' "dnsdeck did not show the MX answer"
kill -TERM "$(cat "$TMP/pid")"
expect '^rc=0$' "SIGTERM did not end dnsdeck cleanly"
restored sigterm
exit 0
