#!/usr/bin/env bash
# Throwaway Virtuoso (apt package virtuoso-opensource) on loopback for luocdo's remote-store tests.
#
#   eval "$(.ci/virtuoso.sh start)"   # starts it, prints `export …` lines (endpoint, auth, dir)
#   .ci/virtuoso.sh stop [DIR]        # stops it and deletes its database directory
#
# The instance lives in a temporary directory with its own virtuoso.ini, listens only on
# 127.0.0.1 on two free ports (SQL and HTTP), and gets a random dba password. Tests write
# through the authenticated endpoint /sparql-auth (HTTP digest, user dba), so the anonymous
# /sparql endpoint stays read-only, as in a real deployment.
set -euo pipefail

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

write_ini() {  # $1 dir, $2 sql port, $3 http port
  cat > "$1/virtuoso.ini" <<INI
[Database]
DatabaseFile       = $1/virtuoso.db
ErrorLogFile       = $1/virtuoso.log
LockFile           = $1/virtuoso.lck
TransactionFile    = $1/virtuoso.trx
xa_persistent_file = $1/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $1/virtuoso-temp.db
TransactionFile    = $1/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$2
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., $1, /usr/share/virtuoso-opensource-7/vad
VADInstallDir        = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxQueryMem          = 256M

[HTTPServer]
ServerPort           = 127.0.0.1:$3
ServerRoot           = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
HTTPThreadSize       = 280000
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
INI
}

start() {
  command -v virtuoso-t >/dev/null || die "virtuoso-t not found: apt-get install -y virtuoso-opensource"
  command -v isql-vt >/dev/null || die "isql-vt not found: apt-get install -y virtuoso-opensource"
  local dir sql http pw url
  dir=${LUOCDO_VIRTUOSO_DIR:-$(mktemp -d -t luocdo-virtuoso.XXXXXX)}
  mkdir -p "$dir"
  sql=$(free_port); http=$(free_port)
  write_ini "$dir" "$sql" "$http"
  # Through Python: a new session, and no inherited descriptors (a caller's
  # $(…) pipe must not stay open in the server), with the server's own pid.
  python3 - "$dir" <<'PY' > "$dir/virtuoso.pid"
import subprocess, sys
d = sys.argv[1]
with open(f"{d}/stdout.log", "wb") as log:
    p = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", f"{d}/virtuoso.ini"],
                         cwd=d, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True, close_fds=True)
print(p.pid)
PY
  url="http://127.0.0.1:$http/sparql"
  for _ in $(seq 1 180); do
    if curl -fs -o /dev/null --max-time 2 "$url?query=ASK%7B%7D"; then break; fi
    kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null || { tail -20 "$dir/virtuoso.log" >&2; die "virtuoso exited"; }
    sleep 1
  done
  curl -fsS -o /dev/null --max-time 2 "$url?query=ASK%7B%7D" || die "no answer from $url after 180 s"
  pw=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  isql-vt "127.0.0.1:$sql" dba dba exec="USER_SET_PASSWORD('dba', '$pw');" >/dev/null \
    || die "could not set the dba password"
  echo "export LUOCDO_TEST_SPARQL_URL=$url-auth"
  echo "export LUOCDO_TEST_SPARQL_UPDATE_URL=$url-auth"
  echo "export LUOCDO_TEST_SPARQL_USER=dba"
  echo "export LUOCDO_TEST_SPARQL_PASSWORD=$pw"
  echo "export LUOCDO_TEST_SPARQL_AUTH=digest"
  echo "export LUOCDO_TEST_VIRTUOSO_DIR=$dir"
  echo "virtuoso.sh: endpoint $url (writes via $url-auth, digest auth, user dba)" >&2
}

stop() {
  local dir=${1:-${LUOCDO_TEST_VIRTUOSO_DIR:-}}
  [ -n "$dir" ] && [ -f "$dir/virtuoso.pid" ] || die "usage: virtuoso.sh stop DIR (DIR holds virtuoso.pid)"
  local pid; pid=$(cat "$dir/virtuoso.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  case "$dir" in */luocdo-virtuoso.*) rm -rf "$dir" ;; esac
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: virtuoso.sh start | stop [DIR]" ;;
esac
