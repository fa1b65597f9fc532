#!/usr/bin/env bash
# Reads that scale (issue 14): every read command of the papyra CLI on a generated 3,000,000-record
# (~575 MB) JSON-lines store, wall time and peak RSS, side by side with `persistence scan` on the
# same file in one run; the 5 newest records at 0.1 GB and 1 GB against the CLI's own start-up;
# the streaming API against the scan; and --follow latency with Fsync appends.
#   bench/read-commands.sh [work dir]      (needs ~2 GB free there; /usr/bin/time for peak RSS)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/papyra-read-bench}"
mkdir -p "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$repo/src/Papyra.Cli" -c Release --nologo -v quiet >/dev/null
dotnet build "$repo/bench/Papyra.Persistence.Benchmarks" -c Release --nologo -v quiet >/dev/null
papyra="$repo/src/Papyra.Cli/bin/Release/net10.0/papyra"
bench="dotnet $repo/bench/Papyra.Persistence.Benchmarks/bin/Release/net10.0/Papyra.Persistence.Benchmarks.dll"

gen() { [ -s "$2" ] || $bench generate "$2" "$1" >/dev/null; }
gen 3000000 "$work/store-3m.ndjson"
gen 520000 "$work/store-0.1gb.ndjson"
gen 5200000 "$work/store-1gb.ndjson"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); store: $(du -m "$work/store-3m.ndjson" | cut -f1) MB, 3,000,000 records"

measure() { # name, command...: median wall and CPU (user+sys) of 3 runs, max RSS of those runs
  local name="$1"; shift
  local walls=() cpus=() rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { echo "$name failed: $(tail -n 3 "$work/stderr.txt")"; return; }
    read -r wall kb user sys < "$work/time.txt"
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)"); [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local median cpu; median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p); cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 2p)
  printf '%-58s %7.2f s  %6.2f cpu s  %6d MB\n' "$name" "$median" "$cpu" "$((rss / 1024))"
  echo "$median" > "$work/last.txt"; echo "$cpu" > "$work/last-cpu.txt"
}

s="$work/store-3m.ndjson"
echo; echo "## every read command, 3M records (median of 3 runs, peak RSS)"
measure "persistence scan (the reference)" "$papyra" persistence scan --path "$s"; scan=$(cat "$work/last.txt"); scancpu=$(cat "$work/last-cpu.txt")
measure "persistence inspect" "$papyra" persistence inspect --path "$s"
measure "inspect summary" "$papyra" inspect summary --path "$s"
measure "inspect summary --json" "$papyra" inspect summary --path "$s" --json
measure "metrics persistence" "$papyra" metrics persistence --path "$s"
measure "inspect events --json (all 2.9M, streamed)" "$papyra" inspect events --path "$s" --json
measure "inspect events (tables, all)" "$papyra" inspect events --path "$s"
measure "inspect dead-letters --json" "$papyra" inspect dead-letters --path "$s" --json
measure "inspect audits --json" "$papyra" inspect audits --path "$s" --json
measure "inspect events --type ActorStarted --actor local:7 --json" "$papyra" inspect events --path "$s" --type ActorStarted --actor local:7 --json
measure "inspect events --limit 5" "$papyra" inspect events --path "$s" --limit 5
measure "inspect events --reverse --limit 5" "$papyra" inspect events --path "$s" --reverse --limit 5
measure "inspect events --max-records 1000 --json (retention)" "$papyra" inspect events --path "$s" --max-records 1000 --json
echo "(2x the scan's time is $(echo "$scan * 2" | bc) s, $(echo "$scancpu * 2" | bc) cpu s)"

echo; echo "## the 5 newest records against process start (papyra --help)"
measure "papyra --help (process start)" "$papyra" --help
for size in 0.1gb 1gb; do
  measure "inspect events --reverse --limit 5, $size" "$papyra" inspect events --path "$work/store-$size.ndjson" --reverse --limit 5
  measure "inspect events --limit 5 --json, $size" "$papyra" inspect events --path "$work/store-$size.ndjson" --limit 5 --json
done

echo; echo "## streaming API vs scan, same file"
$bench stream-read "$s" | tail -n +2

echo; echo "## --follow latency"
$bench follow-latency "$papyra" "$work" | tail -n +2
