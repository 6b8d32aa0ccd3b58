#!/bin/bash
# start.sh - start the dnsdeck offline DNS lab on loopback (see README.md).
#
#   127.0.53.1  NSD      example.test. old copy  (serial 2026112101)
#   127.0.53.2  Knot     example.test. new copy  (serial 2026112102, MX changed)
#   127.0.53.3  BIND     example.test. old copy  (serial 2026112101)
#   127.0.53.53 Unbound  caching resolver for example.test. only (stub: BIND)
#   127.0.53.100 BIND view "root": the lab's private root zone "."
#   127.0.53.101 BIND view "tld": test. (delegates example.test., partly-lame.test.)
#   127.0.53.102 BIND view "partly-lame": the one working server of partly-lame.test.
#
# Everything (configs, zones, pids, logs, control sockets) lives in a fresh
# mktemp -d state dir, whose path is printed on stdout and recorded in
# ${DNSDECK_LAB_STATE:-/tmp/dnsdeck-lab.state}. Messages go to stderr.
# Idempotent: if the recorded lab is alive, says so and exits 0.
# Exit status: 0 = lab up, 1 = a server failed (its log tail is shown and
# everything already started is stopped again).
set -eu

LAB_SRC=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$LAB_SRC/lib.sh"

TIMEOUT=10 # seconds for all servers to answer
OLD_SERIAL=2026112101 # also the serial of root.zone, test.zone and partly-lame.test.zone
NEW_SERIAL=2026112102

now() { date +%s%N; }
T0=$(now)
elapsed() { local t; t=$(now); printf '%d.%02d' $(((t - T0) / 1000000000)) $(((t - T0) / 10000000 % 100)); }

# Serialise start.sh/stop.sh runs (the lock fd is closed for the servers).
exec 9>>"$LAB_STATE_FILE.lock"
flock -w 30 9 || {
	lab_log "cannot lock $LAB_STATE_FILE.lock"
	exit 1
}

if [ -f "$LAB_STATE_FILE" ]; then
	old=$(cat "$LAB_STATE_FILE")
	if lab_running "$old"; then
		lab_log "lab already running, state dir $old"
		echo "$old"
		exit 0
	fi
	lab_log "stale lab state ($old): cleaning up"
	lab_stop_dir "$old"
	rm -f -- "$LAB_STATE_FILE"
fi

for cmd in nsd knotd knotc named tsig-keygen unbound unbound-control dig setsid ip ss; do
	command -v "$cmd" >/dev/null || {
		lab_log "missing command: $cmd (run contrib/install-deps.sh)"
		exit 1
	}
done

# Refuse to start over someone else's listener (e.g. a lab started with a
# different DNSDECK_LAB_STATE): the servers would fail to bind anyway.
busy=$(ss -Hlnu 2>/dev/null | awk '{print $4}' | grep -E '^127\.0\.53\.(1|2|3|4|53|100|101|102):53$' || true)
if [ -n "$busy" ]; then
	lab_log "lab addresses already in use: $(echo "$busy" | tr '\n' ' ')"
	exit 1
fi

STATE=$(mktemp -d "${TMPDIR:-/tmp}/dnsdeck-lab.XXXXXX")
case $STATE in
*[!A-Za-z0-9._/-]*)
	lab_log "state dir path has odd characters: $STATE"
	rmdir -- "$STATE"
	exit 1
	;;
