#!/bin/sh
# install-deps.sh: install every Debian package dnsdeck needs to build, test and run its lab.
# Idempotent and non-interactive. Package services are never started by the install: the lab
# starts its own servers on loopback addresses, and a stock named or unbound would otherwise
# start and try to reach the root servers.
set -eu

PKGS="build-essential autoconf pkg-config
libldns-dev libevent-dev libjansson-dev libncurses-dev check libsubunit-dev
clang libclang-rt-14-dev
nsd knot bind9 unbound dns-root-data
bind9-dnsutils ldnsutils knot-dnsutils
tmux python3 python3-dnspython time iproute2 procps valgrind"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# Forbid service starts during the install (policy-rc.d, exit 101 = action forbidden).
policy=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
	$SUDO chmod 755 "$policy"
	created_policy=1
fi
cleanup() { [ -n "$created_policy" ] && $SUDO rm -f "$policy"; }
trap cleanup EXIT

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
