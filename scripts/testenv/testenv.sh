#!/usr/bin/env bash
# Self-contained test environment: a real PostgreSQL and a real single-node Apache Kafka (KRaft)
# broker on free 127.0.0.1 ports, no Docker.
#
#   testenv.sh up           start both (no-op when both already run and answer), write $STATE/env
#   testenv.sh down         stop both (whole process groups), remove their data; exit 0 if nothing runs
#   testenv.sh kafka-stop [--hard]   stop only the broker (SIGTERM, or SIGKILL with --hard); data and ports kept
#   testenv.sh kafka-start  start the broker again on the same ports with the same data; waits until ready
#   testenv.sh pg-restart   restart PostgreSQL (same port, same data); waits until ready
#   testenv.sh status       print what runs (exit 0 when both are healthy, 1 otherwise)
#   testenv.sh logs [-f] [N]  print the last N (default 50) lines of both logs; -f follows them
#   testenv.sh env          print the env file path (after checking it exists)
#
# Environment:
#   CARBON_TESTENV_DIR   state dir (default: <repo root>/.testenv)
#   CARBON_CACHE_DIR     download cache (default: $HOME/.cache/carbon); Kafka jars in kafka-<ver>/libs
#
# $STATE/env (source it) exports CARBON_TEST_DATABASE_URL, CARBON_TEST_KAFKA_BOOTSTRAP,
# CARBON_TEST_PG_PORT, CARBON_TEST_KAFKA_PORT.
set -euo pipefail

KAFKA_VERSION=4.1.1
KAFKA_READY_TIMEOUT=${CARBON_KAFKA_READY_TIMEOUT:-120}
PG_READY_TIMEOUT=${CARBON_PG_READY_TIMEOUT:-60}

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(git -C "$SCRIPT_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$SCRIPT_DIR/../.." && pwd))
STATE=${CARBON_TESTENV_DIR:-$REPO_ROOT/.testenv}
CACHE=${CARBON_CACHE_DIR:-${HOME:-/root}/.cache/carbon}
KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_POM=$SCRIPT_DIR/kafka-pom.xml

KDIR=$STATE/kafka
KDATA=$KDIR/data
KPROPS=$KDIR/server.properties
KPID=$KDIR/kafka.pid
KLOG=$KDIR/server.log
KOUT=$KDIR/stdout.log

PGROOT=$STATE/pg            # may be a symlink to /tmp/... when the postgres user cannot reach $STATE
ENV_FILE=$STATE/env

log() { printf '[testenv] %s\n' "$*" >&2; }
die() { printf '[testenv] ERROR: %s\n' "$*" >&2; exit 1; }

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1

as_root() {
  if ((IS_ROOT)); then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

apt_install() {
  log "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

port_in_use() {  # true when something listens on 127.0.0.1:$1
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

pid_alive() {  # pid_alive PID PATTERN: alive, not a zombie, and its cmdline contains PATTERN
  local pid=$1 pattern=$2 cmd state
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)
  [[ $state != Z ]] || return 1
  { cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline"); } 2>/dev/null || return 1
  [[ $cmd == *"$pattern"* ]]
}

pids_with_cmdline() {  # pids of processes whose command line contains the exact string $1
  local p cmd
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    { cmd=$(tr '\0' ' ' <"/proc/$p/cmdline"); } 2>/dev/null || continue
    [[ $cmd == *"$1"* ]] && echo "$p"
  done
  return 0
}

kill_group_or_pid() {  # kill_group_or_pid SIGNAL PID: whole process group when PID leads one
  local sig=$1 pid=$2 pgid
  pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)
  if [[ -n $pgid && $pgid == "$pid" ]]; then
    kill "-$sig" -- "-$pgid" 2>/dev/null || true
  else
    kill "-$sig" "$pid" 2>/dev/null || true
  fi
}

wait_gone() {  # wait_gone SECONDS PID...
  local deadline=$((SECONDS + $1)) p alive
  shift
  while :; do
    alive=0
    for p in "$@"; do
      if [[ -r /proc/$p/stat ]] && [[ $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) != Z ]]; then alive=1; fi
    done
    ((alive)) || return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

ISO_RC=0
isolated() {  # run a function in a subshell with `set -e` in force; its `die` ends only the subshell.
  # Its status goes to ISO_RC. Call it as a plain command: inside `if`/`||` bash would ignore `set -e`.
  set +e
  (set -e; "$@")
  ISO_RC=$?
  set -e
  return 0
}

with_lock() {  # serialize mutating subcommands (concurrent `up` from two test runs, etc.)
  mkdir -p "$STATE"
  chmod 755 "$STATE" 2>/dev/null || true
  exec 9>"$STATE/.lock"
  if ! flock -w 300 9; then die "could not lock $STATE/.lock within 300 s"; fi
}

# ---------------------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------------------
PG_BIN=""
find_pg_bin() {
  local d
  d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n1 || true)
  if [[ -z $d || ! -x $d/initdb ]]; then
    # Do not let the package create and start its own 'main' cluster: we only want the binaries.
    as_root mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.d/carbon-testenv.conf >/dev/null
    apt_install postgresql
    d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n1 || true)
    [[ -n $d && -x $d/initdb ]] || die "PostgreSQL install failed (no /usr/lib/postgresql/*/bin/initdb)"
  fi
  PG_BIN=$d
}

