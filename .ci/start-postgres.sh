#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server as the `postgres` user on a temp directory and a free port,
# and prints its admin URL. Usage: url=$(bash .ci/start-postgres.sh /tmp/some-dir)
set -euo pipefail
dir=${1:-$(mktemp -d /tmp/townhall-pg.XXXXXX)}
bin=/usr/lib/postgresql/15/bin
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
install -d -o postgres -g postgres "$dir"
su postgres -s /bin/sh -c "$bin/initdb -D '$dir/data' -A trust -U postgres --no-sync >'$dir/initdb.log' 2>&1"
su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -w -t 60 -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on\" start >/dev/null"
echo "postgres://postgres@127.0.0.1:$port/postgres"
