#!/usr/bin/env bash
# Checks that make run (make, then run.sh) stops everything it started when its process
# group gets SIGTERM, as a supervisor or `kill -- -PGID` sends it: the
# server, Meilisearch and PostgreSQL. Uses a throwaway state directory and
# free ports; run it by hand: deploy/local/sigterm_test.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

state=$(mktemp -d "${TMPDIR:-/tmp}/cybermarket-sigterm.XXXXXX")
chmod 0755 "$state"
mkdir -p "$state/bin"
meili=$(ensure_meilisearch "$PWD/.local/bin")
cp "$meili" "$state/bin/meilisearch-$MEILI_VERSION"
listen_port=$(free_port)
cat >"$state/env" <<ENV
PG_PORT=$(free_port)
PG_PASSWORD=$(random_secret)
MEILI_PORT=$(free_port)
MEILI_MASTER_KEY=$(random_secret)
ENV
chmod 0600 "$state/env"

CYBERMARKET_LOCAL=$state LISTEN_ADDR=127.0.0.1:$listen_port setsid make --no-print-directory run >"$state/run.log" 2>&1 &
leader=$!
for _ in $(seq 1 600); do
	curl -fsS "http://127.0.0.1:$listen_port/healthz" >/dev/null 2>&1 && break
	kill -0 "$leader" 2>/dev/null || { cat "$state/run.log" >&2; die "run.sh exited before serving"; }
	sleep 0.5
done
curl -fsS "http://127.0.0.1:$listen_port/healthz" >/dev/null || die "not serving"
pg_pid=$(head -1 "$state/pg/pgdata/postmaster.pid")
log "serving; PostgreSQL pid $pg_pid; sending SIGTERM to process group $leader"
kill -TERM -- "-$leader"
for _ in $(seq 1 120); do
	kill -0 "$pg_pid" 2>/dev/null || break
	sleep 0.5
done
status=0
if kill -0 "$pg_pid" 2>/dev/null; then
	log "FAIL: PostgreSQL (pid $pg_pid) survived SIGTERM"
	as_postgres "$(pg_bin)/pg_ctl" -D "$state/pg/pgdata" -m immediate stop >/dev/null 2>&1 || true
	status=1
fi
if pgrep -g "$leader" >/dev/null; then
	log "FAIL: processes of the group survived: $(pgrep -g "$leader" | tr '\n' ' ')"
	pkill -KILL -g "$leader" || true
	status=1
fi
[ "$status" = 0 ] && log "ok: SIGTERM stopped the server, Meilisearch and PostgreSQL"
tail -3 "$state/run.log" >&2
rm -rf "$state"
exit "$status"
