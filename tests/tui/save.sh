#!/bin/sh
# save.sh -- 'w' saves the session: the prompt opens prefilled with
# "dnsdeck-YYYYmmdd-HHMMSS.session", Esc cancels it (nothing is written), a path typed over it
# and Enter write the file and the status line says "saved N replies to FILE"; the file
# reopens offline with `dnsdeck --load FILE --text` and holds the MX answer shown on screen.
# A path in a directory that does not exist gives the error in the status line.
. "$(dirname "$0")/common.inc"
need_lab

# in a directory of ours, where the prefilled name would land
cd "$TMP" || fail "cannot cd to $TMP"
start_dnsdeck 120 30 @127.0.53.1 example.test MX
expect '^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1' "no MX answer"

# the prompt, prefilled; Esc cancels
keys w
expect '^save to: dnsdeck-[0-9]{8}-[0-9]{6}\.session *$' "'w' did not open a prefilled save prompt"
keys Escape
wait_gone '^save to:' || fail "Esc did not close the save prompt"
sleep 0.3
ls "$TMP"/dnsdeck-*.session >/dev/null 2>&1 && fail "Esc wrote a session file"

# a path of ours: saved, and said so
keys w C-u "$TMP/mx.session" Enter
expect "saved 1 reply to $TMP/mx\\.session" "no 'saved' message in the status line"
[ -s "$TMP/mx.session" ] || fail "no session file at $TMP/mx.session"
head -n 1 "$TMP/mx.session" | grep -q '^dnsdeck-session 1$' || fail "not a session file"

# a directory that is not there: the error, and the session goes on
keys w C-u "$TMP/no/such/dir/x.session" Enter
expect "cannot (write|create) .*no/such/dir/x\\.session: No such file" \
	"no error for an unwritable path"
still_running
keys q
expect 'dnsdeck-exited rc=0' "q did not quit cleanly"

# the file reopens offline and holds the answer that was on screen
out=$("$DNSDECK" --load "$TMP/mx.session" --text) || fail "--load failed: $out"
printf '%s\n' "$out" | grep -E -q '^example\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+MX[[:space:]]+10 mx1\.example\.test\.$' ||
	fail "the saved session has no MX 10 mx1: $out"
printf '%s\n' "$out" | grep -E -q '^example\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+MX[[:space:]]+20 mx2\.example\.test\.$' ||
	fail "the saved session has no MX 20 mx2: $out"
printf '%s\n' "$out" | grep -q 'status: NOERROR' || fail "the saved reply is not NOERROR: $out"
exit 0
