#!/usr/bin/env bash
# 督查台账 backup: the PostgreSQL database (pg_dump -Fc) and MEDIA_ROOT (tar), with retention.
#
#   deploy/backup.sh [--env-file FILE] [--dest DIR] [--keep-days N] [--no-media]
#
# Settings come from the environment (or from --env-file, a KEY=value file such as
# /etc/dudu/env, read before the command-line options):
#   DATABASE_URL      required, postgres://user:pass@host:port/dbname (the app's own setting)
#   MEDIA_ROOT        default $VAR_DIR/media; uploaded evidence and generated workbooks
#   BACKUP_DIR        default /var/backups/dudu
#   BACKUP_KEEP_DAYS  default 14; files older than this are deleted after a good backup (0: never)
#   BACKUP_KEEP_MIN   default 3; the newest N backups are kept whatever their age
#
# One run writes, into BACKUP_DIR (mode 0700, files 0600: they hold every password hash):
#   dudu-YYYYmmdd-HHMMSS.dump           pg_dump custom format (restore with pg_restore)
#   dudu-YYYYmmdd-HHMMSS-media.tar.gz   MEDIA_ROOT, paths relative to it
#   dudu-YYYYmmdd-HHMMSS.sha256         checksums of both (sha256sum -c)
# Files are written as *.partial and renamed when complete; old backups are pruned only after
# this run succeeded. The database is dumped first, then the media, so every file a dumped row
# names is in the archive (a file deleted in between is the only exception).
# The password never appears on a command line: DATABASE_URL is split into PG* variables.
# Restore: see docs/deploy.md (备份与恢复); tests/test_backup_restore.py runs this script.
set -euo pipefail
umask 077

say() { printf '%s backup.sh: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() {
  say "ERROR: $*" >&2
  exit 1
}

env_file="" dest="" keep_days="" with_media=1
while [ $# -gt 0 ]; do
  case "$1" in
    --env-file) env_file="${2:?--env-file needs a path}"; shift 2 ;;
    --dest) dest="${2:?--dest needs a directory}"; shift 2 ;;
    --keep-days) keep_days="${2:?--keep-days needs a number}"; shift 2 ;;
    --no-media) with_media=0; shift ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

if [ -n "$env_file" ]; then
  [ -r "$env_file" ] || die "cannot read $env_file"
  # KEY=value lines, as systemd's EnvironmentFile= reads them (no spaces around =).
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi

[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set"
BACKUP_DIR="${dest:-${BACKUP_DIR:-/var/backups/dudu}}"
KEEP_DAYS="${keep_days:-${BACKUP_KEEP_DAYS:-14}}"
KEEP_MIN="${BACKUP_KEEP_MIN:-3}"
MEDIA_ROOT="${MEDIA_ROOT:-${VAR_DIR:-}/media}"
PYTHON="${PYTHON:-python3}"
case "$KEEP_DAYS" in '' | *[!0-9]*) die "BACKUP_KEEP_DAYS must be a whole number" ;; esac
case "$KEEP_MIN" in '' | *[!0-9]*) die "BACKUP_KEEP_MIN must be a whole number" ;; esac
for tool in pg_dump pg_restore tar sha256sum flock "$PYTHON"; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH"
done

# DATABASE_URL -> PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE (+ sslmode & co.), percent-decoded.
pg_env=$("$PYTHON" - "$DATABASE_URL" <<'PY'
import shlex
import sys
from urllib.parse import parse_qsl, unquote, urlsplit

url = urlsplit(sys.argv[1])
if url.scheme.lower() not in {"postgres", "postgresql", "pgsql"}:
    sys.exit(f"DATABASE_URL has scheme {url.scheme!r}; only PostgreSQL can be backed up here")
values = {
    "PGHOST": unquote(url.hostname or ""),
    "PGPORT": str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": unquote(url.path.lstrip("/")),
}
if not values["PGDATABASE"]:
    sys.exit("DATABASE_URL names no database")
options = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
for key, value in parse_qsl(url.query):
    if key in options:
        values[options[key]] = value
for key, value in values.items():
    if value:
        print(f"export {key}={shlex.quote(value)}")
PY
) || die "cannot read DATABASE_URL"
eval "$pg_env"

mkdir -p -- "$BACKUP_DIR"
chmod 0700 -- "$BACKUP_DIR"
exec 9>"$BACKUP_DIR/.backup.lock"
flock -n 9 || die "another backup is running in $BACKUP_DIR"

stamp=$(date +%Y%m%d-%H%M%S)
base="$BACKUP_DIR/dudu-$stamp"
dump="$base.dump"
media="$base-media.tar.gz"
[ ! -e "$dump" ] && [ ! -e "$media" ] || die "$base.* already exists (two runs in one second?)"
cleanup() { rm -f -- "$dump.partial" "$media.partial"; }
trap cleanup EXIT

say "dumping database ${PGDATABASE} on ${PGHOST:-local socket}"
pg_dump --no-password --format=custom --lock-wait-timeout=300s --file="$dump.partial"
pg_restore --list "$dump.partial" >/dev/null || die "the dump cannot be read back"
mv -- "$dump.partial" "$dump"
files=("${dump##*/}")

if [ "$with_media" = 1 ]; then
  if [ -d "$MEDIA_ROOT" ]; then
    say "archiving $MEDIA_ROOT"
    status=0
    tar --create --gzip --file="$media.partial" --directory="$MEDIA_ROOT" . || status=$?
    # GNU tar exits 1 when a file changed while it was read (a workbook being rewritten): the
    # archive is still complete; anything above 1 is a real failure.
    [ "$status" -le 1 ] || die "tar failed ($status)"
    [ "$status" -eq 0 ] || say "warning: some files changed while being archived"
  else
    say "warning: MEDIA_ROOT $MEDIA_ROOT does not exist yet; writing an empty archive"
    tar --create --gzip --file="$media.partial" --files-from=/dev/null
  fi
  mv -- "$media.partial" "$media"
  files+=("${media##*/}")
fi

(cd "$BACKUP_DIR" && sha256sum -- "${files[@]}" >"dudu-$stamp.sha256")
for name in "${files[@]}"; do
  say "wrote $BACKUP_DIR/$name ($(du -h -- "$BACKUP_DIR/$name" | cut -f1))"
done

# Retention, only after a good backup: delete backup files older than KEEP_DAYS days, except
# those of the newest KEEP_MIN backups (so a stopped clock or a long outage never empties it).
if [ "$KEEP_DAYS" -gt 0 ]; then
  mapfile -t newest < <(
    find "$BACKUP_DIR" -maxdepth 1 -type f -name 'dudu-*.dump' -printf '%f\n' | sort -r |
      head -n "$KEEP_MIN" | cut -c6-20
  )
  while IFS= read -r -d '' old; do
    name=${old##*/}
    keep=0
    for kept in "${newest[@]}"; do
      [ "${name:5:15}" = "$kept" ] && keep=1
    done
    if [ "$keep" = 0 ]; then
      rm -f -- "$old"
      say "pruned $name"
    fi
  done < <(
    find "$BACKUP_DIR" -maxdepth 1 -type f -name 'dudu-*' \
      \( -name '*.dump' -o -name '*-media.tar.gz' -o -name '*.sha256' -o -name '*.partial' \) \
      -mtime +"$KEEP_DAYS" -print0
  )
fi
say "done"
