#!/bin/sh
# bench/lookup.sh - one DNS query, timed: dnsdeck --text against dig, drill
# and kdig; median wall time and peak RSS, as ratios, measured in one run.
# Builds bench/out/runner from bench/runner.c, then runs bench/lookup.py.
# Usage: bench/lookup.sh [-n N] [-w W] [--server ADDR] [--query 'NAME TYPE']
#                        [-o [FILE]] [--tools LIST] [--dnsdeck PATH]
# See bench/README.md.  Exit status: 0 all tools answered correctly in every
# run (whether or not the goal was met), 1 a tool failed, 2 usage/setup error.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
name=lookup.sh
# shellcheck source=common.sh
. "$here/common.sh"
exec "$py" "$here/lookup.py" --runner "$runner" "$@"
