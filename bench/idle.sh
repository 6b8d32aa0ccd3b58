#!/bin/sh
# bench/idle.sh - idle cost of the full-screen view (50 TTL countdowns, nothing arriving)
# against `watch -n1 dig`, over 30 s, from /proc: CPU and wake-ups, and their ratio.
# Needs the lab (contrib/lab/start.sh), tmux, watch (procps), dig and /usr/bin/time.
# Usage: bench/idle.sh [--window S] [--settle S] [--dnsdeck PATH]   (see bench/README.md)
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
exec "${PYTHON:-python3}" "$here/idle.py" "$@"
