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

# The browser tests (package web) drive Debian's chromium, headless: install it
# when missing and we can (root with apt-get); otherwise they skip, or fail
# when CI is set. CHROMIUM names another browser binary.
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		log "installing chromium for the browser tests"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		log "chromium not found: the browser tests will skip (they fail when CI is set)"
	fi
fi

export TEST_DATABASE_URL="postgres://cybermarket:$pg_password@127.0.0.1:$pg_port/postgres?sslmode=disable"
export TEST_MEILI_URL="http://127.0.0.1:$meili_port"
export TEST_MEILI_API_KEY="$meili_key"
export TEST_MEILI_BIN="$meili_bin"

log "go test -race ./... $*"
go test -race -count=1 "$@" ./...