as_pg() {  # run a command as the postgres OS user when we are root (postgres refuses root)
  if ((IS_ROOT)); then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"
    else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else "$@"
  fi
}

pgr() {  # $STATE/pg with symlinks resolved: the only form handed to postgres (it may not reach $STATE)
  readlink -f "$PGROOT" 2>/dev/null || echo "$PGROOT"
}
pg_data() { echo "$(pgr)/data"; }
pg_port() { cat "$(pgr)/port" 2>/dev/null || true; }

pg_pid() {  # postmaster pid when it runs from our data dir
  local pidfile pid
  pidfile="$(pg_data)/postmaster.pid"
  [[ -r $pidfile ]] || return 1
  pid=$(head -n1 "$pidfile" 2>/dev/null || true)
  pid_alive "$pid" "$(pg_data)" || return 1
  echo "$pid"
}

pg_healthy() {  # strict: our postmaster runs, accepts connections, and `select 1` works over TCP
  local port
  port=$(pg_port)
  [[ -n $port ]] || return 1
  pg_pid >/dev/null || return 1
  [[ -n $PG_BIN ]] || find_pg_bin
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 3 || return 1
  PGPASSWORD=postgres PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -X -q -At -w \
    "host=127.0.0.1 port=$port user=postgres dbname=postgres" -c 'select 1' 2>/dev/null | grep -qx 1
}

pg_running_ok() {  # lenient, for `up`/`status` while tests may be using it (all 300 connections busy, load):
  # our postmaster runs and answers pg_isready within ~10 s. Never restart a server that is merely busy.
  local port deadline=$((SECONDS + 10))
  port=$(pg_port)
  [[ -n $port ]] || return 1
  pg_pid >/dev/null || return 1
  [[ -n $PG_BIN ]] || find_pg_bin
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 3; do
    ((SECONDS < deadline)) && pg_pid >/dev/null || return 1
    sleep 0.5
  done
}

pg_wait_ready() {
  local deadline=$((SECONDS + PG_READY_TIMEOUT))
  until pg_healthy; do
    if ((SECONDS >= deadline)); then
      tail -n 40 "$(pgr)/log" >&2 2>/dev/null || true
      die "PostgreSQL not ready after ${PG_READY_TIMEOUT}s (log: $PGROOT/log)"
    fi
    sleep 0.3
  done
}

pg_write_conf() {  # pg_write_conf PORT: settings that live in an included file so they can be rewritten
  local port=$1 real
  real=$(cd "$PGROOT" && pwd -P)
  cat >"$(pg_data)/testenv.conf" <<EOF
# written by scripts/testenv/testenv.sh: throwaway test cluster, durability traded for speed
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$real/run'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_checkpoints = off
log_line_prefix = '%m [%p] '
EOF
  echo "$port" >"$(pgr)/port"
  chown postgres:postgres "$(pg_data)/testenv.conf" 2>/dev/null || true
}

