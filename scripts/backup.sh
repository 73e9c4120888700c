#!/usr/bin/env bash
# backup.sh: archive what a rebuilt Pi needs besides the image: .env, compose override files,
# cloudflared credentials and a consistent snapshot of the cook journal (journal.db, taken by the
# app's own `backup -` while it runs). Never images, never logs (both are rebuilt or disposable).
#
#   scripts/backup.sh [DEST_DIR]        default DEST_DIR: backups/ beside compose.yaml
#   BACKUP_KEEP=8                       how many archives to keep (oldest removed first)
#   PROJECT_DIR=/path/to/checkout       default: the folder above this script
#
# Archives are anova-backup-<UTC time>.tar.gz, mode 600, in a mode 700 folder: they hold secrets,
# so copy them somewhere safe off the Pi (scp) but never into git. Restore: scripts/restore.sh ARCHIVE.
set -euo pipefail
umask 077

project_dir=${PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
dest=${1:-${BACKUP_DIR:-$project_dir/backups}}
keep=${BACKUP_KEEP:-8}
case $keep in '' | *[!0-9]* | 0) echo "backup.sh: BACKUP_KEEP must be a whole number >= 1" >&2; exit 2 ;; esac

cd "$project_dir"
shopt -s nullglob
files=()
for f in .env compose.override.yaml compose.override.yml \
         cloudflared/config.yml cloudflared/*.json cloudflared/*.pem cloudflared/token; do
  case $f in *.example.*) continue ;; esac
  [ -f "$f" ] && files+=("$f")
done
if [ ${#files[@]} -eq 0 ]; then
  echo "backup.sh: nothing to back up in $project_dir (no .env yet?)" >&2
  exit 1
fi

mkdir -p "$dest"
chmod 700 "$dest"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

# The journal lives in the app's volume: ask the app for a snapshot (never copy the live file).
# Through the running container when there is one, else a one-off container on the same volume.
journal=()   # tar arguments that add the snapshot from the staging folder
if command -v docker >/dev/null 2>&1 && docker compose config -q >/dev/null 2>&1; then
  if [ -n "$(docker compose ps -q --status running app 2>/dev/null)" ]; then
    snapshot=(docker compose exec -T app node dist/app/cli.js backup -)
  else
    snapshot=(docker compose run --rm --no-deps -T app backup -)
  fi
  if "${snapshot[@]}" >"$staging/journal.db" 2>"$staging/journal.err"; then
    journal=(-C "$staging" journal.db)
  else
    echo "backup.sh: no journal snapshot ($(tail -n 1 "$staging/journal.err")); archiving the settings only" >&2
  fi
else
  echo "backup.sh: no Docker Compose stack here: archiving the settings without the journal" >&2
fi

archive="$dest/anova-backup-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
tar -czf "$archive" "${files[@]}" "${journal[@]}"   # our own file names: none starts with -
chmod 600 "$archive"
echo "backup.sh: $archive ($(wc -c <"$archive") bytes): ${files[*]}${journal[*]:+ journal.db}"

# Keep the newest $keep. The names sort by time, and the glob expands sorted.
archives=("$dest"/anova-backup-*.tar.gz)
excess=$(( ${#archives[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
  rm -f -- "${archives[i]}"
  echo "backup.sh: removed old ${archives[i]##*/}"
done
