#!/bin/bash
# stop.sh - stop the dnsdeck lab started by start.sh.
# Signals only the pids start.sh recorded (each checked to still be that
# server running from the lab's state dir), waits for them to exit, then
# removes the state dir and ${DNSDECK_LAB_STATE:-/tmp/dnsdeck-lab.state}.
# Idempotent: with no lab running it just says so and exits 0.
set -eu

LAB_SRC=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$LAB_SRC/lib.sh"

exec 9>>"$LAB_STATE_FILE.lock"
flock -w 30 9 || {
	lab_log "cannot lock $LAB_STATE_FILE.lock"
	exit 1
}

if [ ! -f "$LAB_STATE_FILE" ]; then
	lab_log "no lab running ($LAB_STATE_FILE does not exist)"
	exit 0
fi
dir=$(cat "$LAB_STATE_FILE")
if lab_dir_ok "$dir"; then
	lab_stop_dir "$dir"
	lab_log "lab stopped, removed $dir"
else
	lab_log "recorded state dir '$dir' is gone or not a lab dir; nothing to stop"
fi
rm -f -- "$LAB_STATE_FILE"
