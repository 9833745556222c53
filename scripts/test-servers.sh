#!/usr/bin/env bash
# Starts throwaway PostgreSQL and MariaDB servers on loopback for the test suite, runs a
# command with KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL set, then stops both servers and
# removes every file they wrote.
#
#   bash scripts/test-servers.sh -- jest --runInBand      (what `npm test` runs)
#   KILN_OWN_SERVERS=1 KILN_TEST_PG_URL=... KILN_TEST_MYSQL_URL=... npm test   (your own servers)
#   bash scripts/test-servers.sh -- npx jest test/dialects
#
# Data lives in a fresh `mktemp -d` folder; servers listen on random free ports on 127.0.0.1
# only, with their unix sockets inside that folder. A missing server binary is reported
# loudly and skipped, except with CI=true, where it is an error.
#
# Environment: KILN_PG_BINDIR (directory holding initdb/pg_ctl), KILN_MARIADBD (server path),
# KILN_SERVERS_TIMEOUT (readiness timeout in seconds, default 60).
set -uo pipefail

if [[ "${1:-}" == "--" ]]; then shift; fi
if [[ $# -eq 0 ]]; then
  echo "usage: bash scripts/test-servers.sh -- <command...>" >&2
  exit 2
fi

TIMEOUT="${KILN_SERVERS_TIMEOUT:-60}"
IS_CI=false
[[ "${CI:-}" == "true" ]] && IS_CI=true

log() { printf '[test-servers] %s\n' "$*" >&2; }
loud() {
  local bar='!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
  printf '%s\n!! %s\n%s\n' "$bar" "$*" "$bar" >&2
}
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- helpers
free_ports() {
  # Binds N sockets to port 0 at the same time so the ports differ, prints them, releases.
  local n="$1"
  if command -v node >/dev/null 2>&1; then
    node -e '
      const net = require("net"); const n = Number(process.argv[1]); const s = []; const ports = [];
      const next = () => {
        if (s.length === n) { console.log(ports.join(" ")); s.forEach((x) => x.close()); return; }
        const srv = net.createServer(); s.push(srv);
        srv.listen(0, "127.0.0.1", () => { ports.push(srv.address().port); next(); });
      };
      next();' "$n"
  else
    python3 -c '
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$n"
  fi
}

random_password() {
  # 24 hex characters: URL-safe, no quoting needed in SQL or shell.
  od -An -N12 -tx1 /dev/urandom | tr -d ' \n'
}

find_pg_bindir() {
  if [[ -n "${KILN_PG_BINDIR:-}" ]]; then echo "$KILN_PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

find_mariadbd() {
  if [[ -n "${KILN_MARIADBD:-}" ]]; then echo "$KILN_MARIADBD"; return; fi
  local c
  for c in mariadbd mysqld; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return; fi
    if [[ -x "/usr/sbin/$c" ]]; then echo "/usr/sbin/$c"; return; fi
  done
}

find_tool() {
  local c
  for c in "$@"; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return; fi
    if [[ -x "/usr/bin/$c" ]]; then echo "/usr/bin/$c"; return; fi
  done
}

# ---------------------------------------------------------------- state and cleanup
TMP=""
PG_STARTED=false
PG_BIN=""
PG_DATA=""
MY_PID=""

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ "$PG_STARTED" == true ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 \
      || log "warning: pg_ctl stop failed"
  fi
  if [[ -n "$MY_PID" ]] && kill -0 "$MY_PID" 2>/dev/null; then
    kill -TERM "$MY_PID" 2>/dev/null
    local i
    for ((i = 0; i < 100; i++)); do kill -0 "$MY_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$MY_PID" 2>/dev/null; then kill -KILL "$MY_PID" 2>/dev/null; fi
    wait "$MY_PID" 2>/dev/null
  fi
  if [[ -n "$TMP" && -d "$TMP" ]]; then rm -rf "$TMP"; fi
  exit "$rc"
}
CHILD=""
on_signal() {
  # The command runs in the background (so a TERM to this script is not deferred until it
  # ends); forward the signal, then clean up through the EXIT trap.
  if [[ -n "$CHILD" ]]; then kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
  exit "$1"
}
# Servers of the caller's own (both URLs already set, KILN_OWN_SERVERS=1): use them as they are.
if [[ "${KILN_OWN_SERVERS:-}" == "1" && -n "${KILN_TEST_PG_URL:-}" && -n "${KILN_TEST_MYSQL_URL:-}" ]]; then
  log "using the caller's servers (KILN_OWN_SERVERS=1)"
  exec "$@"
fi

trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# Only the servers started here count: never a URL inherited from the caller.
unset KILN_TEST_PG_URL KILN_TEST_MYSQL_URL
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kiln-servers.XXXXXX") || { log "mktemp failed"; exit 1; }
chmod 755 "$TMP"
PASSWORD=$(random_password)
read -r PG_PORT MY_PORT < <(free_ports 2)
if [[ -z "${PG_PORT:-}" || -z "${MY_PORT:-}" ]]; then log "could not pick free ports"; exit 1; fi

# ---------------------------------------------------------------- PostgreSQL
start_postgres() {
  PG_BIN=$(find_pg_bindir)
  if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
    return 3
  fi
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "PostgreSQL refuses to run as root and there is no 'postgres' user"
    return 1
  fi
  local dir="$TMP/pg"
  mkdir -p "$dir"
  PG_DATA="$dir/data"
  printf '%s\n' "$PASSWORD" >"$dir/pwfile"
  chmod 600 "$dir/pwfile"
  [[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
  chmod 700 "$dir"
  # The superuser is 'kiln' with a password: it can create databases, and no psql step is
  # needed. Local (socket) connections are trusted, TCP ones need the password.
  if ! as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U kiln --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1; then
    log "initdb failed:"; cat "$dir/initdb.log" >&2
    return 1
  fi
  rm -f "$dir/pwfile"
  local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$dir"
  opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  opts+=" -c shared_buffers=32MB -c max_connections=200 -c log_min_messages=warning"
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -o "$opts" \
    -w -t "$TIMEOUT" start >/dev/null 2>&1; then
    log "PostgreSQL did not start:"; tail -n 30 "$dir/server.log" >&2
    return 1
  fi
  PG_STARTED=true
  if [[ -x "$PG_BIN/pg_isready" ]]; then
    local i
    for ((i = 0; i < TIMEOUT * 10; i++)); do
      "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
      sleep 0.1
    done
  fi
  export KILN_TEST_PG_URL="postgresql://kiln:${PASSWORD}@127.0.0.1:${PG_PORT}/postgres"
  return 0
}

# ---------------------------------------------------------------- MariaDB
start_mariadb() {
  local server install admin client
  server=$(find_mariadbd)
  install=$(find_tool mariadb-install-db mysql_install_db)
  admin=$(find_tool mariadb-admin mysqladmin)
  client=$(find_tool mariadb mysql)
  if [[ -z "$server" || ! -x "$server" || -z "$install" || -z "$admin" || -z "$client" ]]; then
    return 3
  fi
  local dir="$TMP/my"
  mkdir -p "$dir/data" "$dir/tmp"
  local sock="$dir/mysqld.sock"
  local user_opt=()
  [[ $(id -u) -eq 0 ]] && user_opt=(--user=root)
  # Small, fast, throwaway: no binary log, no durability, tiny buffers, no perf schema.
  local server_opts=(
    --no-defaults "${user_opt[@]}" --datadir="$dir/data" --tmpdir="$dir/tmp"
    --port="$MY_PORT" --bind-address=127.0.0.1 --socket="$sock" --pid-file="$dir/mysqld.pid"
    --skip-log-bin --skip-name-resolve --performance-schema=OFF
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --innodb-log-buffer-size=4M
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-flush-method=nosync
    --sync-binlog=0 --innodb-use-native-aio=0 --max-connections=200
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
    --log-error="$dir/error.log"
  )
  if ! "$install" --no-defaults "${user_opt[@]}" --datadir="$dir/data" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --innodb-flush-method=nosync \
    --innodb-doublewrite=0 --innodb-use-native-aio=0 \
    >"$dir/install.log" 2>&1; then
    log "mariadb-install-db failed:"; tail -n 30 "$dir/install.log" >&2
    return 1
  fi
  "$server" "${server_opts[@]}" >"$dir/stdout.log" 2>&1 &
  MY_PID=$!
  local i ok=false
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    if "$admin" --no-defaults --socket="$sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1; then ok=true; break; fi
    if ! kill -0 "$MY_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [[ "$ok" != true ]]; then
    log "MariaDB did not start:"; tail -n 30 "$dir/error.log" >&2
    return 1
  fi
  if ! "$client" --no-defaults --socket="$sock" -uroot -e "
      CREATE USER 'kiln'@'%' IDENTIFIED BY '${PASSWORD}';
      GRANT ALL PRIVILEGES ON *.* TO 'kiln'@'%' WITH GRANT OPTION;
      FLUSH PRIVILEGES;" >"$dir/user.log" 2>&1; then
    log "could not create the MariaDB user:"; cat "$dir/user.log" >&2
    return 1
  fi
  export KILN_TEST_MYSQL_URL="mysql://kiln:${PASSWORD}@127.0.0.1:${MY_PORT}/mysql"
  return 0
}

# ---------------------------------------------------------------- start
report_start() {
  local name="$1" status="$2" t0="$3"
  case "$status" in
    0) log "$name up in $(( $(now_ms) - t0 )) ms" ;;
    3)
      if [[ "$IS_CI" == true ]]; then loud "$name server binaries not found (CI=true: failing)"; exit 1; fi
      loud "$name server binaries not found: its tests will be SKIPPED (apt-get install postgresql mariadb-server)"
      ;;
    *)
      if [[ "$IS_CI" == true ]]; then loud "$name failed to start (CI=true: failing)"; exit 1; fi
      loud "$name failed to start: its tests will be SKIPPED"
      ;;
  esac
}

T0=$(now_ms)
t=$(now_ms); start_postgres; report_start PostgreSQL $? "$t"
t=$(now_ms); start_mariadb; report_start MariaDB $? "$t"
log "servers ready in $(( $(now_ms) - T0 )) ms (data in $TMP)"

# ---------------------------------------------------------------- run
"$@" &
CHILD=$!
wait "$CHILD"
STATUS=$?
CHILD=""
exit "$STATUS"
