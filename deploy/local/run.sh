#!/usr/bin/env bash
# make run: start a private PostgreSQL and Meilisearch under .local/ (kept
# between runs), migrate, load the reference data and the fictional sample
# catalogue, and serve the API on http://127.0.0.1:8080 until Ctrl-C or
# SIGTERM (also to the whole process group), which stop everything this
# script started. deploy/local/sigterm_test.sh checks that.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

# CYBERMARKET_LOCAL moves the state elsewhere (tests use a throwaway directory).
LOCAL=${CYBERMARKET_LOCAL:-$PWD/.local}
mkdir -p "$LOCAL"
chmod 0755 "$LOCAL"

# Secrets and ports are made once and kept, so data survives between runs.
if [ ! -f "$LOCAL/env" ]; then
	cat >"$LOCAL/env" <<ENV
PG_PORT=${PG_PORT:-55432}
PG_PASSWORD=$(random_secret)
MEILI_PORT=${MEILI_PORT:-57700}
MEILI_MASTER_KEY=$(random_secret)
ENV
	chmod 0600 "$LOCAL/env"
fi
. "$LOCAL/env"
LISTEN_ADDR=${LISTEN_ADDR:-127.0.0.1:8080}

started_pg=
MEILI_PID=
SERVER_PID=
cleanup() {
	# Ignore further signals while stopping: make passes SIGTERM on to us
	# a second time, which would otherwise kill this shell mid-cleanup and
	# leave PostgreSQL running.
	trap - EXIT
	trap '' INT TERM
	stop_pid "$SERVER_PID"
	stop_pid "$MEILI_PID"
	[ -n "$started_pg" ] && stop_postgres "$LOCAL/pg"
	log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -f "$LOCAL/pg/pgdata/postmaster.pid" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$LOCAL/pg/pgdata" status >/dev/null 2>&1; then
	log "PostgreSQL already running in $LOCAL/pg; using it"
else
	start_postgres "$LOCAL/pg" "$PG_PORT" "$PG_PASSWORD"
	started_pg=1
fi
export PGPASSWORD=$PG_PASSWORD
if ! "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U cybermarket -d postgres -tAc \
	"SELECT 1 FROM pg_database WHERE datname = 'cybermarket'" | grep -q 1; then
	"$(pg_bin)/createdb" -h 127.0.0.1 -p "$PG_PORT" -U cybermarket cybermarket
fi
unset PGPASSWORD

if port_open "$MEILI_PORT"; then
	die "port $MEILI_PORT is taken (another make run?); stop it or set MEILI_PORT in $LOCAL/env"
fi
meili_bin=$(ensure_meilisearch "$LOCAL/bin")
start_meilisearch "$LOCAL/meili" "$MEILI_PORT" "$MEILI_MASTER_KEY" "$meili_bin"

export DATABASE_URL="postgres://cybermarket:$PG_PASSWORD@127.0.0.1:$PG_PORT/cybermarket?sslmode=disable"
export MEILI_URL="http://127.0.0.1:$MEILI_PORT"
export MEILI_API_KEY=$MEILI_MASTER_KEY
export LISTEN_ADDR

log "building"
go build -o "$LOCAL/bin/cybermarket" ./cmd/cybermarket
"$LOCAL/bin/cybermarket" migrate
"$LOCAL/bin/cybermarket" import --skip-existing deploy/local/sample-catalogue.ndjson

# A local admin key, made on the first run (or when the database no longer
# knows it) and kept in .local/admin.key, readable by you only.
if [ ! -s "$LOCAL/admin.key" ] || ! "$LOCAL/bin/cybermarket" keys check <"$LOCAL/admin.key" >/dev/null 2>&1; then
	(umask 077 && "$LOCAL/bin/cybermarket" keys create --role admin --name local-admin >"$LOCAL/admin.key.new")
	mv "$LOCAL/admin.key.new" "$LOCAL/admin.key"
fi
chmod 0600 "$LOCAL/admin.key"
ADMIN_KEY=$(cat "$LOCAL/admin.key")

"$LOCAL/bin/cybermarket" serve &
SERVER_PID=$!
cat >&2 <<MSG

  cybermarket is serving on http://$LISTEN_ADDR  (docs: http://$LISTEN_ADDR/docs)
  DATABASE_URL=$DATABASE_URL
  MEILI_URL=$MEILI_URL   (API key in $LOCAL/env)
  Local admin API key (also in $LOCAL/admin.key):
    $ADMIN_KEY
  e.g. curl -H "Authorization: Bearer \$(cat $LOCAL/admin.key)" http://$LISTEN_ADDR/v1/audit
  Ctrl-C stops the server, Meilisearch and PostgreSQL.

MSG
wait "$SERVER_PID"
