#!/usr/bin/env bash
# README's test command: installs what the tests need when it is missing, then runs every test.
#
# The tests start their own servers and browser (redis-server and Redis Cluster nodes on free 127.0.0.1
# ports, Debian's chromium for the dashboard's browser tests); they only need the programs. As root on
# Debian/Ubuntu the missing ones are installed with apt-get; otherwise this says what to install and stops.
# Extra arguments go to `dotnet test` (for example --filter ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
[ -n "${PAPYRA_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: the tests need ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and run again." >&2
    exit 1
  fi
fi

exec dotnet test Papyra.sln -c Release "$@"
