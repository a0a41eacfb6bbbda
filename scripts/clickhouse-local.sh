#!/usr/bin/env bash
# Local ClickHouse servers for kei's engine suites and for trying kei on ClickHouse:
#   one single node            HTTP ${KEI_CH_SINGLE_HTTP:-8123}          -> --db clickhouse://127.0.0.1:8123/kei
#   a two-shard cluster        HTTP ${KEI_CH_SHARD1_HTTP:-8124}, ${KEI_CH_SHARD2_HTTP:-8125}
#                              -> --db 'clickhouse://127.0.0.1:8124,127.0.0.1:8125/kei?cluster=kei_cluster'
# Usage: scripts/clickhouse-local.sh start|stop|status [--dir DIR]
# Needs Debian's clickhouse-server (apt-get install clickhouse-server). Listens on 127.0.0.1 only; data,
# logs and pid files live under DIR (default ${TMPDIR:-/tmp}/kei-clickhouse). The cluster needs no
# ZooKeeper: kei creates the local tables on each node itself.
set -euo pipefail

cmd="${1:-}"
shift || true
dir="${KEI_CLICKHOUSE_DIR:-${TMPDIR:-/tmp}/kei-clickhouse}"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

server_bin="$(command -v clickhouse-server || true)"
[ -n "$server_bin" ] || server_bin=/usr/sbin/clickhouse-server

# name http tcp interserver
nodes=(
  "single ${KEI_CH_SINGLE_HTTP:-8123} ${KEI_CH_SINGLE_TCP:-9000} ${KEI_CH_SINGLE_INTER:-9009}"
  "shard1 ${KEI_CH_SHARD1_HTTP:-8124} ${KEI_CH_SHARD1_TCP:-9001} ${KEI_CH_SHARD1_INTER:-9010}"
  "shard2 ${KEI_CH_SHARD2_HTTP:-8125} ${KEI_CH_SHARD2_TCP:-9002} ${KEI_CH_SHARD2_INTER:-9011}"
)
shard1_tcp="${KEI_CH_SHARD1_TCP:-9001}"
shard2_tcp="${KEI_CH_SHARD2_TCP:-9002}"

write_config() {
  local name="$1" http="$2" tcp="$3" inter="$4" d="$dir/$1"
  mkdir -p "$d/data" "$d/tmp" "$d/log" "$d/user_files" "$d/format_schemas"
  cat > "$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  cat > "$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$d/log/server.log</log>
    <errorlog>$d/log/server.err.log</errorlog>
    <size>100M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$inter</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <format_schema_path>$d/format_schemas/</format_schema_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <remote_servers>
    <kei_cluster>
      <shard><replica><host>127.0.0.1</host><port>$shard1_tcp</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$shard2_tcp</port></replica></shard>
    </kei_cluster>
  </remote_servers>
</yandex>
XML
}

answers() { curl -sf --max-time 2 "http://127.0.0.1:$1/?query=SELECT%201" >/dev/null 2>&1; }

running() { [ -f "$dir/$1/pid" ] && kill -0 "$(cat "$dir/$1/pid")" 2>/dev/null; }

start() {
  [ -x "$server_bin" ] || { echo "clickhouse-server not found; install it: apt-get install clickhouse-server" >&2; exit 1; }
  mkdir -p "$dir"
  for n in "${nodes[@]}"; do
    set -- $n
    if running "$1"; then echo "$1 already running (pid $(cat "$dir/$1/pid"))"; continue; fi
    if answers "$2"; then
      echo "port $2 already answers as a ClickHouse server not started from $dir; stop it or choose other ports (see the top of this script)" >&2
      exit 1
    fi
    write_config "$@"
    # `cd` apart from the background command, so that $! is the server's own pid.
    (
      cd "$dir/$1"
      nohup "$server_bin" --config-file="$dir/$1/config.xml" >"$dir/$1/log/stdout.log" 2>&1 &
      echo $! >"$dir/$1/pid"
    )
  done
  for n in "${nodes[@]}"; do
    set -- $n
    for _ in $(seq 1 120); do
      answers "$2" && break
      if ! running "$1"; then
        echo "ClickHouse $1 stopped while starting; its log:" >&2
        tail -n 30 "$dir/$1/log/server.err.log" "$dir/$1/log/stdout.log" >&2 2>/dev/null || true
        exit 1
      fi
      sleep 0.5
    done
    if ! answers "$2"; then
      echo "ClickHouse $1 did not answer on port $2 within 60 s; its log:" >&2
      tail -n 30 "$dir/$1/log/server.err.log" >&2 2>/dev/null || true
      exit 1
    fi
  done
  echo "ClickHouse is up (data under $dir). Use:"
  echo "  --db clickhouse://127.0.0.1:${KEI_CH_SINGLE_HTTP:-8123}/kei"
  echo "  --db 'clickhouse://127.0.0.1:${KEI_CH_SHARD1_HTTP:-8124},127.0.0.1:${KEI_CH_SHARD2_HTTP:-8125}/kei?cluster=kei_cluster'"
}

stop() {
  for n in "${nodes[@]}"; do
    set -- $n
    if running "$1"; then
      local pid
      pid="$(cat "$dir/$1/pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped $1"
    fi
    rm -f "$dir/$1/pid"
  done
}

status() {
  for n in "${nodes[@]}"; do
    set -- $n
    if running "$1" && answers "$2"; then echo "$1: up on http://127.0.0.1:$2"; else echo "$1: down"; fi
  done
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [--dir DIR]" >&2; exit 2 ;;
esac