pg_prepare_root() {
  # $STATE/pg must be owned by postgres and reachable by it; the unix socket path must be short (<108).
  local target=""
  mkdir -p "$STATE"
  if [[ -L $PGROOT ]]; then
    target=$(readlink "$PGROOT")
    mkdir -p "$target"
  else
    mkdir -p "$PGROOT"
  fi
  if ((IS_ROOT)); then
    chown postgres:postgres "$PGROOT" "$target" 2>/dev/null || true
    chown -h postgres:postgres "$PGROOT" 2>/dev/null || true
  fi
  local real reachable=1
  real=$(cd "$PGROOT" && pwd -P)
  if ((IS_ROOT)) && ! as_pg test -w "$real" 2>/dev/null; then reachable=0; fi
  if ((reachable == 0)) || ((${#real} > 80)); then
    [[ -L $PGROOT ]] && die "postgres user cannot use $real"
    local alt
    alt=/tmp/carbon-testenv-pg-$(printf '%s' "$STATE" | md5sum | cut -c1-10)
    log "postgres cannot use $real (permissions or socket path length): using $alt (symlinked as $PGROOT)"
    rm -rf "$PGROOT" "$alt"
    mkdir -p "$alt"
    ((IS_ROOT)) && chown postgres:postgres "$alt"
    chmod 700 "$alt"
    ln -s "$alt" "$PGROOT"
  fi
}

pg_wipe() {
  local target=""
  [[ -L $PGROOT ]] && target=$(readlink "$PGROOT")
  rm -rf "$PGROOT"
  [[ -n $target && $target == /tmp/carbon-testenv-pg-* ]] && rm -rf "$target"
  return 0
}

pg_init() {
  local port=$1 pwfile
  log "initdb throwaway cluster in $(pg_data) (PostgreSQL $(basename "$(dirname "$PG_BIN")"))"
  pg_wipe
  pg_prepare_root
  mkdir -p "$(pgr)/run"
  pwfile=$(pgr)/.pw
  echo postgres >"$pwfile"
  ((IS_ROOT)) && chown -R postgres:postgres "$(pgr)/"
  chmod 600 "$pwfile"
  ((IS_ROOT)) && chown postgres:postgres "$pwfile"
  as_pg "$PG_BIN/initdb" -D "$(pg_data)" -U postgres --pwfile="$pwfile" -A trust \
    -E UTF8 --no-locale --no-sync >"$(pgr)/initdb.log" 2>&1 ||
    { tail -n 30 "$(pgr)/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  echo "include_if_exists = 'testenv.conf'" >>"$(pg_data)/postgresql.conf"
  pg_write_conf "$port"
  ((IS_ROOT)) && chown -R postgres:postgres "$(pgr)/"
  touch "$(pgr)/.initialized"
}

pg_start() {  # start our cluster (initdb when needed); assumes it is not running
  local port
  [[ -n $PG_BIN ]] || find_pg_bin
  port=$(pg_port)
  if [[ ! -f $(pgr)/.initialized || ! -f $(pg_data)/PG_VERSION || -z $port ]]; then
    port=$(free_port)
    pg_init "$port"
  else
    pg_prepare_root
    # Stale postmaster.pid from a killed run: pg_ctl copes mostly, but drop it when its pid is not ours.
    # Same for the unix socket lock file (a killed postmaster can linger as a zombie for a while, which
    # postgres takes for a live owner). The socket dir is ours alone and our postmaster is not running here.
    if ! pg_pid >/dev/null; then
      rm -f "$(pg_data)/postmaster.pid" "$(pgr)"/run/.s.PGSQL.*
    fi
    if port_in_use "$port"; then
      local newport
      newport=$(free_port)
      log "port $port is taken by another process: moving PostgreSQL to $newport"
      port=$newport
      pg_write_conf "$port"
    fi
  fi
  mkdir -p "$(pgr)/run"
  ((IS_ROOT)) && chown postgres:postgres "$(pgr)/run"
  touch "$(pgr)/log"
  ((IS_ROOT)) && chown postgres:postgres "$(pgr)/log"
  log "starting PostgreSQL on 127.0.0.1:$port"
  as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -l "$(pgr)/log" -w -t "$PG_READY_TIMEOUT" -s start >&2 9>&- ||
    { tail -n 30 "$(pgr)/log" >&2; die "pg_ctl start failed (log: $PGROOT/log)"; }
  pg_wait_ready
  log "PostgreSQL ready on 127.0.0.1:$port"
}

pg_stop() {  # pg_stop [MODE]: stop our cluster if it runs
  local mode=${1:-fast} pid
  if pid=$(pg_pid); then
    [[ -n $PG_BIN ]] || find_pg_bin
    log "stopping PostgreSQL (pid $pid, mode $mode)"
    as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -m "$mode" -w -t 30 -s stop >&2 2>/dev/null || true
    if ! wait_gone 5 "$pid"; then
      kill_group_or_pid KILL "$pid"
      wait_gone 10 "$pid" || true
    fi
  fi
  # Leftovers from a half-finished run (postmaster whose pid file was lost).
  if [[ -d $PGROOT ]]; then
    local real p
    real=$(cd "$PGROOT" 2>/dev/null && pwd -P || echo "$PGROOT")
    for p in $(pids_with_cmdline "-D $real/data") $(pids_with_cmdline "-D $PGROOT/data"); do
      log "killing leftover postgres pid $p"
      kill -KILL "$p" 2>/dev/null || true
    done
  fi
  return 0
}

pg_restart() {
  [[ -n $PG_BIN ]] || find_pg_bin
  if pg_pid >/dev/null && [[ -n $(pg_port) ]]; then
    log "restarting PostgreSQL on 127.0.0.1:$(pg_port)"
    as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -l "$(pgr)/log" -m fast -w -t "$PG_READY_TIMEOUT" -s restart >&2 9>&- ||
      { tail -n 30 "$(pgr)/log" >&2; die "pg_ctl restart failed"; }
    pg_wait_ready
    log "PostgreSQL ready on 127.0.0.1:$(pg_port)"
  else
    pg_start
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Kafka
# ---------------------------------------------------------------------------------------------------------
JAVA=""
find_java() {
  local j
  for j in /usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/java-17-openjdk-*/bin/java "$(command -v java || true)"; do
    [[ -n $j && -x $j ]] || continue
    if "$j" -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; then JAVA=$j; return 0; fi
  done
  apt_install openjdk-17-jre-headless
  for j in /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    [[ -x $j ]] && { JAVA=$j; return 0; }
  done
  die "no Java 17+ found"
}

kafka_libs_ok() {
  [[ -f $KAFKA_HOME/.complete && $(cat "$KAFKA_HOME/.complete") == "$1" && -f $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]
}

kafka_libs() {  # resolve the broker classpath into the cache once (marker = hash of the pom)
  local want marker=$KAFKA_HOME/.complete
  want=$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)
  kafka_libs_ok "$want" && return 0
  mkdir -p "$KAFKA_HOME"
  # Several state dirs (checkouts, CI) may share the cache: one resolver at a time.
  exec 8>"$KAFKA_HOME/.lock"
  flock -w 600 8 || die "could not lock $KAFKA_HOME/.lock"
  if kafka_libs_ok "$want"; then exec 8>&-; return 0; fi
  [[ -n $JAVA ]] || find_java
  command -v mvn >/dev/null 2>&1 || apt_install maven
  log "resolving Kafka $KAFKA_VERSION jars with Maven into $KAFKA_LIBS (first run only)"
  local tmp=$KAFKA_HOME/libs.tmp.$$
  rm -rf "$tmp"
  cp "$KAFKA_POM" "$KAFKA_HOME/pom.xml"  # run from the cache so nothing is written into the repo
  if ! JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") mvn -B -q -f "$KAFKA_HOME/pom.xml" \
    -Dmaven.repo.local="$CACHE/m2" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$KAFKA_HOME/mvn.log" 2>&1; then
    tail -n 40 "$KAFKA_HOME/mvn.log" >&2
    rm -rf "$tmp"
    die "maven could not resolve the Kafka broker classpath (log: $KAFKA_HOME/mvn.log)"
  fi
  [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar && -f $tmp/log4j-core-2.24.3.jar ]] || die "resolved classpath is incomplete ($tmp)"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  echo "$want" >"$marker"
  exec 8>&-
  log "Kafka classpath cached: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars"
}

kafka_pid() {
  local pid
  pid=$(cat "$KPID" 2>/dev/null || true)
  pid_alive "$pid" "$KPROPS" || return 1
  echo "$pid"
}

kafka_port() { cat "$KDIR/port" 2>/dev/null || true; }

kafka_healthy() {
  local port
  port=$(kafka_port)
  [[ -n $port ]] || return 1
  kafka_pid >/dev/null || return 1
  # Lenient (15 s) so that a broker that is merely busy serving tests is not taken for dead.
  python3 "$SCRIPT_DIR/wait_kafka.py" --bootstrap "127.0.0.1:$port" --pid "$(kafka_pid)" --timeout 15 --quiet 2>/dev/null
}

kafka_write_config() {  # kafka_write_config PORT CONTROLLER_PORT
  local port=$1 cport=$2
  cat >"$KPROPS" <<EOF
# written by scripts/testenv/testenv.sh: single-node KRaft broker+controller for tests
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$cport
log.dirs=$KDATA

num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true

offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1

# After a hard kill (kafka-stop --hard) the restarted broker must wait for its old session to expire
# before it is unfenced: 9 s by default, ~4 s with these.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=4000

group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
  echo "$port" >"$KDIR/port"
  echo "$cport" >"$KDIR/controller_port"
}

kafka_write_log4j() {
  cat >"$KDIR/log4j2.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- written by scripts/testenv/testenv.sh -->
<Configuration status="WARN">
  <Appenders>
    <File name="server" fileName="$KLOG" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="WARN"><AppenderRef ref="server"/></Root>
    <Logger name="kafka.server.KafkaRaftServer" level="INFO"/>
    <Logger name="kafka.server.BrokerServer" level="INFO"/>
    <Logger name="kafka.server.ControllerServer" level="INFO"/>
    <Logger name="kafka.server.KafkaConfig" level="WARN"/>
    <Logger name="org.apache.kafka.coordinator.group" level="INFO"/>
    <Logger name="state.change.logger" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

kafka_format() {
  local cid
  cid=$(python3 -c 'import base64, uuid
while True:
    s = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
    if not s.startswith("-"):
        print(s); break')
  echo "$cid" >"$KDIR/cluster_id"
  log "formatting Kafka storage (cluster id $cid)"
  "$JAVA" -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$KDIR/log4j2.xml" \
    kafka.tools.StorageTool format -t "$cid" -c "$KPROPS" >"$KDIR/format.log" 2>&1 ||
    { cat "$KDIR/format.log" >&2; die "kafka storage format failed"; }
  touch "$KDIR/.formatted"
}

kafka_kill_leftovers() {  # brokers started from our server.properties whose pid file was lost
  local p
  for p in $(pids_with_cmdline "$KPROPS"); do
    [[ $(ps -o comm= -p "$p" 2>/dev/null) == java ]] || continue
    log "killing leftover broker pid $p"
    kill_group_or_pid KILL "$p"
    wait_gone 10 "$p" || true
  done
}

# kafka_start MODE: MODE=up may pick new ports if the old ones are taken; MODE=restart must keep them.
kafka_start() {
  local mode=$1 port cport
  [[ -n $JAVA ]] || find_java
  kafka_libs
  mkdir -p "$KDIR"
  port=$(kafka_port)
  cport=$(cat "$KDIR/controller_port" 2>/dev/null || true)
  kafka_kill_leftovers
  rm -f "$KPID"
  if [[ ! -f $KDIR/.formatted || ! -f $KDATA/meta.properties || -z $port || -z $cport ]]; then
    [[ $mode == up || -z $port ]] || log "no formatted broker data in $KDIR: formatting a new one on port $port"
    rm -rf "$KDATA" "$KDIR/.formatted"
    if [[ -z $port || -z $cport ]] || port_in_use "$port" || port_in_use "$cport"; then
      port=$(free_port)
      cport=$(free_port)
      while [[ $cport == "$port" ]]; do cport=$(free_port); done
    fi
    kafka_write_config "$port" "$cport"
    kafka_write_log4j
    kafka_format
  else
    if port_in_use "$port" || port_in_use "$cport"; then
      if [[ $mode == restart ]]; then
        die "cannot restart the broker: port $port or $cport is taken by another process"
      fi
      port=$(free_port)
      cport=$(free_port)
      while [[ $cport == "$port" ]]; do cport=$(free_port); done
      log "old Kafka ports are taken: moving the broker to $port (controller $cport)"
    fi
    kafka_write_config "$port" "$cport"  # same ports unless moved; picks up config changes of this script
    kafka_write_log4j
  fi
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$port (controller 127.0.0.1:$cport)"
  : >>"$KLOG"
  echo "===== $(date '+%F %T') testenv start =====" >>"$KOUT"
  local mark
  mark=$(wc -c <"$KLOG")
  # Own session and process group (setsid) so `down`/`kafka-stop` can kill the whole group;
  # stdin/stdout/stderr detached so callers capturing our output never hang on the broker.
  setsid "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KDIR/log4j2.xml" -Dkafka.logs.dir="$KDIR" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KPROPS" </dev/null >>"$KOUT" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$KPID"
  # Readiness: the new "Kafka Server started" line (only the part of the log written by this start),
  # then a real Metadata round trip listing the broker. Fail fast if the JVM dies.
  local newlog=$KDIR/.startlog
  local deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
  while :; do
    tail -c +"$((mark + 1))" "$KLOG" >"$newlog" 2>/dev/null || true
    if ! pid_alive "$pid" "$KPROPS"; then
      sleep 0.5  # let the last log lines land
      log "Kafka JVM (pid $pid) exited during startup; what it logged ($KOUT, $KLOG):"
      tail -n 10 "$KOUT" >&2 || true
      tail -c +"$((mark + 1))" "$KLOG" 2>/dev/null | tail -n 40 >&2 || true
      rm -f "$newlog"
      rm -f "$KPID"
      die "Kafka failed to start"
    fi
    grep -q "Kafka Server started" "$newlog" && break
    if ((SECONDS >= deadline)); then
      tail -n 40 "$KLOG" >&2 || true
      kafka_stop KILL
      die "Kafka did not log 'Kafka Server started' within ${KAFKA_READY_TIMEOUT}s"
    fi
    sleep 0.2
  done
  rm -f "$newlog"
  local left=$((deadline - SECONDS))
  ((left > 5)) || left=5
  if ! python3 "$SCRIPT_DIR/wait_kafka.py" --bootstrap "127.0.0.1:$port" --pid "$pid" --timeout "$left" --warm-groups --quiet; then
    tail -n 40 "$KLOG" >&2 || true
    kafka_stop KILL
    die "Kafka broker did not answer a Metadata request"
  fi
  log "Kafka ready on 127.0.0.1:$port (pid $pid)"
}

kafka_stop() {  # kafka_stop [TERM|KILL]
  local sig=${1:-TERM} pid
  if pid=$(kafka_pid); then
    log "stopping Kafka (pid $pid, SIG$sig)"
    kill_group_or_pid "$sig" "$pid"
    if ! wait_gone 30 "$pid"; then
      log "Kafka did not stop within 30s: SIGKILL"
      kill_group_or_pid KILL "$pid"
      wait_gone 10 "$pid" || true
    fi
  fi
  rm -f "$KPID"
  [[ -d $KDIR ]] && kafka_kill_leftovers
  return 0
}

# ---------------------------------------------------------------------------------------------------------
write_env() {
  local pgport kport tmp
  pgport=$(pg_port)
  kport=$(kafka_port)
  [[ -n $pgport && -n $kport ]] || die "ports unknown; run up"
  tmp=$ENV_FILE.tmp.$$
  cat >"$tmp" <<EOF
export CARBON_TEST_DATABASE_URL=postgresql+asyncpg://postgres:postgres@127.0.0.1:$pgport/postgres
export CARBON_TEST_KAFKA_BOOTSTRAP=127.0.0.1:$kport
export CARBON_TEST_PG_PORT=$pgport
export CARBON_TEST_KAFKA_PORT=$kport
EOF
  chmod 644 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

cmd_up() {
  with_lock
  local t0=$SECONDS
  if pg_running_ok && kafka_healthy; then
    write_env
    log "already up (PostgreSQL 127.0.0.1:$(pg_port), Kafka 127.0.0.1:$(kafka_port)); env: $ENV_FILE"
    return 0
  fi
  rm -f "$ENV_FILE"
  if pg_running_ok; then
    log "PostgreSQL already up on 127.0.0.1:$(pg_port)"
  else
    pg_stop immediate
    isolated pg_start
    if ((ISO_RC != 0)); then
      log "PostgreSQL did not start from the existing data: wiping it and retrying once"
      pg_stop immediate
      pg_wipe
      pg_start
    fi
  fi
  if kafka_healthy; then
    log "Kafka already up on 127.0.0.1:$(kafka_port)"
  else
    kafka_stop KILL
    isolated kafka_start up
    if ((ISO_RC != 0)); then
      log "Kafka did not start from the existing data: wiping it and retrying once"
      kafka_stop KILL
      rm -rf "$KDIR"
      kafka_start up
    fi
  fi
  write_env
  log "up in $((SECONDS - t0))s; env file: $ENV_FILE"
}

cmd_down() {
  with_lock
  kafka_stop TERM
  pg_stop immediate
  rm -rf "$KDIR" "$ENV_FILE"
  pg_wipe
  log "down; removed data under $STATE"
}

cmd_kafka_stop() {
  with_lock
  local sig=TERM
  [[ ${1:-} == --hard || ${1:-} == --kill ]] && sig=KILL
  if ! kafka_pid >/dev/null; then log "Kafka is not running"; fi
  kafka_stop "$sig"
}

cmd_kafka_start() {
  with_lock
  if kafka_healthy; then
    log "Kafka already up on 127.0.0.1:$(kafka_port)"
    return 0
  fi
  kafka_stop KILL
  kafka_start restart
  if [[ -n $(pg_port) ]]; then write_env; fi
}

cmd_pg_restart() {
  with_lock
  pg_restart
  if [[ -n $(kafka_port) ]]; then write_env; fi
}

cmd_status() {
  local rc=0 pid
  echo "state dir : $STATE"
  if pid=$(pg_pid 2>/dev/null); then
    if pg_running_ok; then echo "postgresql: up      pid $pid  127.0.0.1:$(pg_port)  data $(pg_data)"
    else echo "postgresql: running pid $pid but NOT answering on 127.0.0.1:$(pg_port)"; rc=1; fi
  else
    echo "postgresql: down$([[ -d $(pg_data) ]] && echo " (data kept in $(pg_data), port $(pg_port))")"
    rc=1
  fi
  if pid=$(kafka_pid); then
    if kafka_healthy; then echo "kafka     : up      pid $pid  127.0.0.1:$(kafka_port)  data $KDATA"
    else echo "kafka     : running pid $pid but NOT answering on 127.0.0.1:$(kafka_port)"; rc=1; fi
  else
    echo "kafka     : down$([[ -d $KDATA ]] && echo " (data kept in $KDATA, port $(kafka_port))")"
    rc=1
  fi
  if [[ -f $ENV_FILE ]]; then echo "env file  : $ENV_FILE"; else echo "env file  : (none)"; fi
  return $rc
}

cmd_logs() {
  local follow=0 n=50 a files=()
  for a in "$@"; do
    case $a in
      -f | --follow) follow=1 ;;
      [0-9]*) n=$a ;;
      *) die "usage: logs [-f] [N]" ;;
    esac
  done
  [[ -f $(pgr)/log ]] && files+=("$(pgr)/log")
  [[ -f $KLOG ]] && files+=("$KLOG")
  [[ -f $KOUT ]] && files+=("$KOUT")
  ((${#files[@]})) || { log "no logs under $STATE"; return 0; }
  if ((follow)); then exec tail -n "$n" -F "${files[@]}"; else tail -n "$n" "${files[@]}"; fi
}

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    kafka-stop) cmd_kafka_stop "$@" ;;
    kafka-start) cmd_kafka_start ;;
    pg-restart) cmd_pg_restart ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    env) [[ -f $ENV_FILE ]] || die "no env file; run up"; echo "$ENV_FILE" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
