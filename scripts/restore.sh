#!/usr/bin/env bash
# restore.sh: put a backup from scripts/backup.sh back and bring the stack up, then check /health.
#
#   scripts/restore.sh backups/anova-backup-20250101T020000Z.tar.gz
#
# Run it in the checkout (or copy of compose.yaml etc.) on the Pi, after Docker is installed and
# the image is present (docker compose pull / docker load / docker compose build).
set -euo pipefail
umask 077

archive=${1:?usage: scripts/restore.sh ARCHIVE}
archive=$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")
project_dir=${PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$project_dir"

echo "restore.sh: files in the archive:"
tar -tzf "$archive" | sed 's/^/  /'
tar -xzf "$archive" --exclude journal.db
if [ -f .env ]; then chmod 600 .env; fi

# The journal goes into the app's volume through the app itself, with the app stopped (it refuses
# while a server holds the data); the database it replaces is kept beside it in the volume.
if tar -tzf "$archive" journal.db >/dev/null 2>&1; then
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
  tar -xzf "$archive" -C "$staging" journal.db
  docker compose stop app >/dev/null 2>&1 || true
  docker compose run --rm --no-deps -T app restore - <"$staging/journal.db"
fi

docker compose up -d --wait --wait-timeout 300
port=$(docker compose port app 3000 | sed 's/.*://')
curl -fsS "http://127.0.0.1:${port}/health" && echo
docker compose ps
