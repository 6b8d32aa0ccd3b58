#!/bin/sh
# prompt.sh -- ':' opens the prompt; a new question replaces the view; a bad line shows its
# error in the status line and keeps the current lookup; Esc cancels.
. "$(dirname "$0")/common.inc"
need_lab

start_dnsdeck 120 40 @127.0.53.53 example.test MX
expect 'mx1\.example\.test\.' "the MX answer is not shown"

keys :
expect '^: ' "':' opened no prompt line"
keys 'ttl30.example.test A' Enter
expect '203\.0\.113\.30' "the new question's answer is not shown"
expect '^ ttl30\.example\.test\. +[0-9]+ +[0-9a-z]+ +IN +A +203\.0\.113\.30$' "the A row is not in columns"
wait_gone 'mx1\.example\.test\.' || fail "the old answer is still on screen"
screen | tail -n 1 | grep -E -q 'ttl30\.example\.test\. A @127\.0\.53\.53 +NOERROR' ||
	fail "the status line does not show the new question"

# Editing: Backspace removes what was typed, Enter asks what is left.
keys : 'example.test MXX' BSpace Enter
expect 'mx1\.example\.test\.' "Backspace editing did not give 'example.test MX'"

# A usage error is shown in the status line, and the current lookup stays.
keys : 'example.test +frobnicate' Enter
expect 'frobnicate' "the prompt error is not shown"
screen | grep -q 'mx1\.example\.test\.' || fail "the lookup was replaced by a bad line"
# The message goes away with the next key.
keys j
wait_gone 'frobnicate' || fail "the error message stays after a key"

# Esc cancels without asking.
keys : 'ttl30.example.test A'
expect '^: ttl30' "the typed text is not in the prompt"
keys Escape
wait_gone '^: ' || fail "Esc did not close the prompt"
screen | grep -q 'mx1\.example\.test\.' || fail "Esc asked the question anyway"
still_running
exit 0
