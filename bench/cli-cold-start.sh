#!/usr/bin/env bash
# Cold start of the papyra CLI: median wall time (and CPU) of `papyra persistence scan --path <1 kB file>`,
# for the portable build (JIT) and for the installed dotnet tool (ReadyToRun package on linux-x64).
# Usage: bench/cli-cold-start.sh [runs]   (uses hyperfine when installed, else a timed loop)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The JIT baseline: the same app without ReadyToRun (what the portable "any" package runs).
dotnet publish "$repo/src/Papyra.Cli/Papyra.Cli.csproj" -c Release -o "$work/portable" -p:PublishReadyToRun=false --nologo -v quiet
dotnet pack "$repo/src/Papyra.Cli/Papyra.Cli.csproj" -c Release -o "$work/feed" --nologo -v quiet
version="$(ls "$work/feed" | sed -n 's/^papyra\.\([0-9][0-9.]*[^.]*\)\.nupkg$/\1/p' | head -n1)"
dotnet tool install papyra --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null

# A 1 kB store: whole event lines up to 1024 bytes.
line='{"kind":"event","system_id":"local","actor_address":{"system":"local","actor_id":1},"event_type":"ActorStarted","payload":{},"timestamp":1700000000.0}'
: > "$work/store.ndjson"
while [ $(( $(wc -c < "$work/store.ndjson") + ${#line} + 1 )) -le 1024 ]; do echo "$line" >> "$work/store.ndjson"; done
echo "store: $(wc -c < "$work/store.ndjson") bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"

scan="persistence scan --path $work/store.ndjson"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/result.json" \
    -n jit "$work/portable/papyra $scan" -n tool-readytorun "$work/tools/papyra $scan"
  python3 - "$work/result.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]:16} median wall {statistics.median(r["times"])*1000:6.0f} ms   mean CPU (user+sys) {(r["user"]+r["system"])*1000:5.0f} ms')
PY
else
  for variant in "jit:$work/portable/papyra" "tool-readytorun:$work/tools/papyra"; do
    name="${variant%%:*}"; bin="${variant#*:}"
    for _ in $(seq "$runs"); do
      start=$(date +%s%N); "$bin" $scan >/dev/null; end=$(date +%s%N)
      echo $(( (end - start) / 1000000 ))
    done | sort -n | awk -v n="$name" '{a[NR]=$1} END {print n, "median wall", a[int((NR+1)/2)], "ms"}'
  done
fi
