#!/usr/bin/env bash
# Lints the committed OpenAPI spec (openapi/openapi.yaml, or the file given)
# with Redocly's and Spectral's recommended rulesets (redocly.yaml,
# .spectral.yaml). Fails on any error; warnings are shown and pass.
#
# The linters are the versions pinned in deploy/local/speclint/package-lock.json,
# installed with `npm ci` (integrity-checked, no install scripts) under
# .local/speclint on first use, and again whenever the pins change.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/lib.sh

spec=${1:-openapi/openapi.yaml}
pins=deploy/local/speclint
dir=$PWD/.local/speclint

if ! cmp -s "$pins/package-lock.json" "$dir/package-lock.json" ||
	[ ! -x "$dir/node_modules/.bin/redocly" ] || [ ! -x "$dir/node_modules/.bin/spectral" ]; then
	command -v npm >/dev/null || die "npm is needed to install the spec linters"
	log "installing the pinned spec linters under $dir"
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$pins/package.json" "$pins/package-lock.json" "$dir/"
	npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi

export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
status=0
log "redocly lint $spec (recommended)"
"$dir/node_modules/.bin/redocly" lint --config redocly.yaml --format stylish "$spec" || status=1
log "spectral lint $spec (spectral:oas)"
"$dir/node_modules/.bin/spectral" lint --ruleset .spectral.yaml --fail-severity error "$spec" || status=1
exit "$status"
