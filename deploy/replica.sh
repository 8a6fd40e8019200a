#!/usr/bin/env bash
# A PostgreSQL streaming replica of the local cluster, on another port of this
# machine, for the read replica (portal/replica.py), its tests and `make cluster`.
#
#   deploy/replica.sh start    make the replica if it is missing (pg_basebackup -R),
#                              start it and wait until it answers; prints its URL
#   deploy/replica.sh stop     stop the replica and remove its directory
#   deploy/replica.sh halt     stop the replica and keep it (`start` brings it back)
#   deploy/replica.sh status   whether it runs, and its URL
#
# Environment (defaults in brackets):
#   PRIMARY_HOST [127.0.0.1]  PRIMARY_PORT [5432]  PRIMARY_USER [postgres]
#   REPLICA_PORT [5433]       REPLICA_DIR [/tmp/baophusa-replica-$REPLICA_PORT]
#   PG_BIN [/usr/lib/postgresql/<the primary's major version>/bin]
#
# The copy is the whole primary cluster (physical replication knows no single
# database), streamed with `pg_basebackup --checkpoint=fast`. The primary must
# accept replication connections from 127.0.0.1 for PRIMARY_USER: a missing
# `host replication` line is added to its pg_hba.conf, once, followed by a
# reload (never a restart). wal_level must be replica or logical and
# max_wal_senders above 0 (PostgreSQL's defaults): the script stops with a
# message if they are not, since changing them needs a restart.
#
# The cluster belongs to the `postgres` OS user: run as root, the PostgreSQL
# commands run through `runuser -u postgres --`; run as postgres, directly.
set -euo pipefail

PRIMARY_HOST="${PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
PRIMARY_USER="${PRIMARY_USER:-postgres}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/tmp/baophusa-replica-$REPLICA_PORT}"
# Written into the replica's directory: `stop` removes only a directory holding it.
MARKER="baophusa-replica"

die() {
    echo "replica.sh: $*" >&2
    exit 1
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

primary_sql() {
    psql -X -A -t -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -c "$1"
}

pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN"
        return
    fi
    local major
    major="$(primary_sql "SHOW server_version_num")"
    major="$((major / 10000))"
    [ -x "/usr/lib/postgresql/$major/bin/pg_ctl" ] ||
        die "no PostgreSQL $major binaries in /usr/lib/postgresql/$major/bin (set PG_BIN)"
    echo "/usr/lib/postgresql/$major/bin"
}

url() {
    echo "postgres://$PRIMARY_USER@127.0.0.1:$REPLICA_PORT/"
}

running() {
    [ -f "$REPLICA_DIR/postmaster.pid" ] &&
        as_postgres "$(pg_bin)/pg_ctl" status -D "$REPLICA_DIR" >/dev/null 2>&1
}

# The primary: replication allowed from 127.0.0.1, WAL fit for a standby.
prepare_primary() {
    pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" ||
        die "the primary on $PRIMARY_HOST:$PRIMARY_PORT does not answer"
    local wal_level senders hba
    wal_level="$(primary_sql "SHOW wal_level")"
    senders="$(primary_sql "SHOW max_wal_senders")"
    case "$wal_level" in
    replica | logical) ;;
    *) die "the primary has wal_level=$wal_level: set it to replica and restart it" ;;
    esac
    [ "$senders" -gt 0 ] || die "the primary has max_wal_senders=0: raise it and restart it"
    # A rule the primary already applies, from its own view of its pg_hba.conf.
    if [ "$(primary_sql "SELECT count(*) FROM pg_hba_file_rules
            WHERE 'replication' = ANY(database) AND type = 'host'
              AND ('all' = ANY(user_name) OR '$PRIMARY_USER' = ANY(user_name))
              AND (address IS NULL OR address IN ('127.0.0.1', 'all'))
              AND error IS NULL")" -gt 0 ]; then
        return
    fi
    hba="$(primary_sql "SHOW hba_file")"
    [ -w "$hba" ] || die "cannot add a replication line to $hba (run as root or postgres)"
    echo "replica.sh: allowing replication from 127.0.0.1 in $hba, then reloading" >&2
    printf '\n# Streaming replicas on this machine (deploy/replica.sh)\nhost replication %s 127.0.0.1/32 trust\n' \
        "$PRIMARY_USER" >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
    # The reload is asynchronous: wait until the rule is in force.
    for _ in $(seq 50); do
        if [ "$(primary_sql "SELECT count(*) FROM pg_hba_file_rules
                WHERE 'replication' = ANY(database) AND error IS NULL")" -gt 0 ]; then
            sleep 0.2
            return
        fi
        sleep 0.1
    done
}

make_replica() {
    local bin config
    bin="$(pg_bin)"
    config="$(primary_sql "SHOW config_file")"
    prepare_primary
    mkdir -p "$REPLICA_DIR"
    chown postgres:postgres "$REPLICA_DIR" 2>/dev/null || true
    chmod 700 "$REPLICA_DIR"
    local started=$SECONDS
    as_postgres "$bin/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" \
        -D "$REPLICA_DIR" --checkpoint=fast --wal-method=stream --write-recovery-conf --no-password
    # The primary's own settings (a hot standby needs max_connections and the
    # like no lower than its primary's), then this cluster's own place.
    as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<EOF
# A streaming replica made by deploy/replica.sh; its primary is $PRIMARY_HOST:$PRIMARY_PORT.
include '$config'
data_directory = '$REPLICA_DIR'
hba_file = '$REPLICA_DIR/pg_hba.conf'
ident_file = '$REPLICA_DIR/pg_ident.conf'
external_pid_file = ''
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
cluster_name = 'baophusa-replica-$REPLICA_PORT'
shared_buffers = 32MB
hot_standby = on
logging_collector = off
EOF
    as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
    as_postgres touch "$REPLICA_DIR/pg_ident.conf" "$REPLICA_DIR/$MARKER"
    echo "replica.sh: copied the primary in $((SECONDS - started)) s ($(du -sh "$REPLICA_DIR" | cut -f1))" >&2
}

start() {
    local bin
    bin="$(pg_bin)"
    if running; then
        url
        return
    fi
    [ -f "$REPLICA_DIR/$MARKER" ] || make_replica
    as_postgres "$bin/pg_ctl" start -w -t 120 -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" \
        >/dev/null || {
        tail -n 20 "$REPLICA_DIR/server.log" >&2
        die "the replica did not start (log: $REPLICA_DIR/server.log)"
    }
    for _ in $(seq 100); do
        pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" && break
        sleep 0.1
    done
    pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT" || die "the replica does not accept connections"
    url
}

halt() {
    if running; then
        as_postgres "$(pg_bin)/pg_ctl" stop -w -m fast -D "$REPLICA_DIR" >/dev/null
    fi
}

stop() {
    halt
    if [ -d "$REPLICA_DIR" ]; then
        [ -f "$REPLICA_DIR/$MARKER" ] || [ -f "$REPLICA_DIR/standby.signal" ] ||
            die "$REPLICA_DIR is no replica made by this script: left as it is"
        rm -rf "$REPLICA_DIR"
    fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
halt) halt ;;
status)
    if running; then
        echo "running: $(url)"
    else
        echo "stopped"
        exit 3
    fi
    ;;
*)
    echo "usage: $0 start|stop|halt|status" >&2
    exit 2
    ;;
esac
