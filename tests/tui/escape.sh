#!/bin/sh
# escape.sh -- bytes from the wire never reach the terminal raw: the TXT of
# escape.example.test (ESC [31m, BEL, DEL, UTF-8 e-acute, TAB) is shown as \DDD escapes.
# Were ESC [31m sent raw, tmux would take it as a colour and "[31m" would not be on screen.
. "$(dirname "$0")/common.inc"
need_lab

start_dnsdeck 120 40 @127.0.53.53 escape.example.test TXT
expect 'escape\.example\.test\. +[0-9]+ +[0-9a-z]+ +IN +TXT' "no TXT row"
screen | grep -F -q '"\027[31mred\007bell\127del\195\169t\009tab"' ||
	fail "the TXT rdata is not shown escaped"
# And no colour escaped into the rest of the screen: the capture with attributes shows no red
# foreground (SGR 31) anywhere after the rdata.
tm capture-pane -e -p -t "$SESS" | grep -F 'bell' | grep -F -q "$(printf '\033[31mred')" &&
	fail "a raw ESC [31m reached the terminal"
still_running
exit 0
