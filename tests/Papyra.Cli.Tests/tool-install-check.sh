#!/usr/bin/env bash
# Packs the papyra CLI as a dotnet tool, installs it from that local folder into a temporary
# tool path, and runs `papyra --help` and a scan of a real file through the installed tool.
# Usage: tests/Papyra.Cli.Tests/tool-install-check.sh   (from anywhere; exits non-zero on failure)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The pack produces papyra (the pointer package), papyra.linux-x64 (ReadyToRun) and papyra.any (portable).
dotnet pack "$repo/src/Papyra.Cli/Papyra.Cli.csproj" -c Release -o "$work/feed" --nologo -v quiet
for package in papyra papyra.linux-x64 papyra.any; do
  ls "$work/feed/$package".[0-9]*.nupkg >/dev/null 2>&1 || { echo "tool-install-check: $package package missing from the pack" >&2; exit 1; }
done
version="$(ls "$work/feed" | sed -n 's/^papyra\.\([0-9][0-9.]*[^.]*\)\.nupkg$/\1/p' | head -n1)"
test -n "$version" || { echo "tool-install-check: no papyra package in $work/feed" >&2; exit 1; }

dotnet tool install papyra --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null
papyra="$work/tools/papyra"

"$papyra" --help | grep -q "persistence" || { echo "tool-install-check: papyra --help does not list the persistence group" >&2; exit 1; }

printf '%s\n' '{"kind":"event","system_id":"local","actor_address":{"system":"local","actor_id":1},"event_type":"ActorStarted","payload":{},"timestamp":1.0}' > "$work/events.ndjson"
"$papyra" persistence scan --path "$work/events.ndjson" --json | grep -q '"healthy": true' \
  || { echo "tool-install-check: the installed tool did not report the store healthy" >&2; exit 1; }

set +e
printf 'not json\n' >> "$work/events.ndjson"
"$papyra" persistence scan --path "$work/events.ndjson" >/dev/null
status=$?
set -e
test "$status" -eq 2 || { echo "tool-install-check: expected exit 2 for a damaged store, got $status" >&2; exit 1; }

# The Redis client ships inside the tool: an unreachable server is an I/O error (74), never a
# missing assembly (70). Port 1 on loopback has no server.
set +e
"$papyra" persistence scan --backend redis --redis-url redis://127.0.0.1:1/0 >/dev/null 2>&1
status=$?
set -e
test "$status" -eq 74 || { echo "tool-install-check: expected exit 74 for an unreachable Redis, got $status" >&2; exit 1; }
# The dashboard ships inside the tool too: Papyra.Hosting's embedded page on the ASP.NET Core runtime.
"$papyra" dashboard --path "$work/events.ndjson" --port 0 --json > "$work/dashboard.json" 2> "$work/dashboard.err" &
dashboard=$!
for _ in $(seq 1 300); do grep -q '"url"' "$work/dashboard.json" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*"url": "\(.*\)".*/\1/p' "$work/dashboard.json")"
# Fetched to files first: `curl | grep -q` fails under pipefail when grep stops reading early (curl exit 23).
curl -fsS "${url}data" -o "$work/dashboard-data.json" || true
curl -fsS "${url}dashboard.js" -o "$work/dashboard.js" || true
if ! grep -q '"source":"store"' "$work/dashboard-data.json" 2>/dev/null || ! grep -q 'EventSource' "$work/dashboard.js" 2>/dev/null; then
  kill "$dashboard" 2>/dev/null || true
  echo "tool-install-check: papyra dashboard did not serve its page and data ($(cat "$work/dashboard.err"))" >&2
  exit 1
fi
kill "$dashboard"
wait "$dashboard" 2>/dev/null || true

installed="$(ls "$work/tools/.store/papyra/$version" | grep -v '\.json$' | tr '\n' ' ')"
echo "tool-install-check: installed packages: $installed"
echo "tool-install-check: papyra $version packed, installed and ran (help, healthy scan exit 0, damaged scan exit 2, unreachable Redis exit 74, dashboard served)"
