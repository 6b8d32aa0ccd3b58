#!/bin/sh
# bench/propagation.sh - one question asked of N loopback servers, timed:
# dnsdeck -C against a sequential dig loop and xargs -P dig, in one run, for
# N = 10, 100, 200 at a 100 ms reply delay, plus dnsdeck alone at N = 500
# (peak RSS against N = 100).  Starts tests/responder.py on 127.0.54.1 ...
# (127.0.0.0/8 only), builds bench/out/runner from bench/runner.c, then runs
# bench/propagation.py.
# Usage: bench/propagation.sh [--counts 10,100,200] [--big 500] [--delay-ms 100]
#                             [-n R] [--seq-n R] [-P J] [-o [FILE]] [--dnsdeck PATH]
# See bench/README.md.  Exit status: 0 every run answered correctly (whether
# or not the goal was met), 1 a run failed, 2 usage/setup error.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
name=propagation.sh
# shellcheck source=common.sh
. "$here/common.sh"
exec "$py" "$here/propagation.py" --runner "$runner" "$@"
