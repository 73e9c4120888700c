#!/usr/bin/env bash
# Container tests (`npm run test:container`): the real image and the real Compose stack on a real
# Docker engine. Needs docker with compose v2 + buildx (.ci/container.sh shows how CI sets them up
# and builds the local bases; docs/deployment-design.md §6), curl and node on the host; installs nothing.
#
#   NODE_IMAGE=local/node:24-bookworm NODE_IMAGE_ARM64=local/node:24-bookworm-arm64 npm run test:container
#
#   NODE_IMAGE        amd64 Node base (default local/node:24-bookworm when present, else the Dockerfile's)
#   NODE_IMAGE_ARM64  arm64 Node base (default local/node:24-bookworm-arm64)
#   ARCHES            "amd64 arm64" (default) or "amd64": which images to build and boot
#   NPM_CA            CA bundle passed as the npm_ca build secret (default /etc/ssl/certs/ca-certificates.crt if present)
#
# Every project, container, image tag and host port is unique to the run and removed at exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

# ------------------------------------------------------------------ helpers
t_start=$(date +%s%3N)
ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
step() { printf '\n== %s\n' "$*"; }
ok() { printf '  ok   %s\n' "$*"; }
fail() { printf '  FAIL %s\n' "$*" >&2; exit 1; }
declare -a SUMMARY=()
measure() { SUMMARY+=("$(printf '%-40s %s' "$1" "$2")"); printf '  ..   %s: %s\n' "$1" "$2"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Waits for the next event on a container whose status matches REGEX (docker events, not polling).
# Prints nothing; returns 1 after LIMIT seconds.
await_event() { # CONTAINER REGEX LIMIT SINCE
  local line pid rc=1
  exec {events}< <(exec timeout "$3" docker events --since "$4" --filter "container=$1" --format '{{.Status}}')
  pid=$!
  while IFS= read -r line <&"$events"; do
    if [[ $line =~ $2 ]]; then rc=0; break; fi
  done
  kill "$pid" 2>/dev/null || true
  exec {events}<&-
  return $rc
}

# Repeats a cheap check until it passes: for states Docker has no event for (the app's own
# connection to the simulator, an HTTP answer). LIMIT seconds, then fails.
until_true() { # LIMIT DESCRIPTION COMMAND...
  local limit=$1 what=$2 deadline; shift 2
  deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what (not within ${limit}s)"
    sleep 0.25
  done
}

# ------------------------------------------------------------------ setup
ARCHES=${ARCHES:-amd64 arm64}
if [ -z "${NODE_IMAGE:-}" ] && docker image inspect local/node:24-bookworm >/dev/null 2>&1; then
  NODE_IMAGE=local/node:24-bookworm
fi
NODE_IMAGE_ARM64=${NODE_IMAGE_ARM64:-local/node:24-bookworm-arm64}
NPM_CA=${NPM_CA:-/etc/ssl/certs/ca-certificates.crt}

RUN_ID="$(date +%s)-$$"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/acs-container-test.XXXXXX")
PROJECT=acs-test-$RUN_ID
PROJECT_ARM=acs-test-arm-$RUN_ID
IMG=anova-control-server:test-$RUN_ID
IMG_ARM=anova-control-server:test-arm64-$RUN_ID
SITE=$TMP/site
STACK_FILES=compose.yaml:compose.demo.yaml:compose.override.yaml   # inside $SITE
: >"$TMP/empty.env"

cleanup() {
  local rc=$?
  set +e
  if [ $rc -ne 0 ] && [ -d "$SITE" ]; then
    echo "--- last logs of $PROJECT ---" >&2
    (cd "$SITE" && COMPOSE_PROJECT_NAME=$PROJECT COMPOSE_FILE=$STACK_FILES docker compose logs --tail 40) >&2 2>/dev/null
  fi
  for p in "$PROJECT" "$PROJECT_ARM"; do
    docker compose -p "$p" down -v --remove-orphans -t 2 >/dev/null 2>&1
  done
  docker image rm -f "$IMG" "$IMG_ARM" >/dev/null 2>&1
  rm -rf "$TMP"
  printf '\n%s in %ss\n' "$([ $rc -eq 0 ] && echo 'container tests passed' || echo 'container tests FAILED')" \
    "$(secs "$t_start" "$(ms)")"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "preflight"
command -v curl >/dev/null || fail "curl is needed on the host"
command -v node >/dev/null || fail "node is needed on the host (free ports, package.json)"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (.ci/container.sh shows how CI sets one up)"
docker compose version >/dev/null 2>&1 || fail "docker compose v2 is missing"
docker buildx version >/dev/null 2>&1 || fail "docker buildx is missing"
ok "docker $(docker version -f '{{.Server.Version}}'), $(docker compose version --short | sed 's/^/compose /'), base ${NODE_IMAGE:-<Dockerfile default>}"
if [[ " $ARCHES " == *" arm64 "* ]]; then
  docker image inspect "$NODE_IMAGE_ARM64" >/dev/null 2>&1 \
    || fail "no arm64 base $NODE_IMAGE_ARM64 (build one as .ci/container.sh does), or ARCHES=amd64"
fi
version=$(node -p 'require("./package.json").version')
common_args=(-f docker/Dockerfile --build-arg "VERSION=$version" --build-arg "REVISION=test")
[ -f "$NPM_CA" ] && common_args+=(--secret "id=npm_ca,src=$NPM_CA")
amd_args=("${common_args[@]}")
[ -n "${NODE_IMAGE:-}" ] && amd_args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
# arm64: the runtime stage from the arm64 base, the npm/tsc stages from the build machine's own
# (single-platform local bases cannot serve both; official multi-arch images need neither argument).
arm_args=("${common_args[@]}" --build-arg "NODE_IMAGE=$NODE_IMAGE_ARM64")
[ -n "${NODE_IMAGE:-}" ] && arm_args+=(--build-arg "BUILD_NODE_IMAGE=$NODE_IMAGE")

# ------------------------------------------------------------------ 1. compose files
step "compose files validate"
export APP_IMAGE=$IMG
for combo in "compose.yaml" "compose.yaml compose.demo.yaml" "compose.yaml compose.demo.yaml compose.emulation.yaml" \
             "compose.yaml compose.tunnel-config.yaml" "compose.yaml compose.demo.yaml test/container/compose.fast-health.yaml"; do
  files=(); for f in $combo; do files+=(-f "$f"); done
  docker compose --env-file "$TMP/empty.env" "${files[@]}" config -q || fail "docker compose config: $combo"
  ok "$combo (no .env)"
done
docker compose --env-file .env.example config -q || fail "docker compose config with .env.example"
ok "compose.yaml with .env.example as .env"

# ------------------------------------------------------------------ 2. amd64 image
step "build linux/amd64"
t=$(ms)
docker build -q --platform linux/amd64 "${amd_args[@]}" -t "$IMG" . >/dev/null \
  || fail "docker build (amd64)"
measure "build amd64" "$(secs "$t" "$(ms)") s"
size=$(docker image inspect -f '{{.Size}}' "$IMG")
measure "image size amd64" "$(mb "$size")"
if [ -n "${NODE_IMAGE:-}" ]; then
  measure "  of which the app (above the base)" "$(mb $(( size - $(docker image inspect -f '{{.Size}}' "$NODE_IMAGE") )))"
fi

step "image metadata"
inspect() { docker image inspect -f "$1" "$IMG"; }
user=$(inspect '{{.Config.User}}')
[[ -n $user && ! $user =~ ^(root|0)(:|$) ]] || fail "image user is '$user' (must be non-root)"
ok "user $user"
[ "$(inspect '{{index .Config.Labels "org.opencontainers.image.version"}}')" = "$version" ] || fail "OCI version label"
for l in source title description licenses; do
  [ -n "$(inspect "{{index .Config.Labels \"org.opencontainers.image.$l\"}}")" ] || fail "OCI label $l missing"
done
ok "OCI labels (version $version)"
[ "$(inspect '{{json .Config.Healthcheck.Test}}')" = '["CMD","/usr/local/bin/healthcheck"]' ] || fail "HEALTHCHECK"
ok "HEALTHCHECK"
env_list=$(inspect '{{json .Config.Env}}')
[[ $env_list == *'"NODE_ENV=production"'* ]] || fail "NODE_ENV=production missing"
[[ $env_list != *NODE_EXTRA_CA_CERTS* ]] || fail "NODE_EXTRA_CA_CERTS left in the image"
ok "NODE_ENV=production, no NODE_EXTRA_CA_CERTS"

step "image contents"
dev_deps=$(node -p 'Object.keys(require("./package.json").devDependencies).join(" ")')
contents=$(docker run --rm --network none --entrypoint /bin/sh "$IMG" -c '
  cd /app
  echo "outside node_modules:"; find . -path ./node_modules -prune -o -type f -print | grep -v "^\./dist/.*\.js$" | grep -v "^\./package\.json$"
  echo "dev deps:"; for d in '"$dev_deps"'; do [ -e "node_modules/$d" ] && echo "$d"; done
  echo "ts sources:"; find / -xdev -name "*.ts" ! -name "*.d.ts" ! -path "*/node_modules/*" 2>/dev/null | head -5
  echo "env files:"; find / -xdev -name ".env" ! -path "/proc/*" 2>/dev/null | head -5
  echo "secrets:"; ls /run/secrets 2>/dev/null
  echo "end"')
expected=$'outside node_modules:\ndev deps:\nts sources:\nenv files:\nsecrets:\nend'
[ "$contents" = "$expected" ] || fail "unexpected image contents:"$'\n'"$contents"
ok "only dist/*.js, package.json and production node_modules in /app; no .ts, .env, dev deps ($dev_deps) or secrets"

# ------------------------------------------------------------------ 3. one-off commands
step "one-off commands (docker compose run)"
key=$(docker compose -p "$PROJECT" --env-file "$TMP/empty.env" run --rm --no-deps app generate-api-key 2>/dev/null | tr -d '\r')
[[ $key =~ ^sk-anova-[A-Za-z0-9_-]{43}$ ]] || fail "generate-api-key printed '$key'"
ok "generate-api-key prints a key"
set +e
out=$(docker compose -p "$PROJECT" --env-file .env.example run --rm --no-deps app check-config 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || fail "check-config accepted the .env.example placeholders"
[[ $out == *API_KEY* && $out == *ANOVA_TOKEN* ]] || fail "check-config did not name API_KEY and ANOVA_TOKEN: $out"
[[ $out != *replace-with-output-of-generate-api-key* ]] || fail "check-config echoed the key value"
ok "check-config refuses the .env.example placeholders (exit $rc), naming API_KEY and ANOVA_TOKEN"

# ------------------------------------------------------------------ 4. demo stack via backup + restore
step "demo stack: a site folder backed up, wiped, restored with scripts/restore.sh"
PORT=$(free_port)
mkdir -p "$SITE"
cp compose.yaml compose.demo.yaml "$SITE/"
cp test/container/compose.fast-health.yaml "$SITE/compose.override.yaml"
{ cat .env.example; printf 'APP_IMAGE=%s\nAPP_HOST_PORT=%s\n' "$IMG" "$PORT"; } >"$SITE/.env"
chmod 600 "$SITE/.env"
dc() { (cd "$SITE" && COMPOSE_PROJECT_NAME=$PROJECT COMPOSE_FILE=$STACK_FILES docker compose "$@"); }

PROJECT_DIR=$SITE bash scripts/backup.sh "$TMP/backups" >/dev/null || fail "backup.sh"
archive=$(ls "$TMP"/backups/anova-backup-*.tar.gz)
[ "$(stat -c %a "$archive")" = 600 ] || fail "backup archive mode $(stat -c %a "$archive")"
ok "backup.sh: $(tar -tzf "$archive" | tr '\n' ' ')(mode 600)"
rm "$SITE/.env" "$SITE/compose.override.yaml"

t=$(ms)
(cd "$SITE" && COMPOSE_PROJECT_NAME=$PROJECT COMPOSE_FILE=$STACK_FILES PROJECT_DIR=$SITE \
  bash "$REPO/scripts/restore.sh" "$archive") >"$TMP/restore.log" 2>&1 || { cat "$TMP/restore.log"; fail "restore.sh"; }
measure "up -d --wait -> healthy (amd64)" "$(secs "$t" "$(ms)") s  (probe every 1 s; production: first probe at 30 s)"
grep -q '"status":"ok"' "$TMP/restore.log" || fail "restore.sh did not end with a healthy /health"
[ "$(stat -c %a "$SITE/.env")" = 600 ] || fail "restored .env is not mode 600"
[ -f "$SITE/compose.override.yaml" ] || fail "restore.sh did not bring back compose.override.yaml"
ok "restore.sh brought back .env and compose.override.yaml, stack healthy on 127.0.0.1:$PORT"
APP=$(dc ps -q app)
SIM=$(dc ps -q simulator)

# ------------------------------------------------------------------ 5. the API through the published port
step "start / status / stop through 127.0.0.1:$PORT"
BASE=http://127.0.0.1:$PORT
API_KEY=$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$APP" | sed -n 's/^API_KEY=//p')
[ -n "$API_KEY" ] || fail "no API_KEY in the app container's environment"
api() { curl -sS -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $API_KEY" "$@"; }
connected() { curl -fsS "$BASE/health" | grep -q '"connected":true'; }
until_true 30 "the app connected to the simulator" connected
ok "/health: connected to the simulator"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/status")
[ "$code" = 401 ] || fail "GET /status without a key answered $code"
ok "GET /status without the key: 401"
code=$(api -H 'Content-Type: application/json' -X POST "$BASE/start-cook" \
  -d '{"temperature_celsius":65,"time_minutes":90,"food_type":"chicken breast"}')
[ "$code" = 200 ] && grep -q '"success":true' "$TMP/body" || fail "POST /start-cook: $code $(cat "$TMP/body")"
ok "POST /start-cook: 200 $(grep -o '"device_state":"[a-z]*"' "$TMP/body")"
code=$(api "$BASE/status")
[ "$code" = 200 ] && grep -q '"is_running":true' "$TMP/body" || fail "GET /status while cooking: $code $(cat "$TMP/body")"
ok "GET /status: 200 $(grep -o '"state":"[a-z]*"' "$TMP/body"), is_running"
code=$(api -X POST "$BASE/stop-cook")
[ "$code" = 200 ] && grep -q '"success":true' "$TMP/body" || fail "POST /stop-cook: $code $(cat "$TMP/body")"
ok "POST /stop-cook: 200"
stopped() { [ "$(api "$BASE/status")" = 200 ] && grep -q '"is_running":false' "$TMP/body"; }
until_true 15 "GET /status showed the cook stopped" stopped
ok "GET /status: is_running false"

step "list-devices (docker compose run) against the simulator"
devices=$(dc run --rm --no-deps app list-devices 2>&1) || fail "list-devices: $devices"
[[ $devices == *a7* ]] || fail "list-devices did not list the simulated a7: $devices"
ok "list-devices lists the simulated a7"

# ------------------------------------------------------------------ 6. what Docker enforces
step "docker inspect (app container)"
want() { # GO-TEMPLATE EXPECTED
  local got; got=$(docker inspect -f "$1" "$APP")
  [ "$got" = "$2" ] || fail "$1 is '$got', expected '$2'"
  ok "$1 = $2"
}
want '{{.Config.User}}' "$user"
want '{{.HostConfig.ReadonlyRootfs}}' true
want '{{json .HostConfig.CapDrop}}' '["ALL"]'
want '{{json .HostConfig.SecurityOpt}}' '["no-new-privileges:true"]'
want '{{.HostConfig.Init}}' true
want '{{.HostConfig.RestartPolicy.Name}}' unless-stopped
want '{{.HostConfig.LogConfig.Type}}' local
want '{{index .HostConfig.LogConfig.Config "max-size"}}/{{index .HostConfig.LogConfig.Config "max-file"}}' 5m/3
want '{{.HostConfig.Memory}}' $(( 128 * 1024 * 1024 ))
want '{{json .HostConfig.PortBindings}}' "{\"3000/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"$PORT\"}]}"
mounts=$(docker exec "$APP" cat /proc/mounts)
grep -Eq '^overlay / overlay ro[, ]' <<<"$mounts" || fail "/ is not mounted read-only: $(grep ' / ' <<<"$mounts")"
grep -Eq '^tmpfs /tmp tmpfs rw,.*size=8192k' <<<"$mounts" || fail "/tmp is not an 8 MB tmpfs: $(grep ' /tmp ' <<<"$mounts")"
docker exec "$APP" sh -c ': >/tmp/probe' || fail "the app cannot write to its /tmp"
ok "/ mounted read-only, /tmp an 8 MB writable tmpfs"

step "idle memory"
mem_app=$(docker stats --no-stream --format '{{.MemUsage}}' "$APP")
mem_sim=$(docker stats --no-stream --format '{{.MemUsage}}' "$SIM")
measure "idle memory app (amd64)" "$mem_app"
measure "idle memory simulator (amd64)" "$mem_sim"

# ------------------------------------------------------------------ 7. crash -> restart, the cook survives
step "the journal volume: owned by the app (uid 1000), the database in it"
owner=$(docker exec "$APP" stat -c '%u' /data /data/anova.db | sort -u | tr '\n' ' ')
[ "$owner" = "1000 " ] || fail "/data and /data/anova.db are owned by '$owner', expected uid 1000"
grep -Eq ' /data ' <<<"$mounts" || fail "/data is not a mount (the named volume)"
ok "/data is the named volume, /data and anova.db owned by uid 1000"
snapshot=$(dc exec -T app node dist/app/cli.js backup - 2>"$TMP/backup.err" | wc -c)
[ "$snapshot" -gt 4096 ] || fail "backup - streamed $snapshot bytes: $(cat "$TMP/backup.err")"
ok "backup - from the running container: $snapshot bytes ($(cat "$TMP/backup.err"))"

step "a cook runs; the app's process dies (SIGKILL): Docker restarts it and the cook is still ours"
code=$(api -H 'Content-Type: application/json' -X POST "$BASE/start-cook" \
  -d '{"temperature_celsius":63,"time_minutes":240,"food_type":"chicken breast","thickness_mm":25}')
[ "$code" = 200 ] || fail "POST /start-cook before the crash: $code $(cat "$TMP/body")"
cook_id=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).cook_id' "$TMP/body")
init_pid=$(docker inspect -f '{{.State.Pid}}' "$APP")
read -r node_pid _ <"/proc/$init_pid/task/$init_pid/children" || node_pid=$(pgrep -P "$init_pid" | head -1)
[[ $node_pid =~ ^[0-9]+$ ]] || fail "could not find the node process under init (pid $init_pid): '$node_pid'"
restarts=$(docker inspect -f '{{.RestartCount}}' "$APP")
since=$(date +%s)
t=$(ms)
kill -KILL "$node_pid"
await_event "$APP" '^start$' 60 "$since" || fail "Docker did not restart the app within 60 s"
t_started=$(ms)
await_event "$APP" '^health_status: healthy$' 60 "$since" || fail "the restarted app did not turn healthy within 60 s"
[ "$(docker inspect -f '{{.RestartCount}}' "$APP")" -gt "$restarts" ] || fail "RestartCount did not grow"
measure "kill -> restarted" "$(secs "$t" "$t_started") s"
measure "kill -> healthy again" "$(secs "$t" "$(ms)") s  (probe every 1 s)"
curl -fsS "$BASE/health" >/dev/null || fail "/health after the restart"
ok "restarted (RestartCount $(docker inspect -f '{{.RestartCount}}' "$APP")), healthy, answering"
same_cook() { [ "$(api "$BASE/status")" = 200 ] && grep -q "\"cook_id\":\"$cook_id\"" "$TMP/body"; }
until_true 15 "GET /status after the restart shows the same cook_id" same_cook
ok "after the restart GET /status shows the same cook $cook_id"
code=$(api "$BASE/cooks/$cook_id")
[ "$code" = 200 ] && grep -q '"server_restarted"' "$TMP/body" || fail "GET /cooks/$cook_id: $code $(cat "$TMP/body")"
ok "GET /cooks/{id}: one cook, with a server_restarted event"
code=$(api -X POST "$BASE/stop-cook")
[ "$code" = 200 ] || fail "POST /stop-cook after the restart: $code"

# ------------------------------------------------------------------ 8. stop
step "docker compose stop (SIGTERM, graceful)"
t=$(ms)
dc stop >/dev/null 2>&1 || fail "docker compose stop"
stop_s=$(secs "$t" "$(ms)")
measure "docker compose stop (app + simulator)" "$stop_s s"
awk -v s="$stop_s" 'BEGIN { exit !(s < 5) }' || fail "docker compose stop took $stop_s s (limit 5 s)"
want '{{.State.ExitCode}}' 0
ok "stopped within 5 s, exit code 0 (SIGTERM handled, not SIGKILLed)"
dc down -v -t 2 >/dev/null 2>&1

# ------------------------------------------------------------------ 9. arm64
if [[ " $ARCHES " == *" arm64 "* ]]; then
  step "build linux/arm64 (npm and tsc on the build platform; the arm64 stage only copies)"
  t=$(ms)
  docker build -q --platform linux/arm64 "${arm_args[@]}" -t "$IMG_ARM" . >/dev/null \
    || fail "docker build (arm64)"
  measure "build arm64" "$(secs "$t" "$(ms)") s"
  [ "$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$IMG_ARM")" = linux/arm64 ] || fail "the arm64 image is not linux/arm64"
  measure "image size arm64" "$(mb "$(docker image inspect -f '{{.Size}}' "$IMG_ARM")")"

  step "boot the arm64 image under emulation (demo stack, more memory)"
  PORT_ARM=$(free_port)
  dca() {
    APP_IMAGE=$IMG_ARM APP_HOST_PORT=$PORT_ARM docker compose -p "$PROJECT_ARM" --env-file "$TMP/empty.env" \
      -f compose.yaml -f compose.demo.yaml -f compose.emulation.yaml -f test/container/compose.fast-health.yaml "$@"
  }
  t=$(ms)
  dca up -d --wait --wait-timeout 300 --no-build --pull never >"$TMP/arm.log" 2>&1 \
    || { cat "$TMP/arm.log"; dca logs --tail 30; fail "the arm64 stack did not turn healthy within 300 s"; }
  measure "up -d --wait -> healthy (arm64, QEMU)" "$(secs "$t" "$(ms)") s"
  health=$(curl -fsS "http://127.0.0.1:$PORT_ARM/health") || fail "arm64 /health"
  [[ $health == *'"status":"ok"'* ]] || fail "arm64 /health answered $health"
  arch=$(dca exec -T app node -p 'process.arch')
  [ "$arch" = arm64 ] || fail "the emulated app reports process.arch '$arch'"
  ok "/health answers from node on $arch: $health"
  measure "idle memory app (arm64, QEMU)" "$(docker stats --no-stream --format '{{.MemUsage}}' "$(dca ps -q app)")"
  dca down -v -t 2 >/dev/null 2>&1
fi

step "summary"
printf '  %s\n' "${SUMMARY[@]}"
