#!/bin/sh
# Container health probe: exits 0 when an HTTP GET on this container answers 200, else 1.
#   healthcheck [PORT [PATH]]      defaults: $PORT (else 3000) and /health (the simulator passes 8766 /)
#
# Docker runs it every 30 s for months on a Raspberry Pi Zero 2 W, where starting a second Node
# process costs about a second of CPU each time. So it takes the cheapest tool the base image has:
# bash's /dev/tcp (Debian images), else wget (busybox: Alpine), else node (anything else).
# Nothing is installed for it; any Node base image works.
port=${1:-${PORT:-3000}}
path=${2:-/health}
timeout=${HEALTHCHECK_TIMEOUT:-4}   # seconds; below the HEALTHCHECK --timeout so the probe reports, not Docker

if command -v bash >/dev/null 2>&1; then
  # A raw HTTP/1.0 request; the status line decides. `read -t` bounds a server that accepts and hangs.
  bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" "$2" >&3
    IFS= read -r -t "$3" status <&3 || exit 1
    case $status in "HTTP/1."?" 200"*) exit 0 ;; esac
    exit 1
  ' healthcheck "$port" "$path" "$timeout" 2>/dev/null && exit 0
  exit 1
fi

if command -v wget >/dev/null 2>&1; then
  # busybox wget tries once; GNU wget (no bash beside it is rare) retries a hung read until
  # Docker's HEALTHCHECK --timeout stops it, which still counts as a failure.
  wget -q -T "$timeout" -O /dev/null "http://127.0.0.1:${port}${path}" && exit 0
  exit 1
fi

node -e '
  const [port, path, seconds] = process.argv.slice(1);
  require("http").get({ host: "127.0.0.1", port, path, timeout: seconds * 1000 },
    (res) => process.exit(res.statusCode === 200 ? 0 : 1))
    .on("timeout", () => process.exit(1)).on("error", () => process.exit(1));
' "$port" "$path" "$timeout" && exit 0
exit 1