esac
if [ ${#STATE} -gt 70 ]; then # unix socket paths must stay < 108 bytes
	lab_log "state dir path too long for control sockets: $STATE"
	rmdir -- "$STATE"
	exit 1
fi
touch "$STATE/$LAB_MARKER"
echo "$STATE" >"$LAB_STATE_FILE"

# BIND only listens on addresses configured on an interface, and lo has just
# 127.0.0.1/8 (NSD, Knot and Unbound bind any 127/8 address directly). Add
# 127.0.53.3/32 (BIND's copy of the zone), 127.0.53.4/32 (BIND's "refusing"
# view, which serves no zone and answers REFUSED) and 127.0.53.100-102/32 (the
# views "root", "tld" and "partly-lame") to lo while the lab runs; stop.sh
# removes them again.
for addr in 127.0.53.3 127.0.53.4 127.0.53.100 127.0.53.101 127.0.53.102; do
	if ! ip -4 -o addr show dev lo | grep -q " ${addr//./\\.}/"; then
		if ! ip addr add "$addr/32" dev lo; then
			lab_log "cannot add $addr/32 to lo (needs root/CAP_NET_ADMIN)"
			lab_stop_dir "$STATE"
			rm -rf -- "$STATE" "$LAB_STATE_FILE"
			exit 1
		fi
		echo "$addr/32" >>"$STATE/lo-addrs"
	fi
done

started=""
ok=""
cleanup() {
	[ -n "$ok" ] && return 0
	lab_log "start failed after $(elapsed) s: stopping what was started"
	lab_stop_dir "$STATE"
	rm -f -- "$LAB_STATE_FILE"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() { # fail NAME REASON: report, show the server's logs, exit 1
	local f p
	p=$(lab_proc "$1")
	lab_log "$1 ($(lab_addr "$1")) failed: $2"
	for f in "$STATE/$p.log" "$STATE/$p.out"; do
		[ -s "$f" ] || continue
		echo "---- tail of $f" >&2
		tail -n 20 "$f" >&2
	done
	exit 1
}

# --- configuration and zones -------------------------------------------------
mkdir -p "$STATE/zones" "$STATE/nsd" "$STATE/knot" "$STATE/bind" "$STATE/unbound"
for f in nsd.conf knot.conf named.conf unbound.conf; do
	sed "s#@STATE@#$STATE#g" "$LAB_SRC/$f.in" >"$STATE/$f"
done
cp "$LAB_SRC/root.hints" "$STATE/unbound/root.hints"
cp "$LAB_SRC/example.test.zone" "$STATE/zones/example.test.zone"
for f in root.zone test.zone partly-lame.test.zone lab-root.hints; do
	cp "$LAB_SRC/$f" "$STATE/zones/$f"
done
sed -f "$LAB_SRC/knot-variant.sed" "$LAB_SRC/example.test.zone" >"$STATE/zones/example.test.knot.zone"
# The variant must differ exactly as documented, or the demo is meaningless.
knot_zone=$STATE/zones/example.test.knot.zone
if ! grep -q "^ *$NEW_SERIAL " "$knot_zone" ||
	! grep -Eq '^@ +MX +30 mx3\.example\.test\.' "$knot_zone" ||
	grep -Eq '^@ +MX +20 mx2\.example\.test\.' "$knot_zone"; then
	fail knot "knot-variant.sed did not produce the expected variant"
fi

tsig-keygen -a hmac-sha256 lab-rndc >"$STATE/bind/rndc.key" 2>/dev/null
cat >"$STATE/bind/rndc.conf" <<EOF
include "$STATE/bind/rndc.key";
options {
	default-key "lab-rndc";
	default-server 127.0.53.3;
	default-port 953;
	default-source-address 127.0.53.3;
};
EOF

# --- start the servers (foreground mode, each in its own session) ------------
spawn() { # spawn NAME COMMAND...: start in the background, record the pid
	local name=$1
	shift
	(
		# Close every inherited fd above 2 (our lock, a caller's pipes...):
		# a server holding a caller's pipe open would make it hang.
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done
		# setsid: own session, so a terminal's or a test runner's signals
		# to its process group do not reach the lab. It execs in place (we
		# are not a process group leader), so the pid stays the same.
		exec setsid "$@" </dev/null >"$STATE/$name.out" 2>&1
	) &
	echo "$name $!" >>"$STATE/pids"
	started="$started $name"
}
spawn nsd nsd -d -c "$STATE/nsd.conf"
spawn knot knotd -c "$STATE/knot.conf"
spawn bind named -f -4 -n 1 -c "$STATE/named.conf"
spawn unbound unbound -d -c "$STATE/unbound.conf"

pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$STATE/pids"; }

# serial_of ADDR ZONE [DIG OPTIONS]: the SOA serial ADDR answers for ZONE.
serial_of() {
	local addr=$1 zone=$2
	shift 2
	dig "@$addr" "$zone" SOA +time=1 +tries=1 +short "$@" 2>/dev/null |
		awk '!/^;/ && NF == 7 && $3 ~ /^[0-9]+$/ { print $3 }'
}

# --- wait until every server answers -----------------------------------------
pending="nsd knot bind root tld partly-lame"
unbound_ok=""
deadline=$((T0 + TIMEOUT * 1000000000))
while :; do
	for name in $started; do
		lab_pid_ok "$name" "$(pid_of "$name")" "$STATE" || fail "$name" "process exited"
	done
	left=""
	for name in $pending; do
		want=$OLD_SERIAL
		[ "$name" = knot ] && want=$NEW_SERIAL
		got=$(serial_of "$(lab_addr "$name")" "$(lab_zone "$name")" +norec)
		if [ "$got" != "$want" ]; then
			left="$left $name"
			[ -n "$got" ] && fail "$name" "serves serial $got, expected $want"
		fi
	done
	pending=$left
	# Only ask Unbound once BIND answers, so it never caches a failure.
	if [ -z "$pending" ] && [ -z "$unbound_ok" ]; then
		got=$(serial_of 127.0.53.53 example.test)
		if [ "$got" = "$OLD_SERIAL" ]; then
			unbound_ok=1
		elif [ -n "$got" ]; then
			fail unbound "resolves serial $got, expected $OLD_SERIAL"
		fi
	fi
	[ -z "$pending" ] && [ -n "$unbound_ok" ] && break
	if [ "$(now)" -ge "$deadline" ]; then
		[ -n "$pending" ] || pending=unbound
		for name in $pending; do
			lab_log "$name ($(lab_addr "$name")) does not answer after ${TIMEOUT} s"
		done
		for name in $pending; do fail "$name" "not answering"; done
	fi
	sleep 0.05
done

# Empty Unbound's cache of the readiness probe: tests start from a cold cache.
unbound-control -c "$STATE/unbound.conf" flush_zone example.test. >/dev/null ||
	fail unbound "unbound-control flush_zone failed"

# --- record how to reach everything ------------------------------------------
echo "$STATE/knot/knot.sock" >"$STATE/knot.socket"
cat >"$STATE/env" <<EOF
# sourceable: . $STATE/env
DNSDECK_LAB_DIR=$STATE
DNSDECK_LAB_NSD=127.0.53.1
DNSDECK_LAB_KNOT=127.0.53.2
DNSDECK_LAB_BIND=127.0.53.3
DNSDECK_LAB_UNBOUND=127.0.53.53
DNSDECK_LAB_DEAD=127.0.53.99
DNSDECK_LAB_ROOT=127.0.53.100
DNSDECK_LAB_TLD=127.0.53.101
DNSDECK_LAB_PARTLY_LAME=127.0.53.102
DNSDECK_LAB_ROOT_HINTS=$STATE/zones/lab-root.hints
DNSDECK_LAB_KNOT_SOCKET=$STATE/knot/knot.sock
DNSDECK_LAB_NSD_CONF=$STATE/nsd.conf
DNSDECK_LAB_UNBOUND_CONF=$STATE/unbound.conf
DNSDECK_LAB_RNDC_CONF=$STATE/bind/rndc.conf
EOF

ok=1
lab_log "lab up in $(elapsed) s: NSD 127.0.53.1, Knot 127.0.53.2, BIND 127.0.53.3, Unbound 127.0.53.53, root 127.0.53.100, test. 127.0.53.101"
lab_log "state dir $STATE (recorded in $LAB_STATE_FILE)"
echo "$STATE"
