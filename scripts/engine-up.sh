#!/usr/bin/env bash
# Make a container engine reachable for baxbench.
#
# If DOCKER_HOST (or the default socket) already answers, nothing is done. Otherwise, on a Debian-like
# machine where we are root, Debian's docker.io is installed and a private dockerd is started on
# $BAXBENCH_ENGINE_DIR/docker.sock (default /var/lib/baxbench-engine). The script prints the line to
# export, e.g.:
#
#   eval "$(scripts/engine-up.sh)"
#
# Everything it says goes to stderr, except that export line.
set -euo pipefail

dir=${BAXBENCH_ENGINE_DIR:-/var/lib/baxbench-engine}
sock="$dir/docker.sock"

say() { printf 'engine-up: %s\n' "$*" >&2; }

ping() { # ping HOST: the Engine API answers _ping with OK
	local host=$1
	local path=${host#unix://}
	[ -S "$path" ] || return 1
	[ "$(curl -s --max-time 2 --unix-socket "$path" http://engine/_ping 2>/dev/null)" = OK ]
}

# debootstrap builds the offline Debian base image on machines that cannot pull from a registry.
ensure_debootstrap() {
	if ! command -v debootstrap >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing debootstrap (for the offline base image)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 ||
			{ apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2; }
	fi
}

# The host guard: baxbench names its bridges bxb*; a connection an app opens to any of the host's
# addresses enters the host through that bridge and is rejected (the harness's own connections to apps,
# and their answers, are not new connections from the bridge and pass).
ensure_host_guard() {
	[ "$(id -u)" = 0 ] || { say "not root: the host guard (no app connects to the host) is not installed"; return 0; }
	local t
	for t in iptables ip6tables; do
		command -v "$t" >/dev/null 2>&1 || continue
		"$t" -C INPUT -i 'bxb+' -m conntrack --ctstate NEW -j REJECT 2>/dev/null ||
			"$t" -I INPUT -i 'bxb+' -m conntrack --ctstate NEW -j REJECT 2>/dev/null ||
			say "could not install the host guard with $t"
	done
}

if [ -n "${DOCKER_HOST:-}" ] && ping "$DOCKER_HOST"; then
	ensure_debootstrap
	ensure_host_guard
	say "engine already reachable at $DOCKER_HOST"
	echo "export DOCKER_HOST=$DOCKER_HOST"
	exit 0
fi
if ping "unix://$sock"; then
	ensure_debootstrap
	ensure_host_guard
	say "engine already running at unix://$sock"
	echo "export DOCKER_HOST=unix://$sock"
	exit 0
fi
if [ -z "${DOCKER_HOST:-}" ] && ping unix:///var/run/docker.sock; then
	ensure_debootstrap
	ensure_host_guard
	say "engine already reachable at unix:///var/run/docker.sock"
	echo "export DOCKER_HOST=unix:///var/run/docker.sock"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	say "no container engine answers and we are not root: start Docker or Podman yourself and set DOCKER_HOST"
	exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 || { say "no dockerd and no apt-get: install a container engine"; exit 1; }
	say "installing Debian's docker.io"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates curl debootstrap >&2
fi
ensure_debootstrap
ensure_host_guard
command -v curl >/dev/null 2>&1 || { apt-get install -y -qq --no-install-recommends curl >&2; }

mkdir -p "$dir"
say "starting dockerd on unix://$sock (log: $dir/dockerd.log)"
# setsid: the daemon must outlive this script and its caller's process group.
setsid dockerd \
	--host "unix://$sock" \
	--data-root "$dir/data" \
	--exec-root "$dir/exec" \
	--pidfile "$dir/dockerd.pid" \
	>"$dir/dockerd.log" 2>&1 </dev/null &

for _ in $(seq 1 150); do
	if ping "unix://$sock"; then
		say "engine ready"
		echo "export DOCKER_HOST=unix://$sock"
		exit 0
	fi
	sleep 0.2
done
say "dockerd did not answer within 30 s; last log lines:"
tail -n 20 "$dir/dockerd.log" >&2 || true
exit 1
