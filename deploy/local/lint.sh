#!/usr/bin/env bash
# Static checks beyond gofmt and vet: staticcheck and golangci-lint (config in
# .golangci.yml), both at pinned versions installed into .local/tools when
# missing. .ci/run calls this; run it yourself with deploy/local/lint.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

GOLANGCI_LINT_VERSION=v2.15.0
STATICCHECK_VERSION=v0.8.2 # honnef.co/go/tools, 2026.x series
tools="$PWD/.local/tools"
mkdir -p "$tools"

# install NAME PACKAGE VERSION: go install into $tools unless that version is there.
install() {
	local name=$1 pkg=$2 version=$3 stamp="$tools/$1.version"
	if [ -x "$tools/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
		return
	fi
	log "installing $name $version"
	GOBIN="$tools" go install "$pkg@$version"
	echo "$version" >"$stamp"
}
install golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint "$GOLANGCI_LINT_VERSION"
install staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION"

log "staticcheck ./..."
"$tools/staticcheck" ./...
log "golangci-lint run ./..."
"$tools/golangci-lint" run ./...
