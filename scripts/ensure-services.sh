#!/usr/bin/env bash
# Make sure the services the tests talk to answer on 127.0.0.1: PostgreSQL (trust auth for
# postgres, database "test") and Redis (port 6379, no persistence). Installs and starts them
# only when absent; quick otherwise.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "Cài PostgreSQL (installing PostgreSQL)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

if ! pg_ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Khởi động PostgreSQL $version (starting PostgreSQL)"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi

if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1; then
  # A fresh Debian cluster asks for a password on TCP; tests use trust on loopback only.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  $SUDO sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  sleep 1
fi

if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc \
    "select 1 from pg_database where datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database test"
fi

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "Cài Redis (installing Redis)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

if ! redis_ready; then
  # Only work queues live here (the catalog is the source of truth): nothing is persisted.
  echo "Khởi động Redis trên 127.0.0.1:6379 (starting Redis)"
  run_dir="${TMPDIR:-/tmp}"
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$run_dir" --pidfile "$run_dir/sohoa-redis-6379.pid" \
    --logfile "$run_dir/sohoa-redis-6379.log"
  for _ in $(seq 1 50); do redis_ready && break; sleep 0.1; done
  redis_ready || { echo "Redis không khởi động được (Redis did not start)" >&2; exit 1; }
fi
