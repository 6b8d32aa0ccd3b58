# lib.sh - shared by start.sh and stop.sh (sourced, not run).
# shellcheck shell=bash

# Lab servers: nsd, knot, bind, unbound (see lab_comm and lab_addr); root, tld
# and partly-lame are views of bind on addresses of their own (lab_proc).
# shellcheck disable=SC2034 # used by start.sh and stop.sh
LAB_STATE_FILE=${DNSDECK_LAB_STATE:-/tmp/dnsdeck-lab.state}
LAB_MARKER=.dnsdeck-lab-state

lab_comm() {
	case $1 in
	nsd) echo nsd ;;
	knot) echo knotd ;;
	bind) echo named ;;
	unbound) echo unbound ;;
	esac
}

lab_addr() {
	case $1 in
	nsd) echo 127.0.53.1 ;;
	knot) echo 127.0.53.2 ;;
	bind) echo 127.0.53.3 ;;
	unbound) echo 127.0.53.53 ;;
	root) echo 127.0.53.100 ;;
	tld) echo 127.0.53.101 ;;
	partly-lame) echo 127.0.53.102 ;;
	esac
}

# lab_zone NAME: the zone start.sh asks NAME's SOA of to see it is up.
lab_zone() {
	case $1 in
	root) echo . ;;
	tld) echo test ;;
	partly-lame) echo partly-lame.test ;;
	*) echo example.test ;;
	esac
}

# lab_proc NAME: the server process behind NAME (views belong to bind).
lab_proc() {
	case $1 in
	root | tld | partly-lame) echo bind ;;
	*) echo "$1" ;;
	esac
}

lab_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# lab_pid_ok NAME PID DIR: true if PID is alive and is the NAME server that
# was started with its configuration in state dir DIR (guards against pid
# reuse: we only ever signal processes whose command line names our dir).
lab_pid_ok() {
	local comm cmdline
	case $2 in '' | *[!0-9]*) return 1 ;; esac
	comm=$(cat "/proc/$2/comm" 2>/dev/null) || return 1
	# NSD renames its processes "nsd: xfrd" (the one we started), "nsd: main"...
	case $comm in "$(lab_comm "$1")" | "$(lab_comm "$1"): "*) ;; *) return 1 ;; esac
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$2/cmdline") || return 1
	case $cmdline in *"$3/"*) return 0 ;; esac
	return 1
}

# lab_dir_ok DIR: true if DIR is a lab state dir made by start.sh.
lab_dir_ok() {
	case $1 in /*) ;; *) return 1 ;; esac
	[ -d "$1" ] && [ -f "$1/$LAB_MARKER" ]
}

# lab_running DIR: true if every server recorded in DIR/pids is alive (and DIR
# is from a start.sh that knew the private root: an older lab counts as stale).
lab_running() {
	local name pid n=0
	lab_dir_ok "$1" && [ -f "$1/pids" ] && [ -f "$1/zones/root.zone" ] || return 1
	while read -r name pid; do
		lab_pid_ok "$name" "$pid" "$1" || return 1
		n=$((n + 1))
	done <"$1/pids"
	[ "$n" -eq 4 ]
}

# lab_stop_dir DIR: TERM the recorded servers, wait for them (and for any
# child process of theirs still running from DIR) to exit, KILL what is left
# after ~10 s, then remove DIR.
lab_stop_dir() {
	local dir=$1 name pid pids="" i p comm cmdline left
	lab_dir_ok "$dir" || return 0
	if [ -f "$dir/pids" ]; then
		while read -r name pid; do
			if lab_pid_ok "$name" "$pid" "$dir"; then
				kill -TERM "$pid" 2>/dev/null || true
				pids="$pids $name:$pid"
			fi
		done <"$dir/pids"
	fi
	for i in $(seq 100); do
		left=""
		for p in $pids; do
			lab_pid_ok "${p%%:*}" "${p#*:}" "$dir" && left="$left $p"
		done
		pids=$left
		[ -z "$pids" ] && break
		[ "$i" -eq 100 ] && break
		sleep 0.1
	done
	for p in $pids; do
		lab_log "${p%%:*} (pid ${p#*:}) ignored SIGTERM, sending SIGKILL"
		kill -KILL "${p#*:}" 2>/dev/null || true
	done
	# Children (NSD's xfrd and server processes) normally exit with their
	# parent; wait for them, and kill stragglers that run our servers'
	# executables from this very state dir.
	for i in $(seq 50); do
		left=""
		for p in /proc/[0-9]*; do
			comm=$(cat "$p/comm" 2>/dev/null) || continue
			case $comm in nsd | "nsd: "* | knotd | named | unbound) ;; *) continue ;; esac
			cmdline=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
			case $cmdline in *"$dir/"*) left="$left ${p#/proc/}" ;; esac
		done
		[ -z "$left" ] && break
		if [ "$i" -eq 50 ]; then
			lab_log "killing leftover lab processes:$left"
			# shellcheck disable=SC2086
			kill -KILL $left 2>/dev/null || true
		fi
		sleep 0.1
	done
	# The servers were started by a start.sh that has exited, so init
	# reaps them; wait (briefly) until their zombies are gone from ps.
	for i in $(seq 30); do
		[ -f "$dir/pids" ] || break
		left=""
		while read -r name pid; do
			[ -e "/proc/$pid" ] && left=1
		done <"$dir/pids"
		[ -z "$left" ] && break
		sleep 0.1
	done
	# Loopback addresses start.sh added (for BIND).
	if [ -f "$dir/lo-addrs" ]; then
		while read -r p; do
			ip addr del "$p" dev lo 2>/dev/null || true
		done <"$dir/lo-addrs"
	fi
	rm -rf -- "$dir"
}
