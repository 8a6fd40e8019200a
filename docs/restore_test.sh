#!/usr/bin/env bash
# Restore test: prove that a backup made the way docs/operations.md says can be
# restored. Seeds the demo data into a fresh PostgreSQL database, backs it up
# (pg_dump custom format + a tar of MEDIA_ROOT), restores both into a second
# fresh database and folder, and compares every table's row count, every
# sequence and every media file. Both databases are dropped at the end.
#
# Usage: docs/restore_test.sh [postgres://user@host:port/maintenance-db]
#   default: postgres://postgres@127.0.0.1:5432/postgres (or $RESTORE_TEST_PG_URL)
#   The role must be allowed to create databases. Exit code 0: the round trip is exact.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${1:-${RESTORE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
PYTHON="${PYTHON:-.venv/bin/python}"
SUFFIX="$$_$(date +%s)_${RANDOM}"
SOURCE_DB="restore_src_${SUFFIX}"
TARGET_DB="restore_dst_${SUFFIX}"
WORK="$(mktemp -d)"

# The same server, another database: swap the path of the URL.
url_for() { "$PYTHON" -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_URL" "$1"; }
SOURCE_URL="$(url_for "$SOURCE_DB")"
TARGET_URL="$(url_for "$TARGET_DB")"

cleanup() {
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS ${SOURCE_DB} WITH (FORCE)" >/dev/null 2>&1 || true
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS ${TARGET_DB} WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Only what the portal needs; a developer's .env never leaks in.
manage() {
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 \
        PORTAL_ENV_FILE=/dev/null DEBUG=0 DEMO=1 SECRET_KEY="restore-test-$SUFFIX" \
        DATABASE_URL="$1" MEDIA_ROOT="$2" \
        "$PYTHON" manage.py "${@:3}"
}

# Row counts of every table, then every sequence's position: one line each.
inventory() {
    psql -X -A -t -q "$1" <<'SQL'
SELECT 'table ' || table_name || ' ' ||
       (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
                           false, true, '')))[1]::text
  FROM information_schema.tables
 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
 ORDER BY table_name;
SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'unused')
  FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename;
SQL
}

echo "== 1. a fresh database with the demo data ($SOURCE_DB)"
psql -q "$PG_URL" -c "CREATE DATABASE ${SOURCE_DB}"
mkdir -p "$WORK/media" "$WORK/restored-media"
manage "$SOURCE_URL" "$WORK/media" migrate --noinput -v 0
manage "$SOURCE_URL" "$WORK/media" seed_demo --force >/dev/null

echo "== 2. backup: pg_dump (custom format) and the media folder"
pg_dump --format=custom --no-owner --no-privileges --file="$WORK/portal.dump" "$SOURCE_URL"
tar -C "$WORK/media" -czf "$WORK/media.tar.gz" .

echo "== 3. restore into a fresh database ($TARGET_DB) and folder"
psql -q "$PG_URL" -c "CREATE DATABASE ${TARGET_DB}"
pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 \
    --dbname="$TARGET_URL" "$WORK/portal.dump"
tar -C "$WORK/restored-media" -xzf "$WORK/media.tar.gz"

echo "== 4. compare"
inventory "$SOURCE_URL" >"$WORK/source.txt"
inventory "$TARGET_URL" >"$WORK/target.txt"
diff -u "$WORK/source.txt" "$WORK/target.txt"
diff -r "$WORK/media" "$WORK/restored-media"
# The restored database is one the portal accepts as it is: no migration left.
manage "$TARGET_URL" "$WORK/restored-media" migrate --check --noinput -v 0

tables=$(grep -c '^table ' "$WORK/source.txt")
rows=$(awk '$1 == "table" { n += $3 } END { print n }' "$WORK/source.txt")
articles=$(awk '$2 == "articles_article" { print $3 }' "$WORK/source.txt")
comments=$(awk '$2 == "comments_comment" { print $3 }' "$WORK/source.txt")
files=$(find "$WORK/restored-media" -type f | wc -l)
if [ "${articles:-0}" -eq 0 ] || [ "${comments:-0}" -eq 0 ] || [ "$files" -eq 0 ]; then
    echo "restore test FAILED: the demo data is missing (articles=$articles comments=$comments files=$files)" >&2
    exit 1
fi
echo "restore test OK: $tables tables, $rows rows ($articles articles, $comments comments), $files media files"
