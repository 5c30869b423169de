#!/usr/bin/env bash
# make test: start a throwaway PostgreSQL and Meilisearch on free ports, run
# go test -race ./... against them, and stop them whatever the outcome.
# Extra arguments go to go test (make test ARGS='-run TestStore -v').
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cybermarket-test.XXXXXX")
chmod 0755 "$tmp"
MEILI_PID=
cleanup() {
	stop_pid "$MEILI_PID"
	stop_postgres "$tmp/pg"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port=$(free_port)
pg_password=$(random_secret)
# Durability is pointless for a throwaway server; speed is not.
start_postgres "$tmp/pg" "$pg_port" "$pg_password" \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400
meili_bin=$(ensure_meilisearch "$PWD/.local/bin")
meili_port=$(free_port)
meili_key=$(random_secret)
start_meilisearch "$tmp/meili" "$meili_port" "$meili_key" "$meili_bin"

export TEST_DATABASE_URL="postgres://cybermarket:$pg_password@127.0.0.1:$pg_port/postgres?sslmode=disable"
export TEST_MEILI_URL="http://127.0.0.1:$meili_port"
export TEST_MEILI_API_KEY="$meili_key"
export TEST_MEILI_BIN="$meili_bin"

log "go test -race ./... $*"
go test -race -count=1 "$@" ./...
