#!/usr/bin/env bash
# Backup, verify and export (issue 16) on a generated 3,000,000-record (~575 MB) JSON-lines store:
# wall time and peak RSS of each papyra command side by side, in one run, with the command-line tools
# doing the same work on the same file: `tar -czf` (gzip -6, the level papyra's default "optimal"
# uses) and `tar -I 'gzip -1'` (papyra's "fastest"), `sha256sum` and `persistence scan`.
#   bench/backup.sh [work dir]      (needs ~1 GB free there; /usr/bin/time for peak RSS)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/papyra-backup-bench}"
mkdir -p "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$repo/src/Papyra.Cli" -c Release --nologo -v quiet >/dev/null
dotnet build "$repo/bench/Papyra.Persistence.Benchmarks" -c Release --nologo -v quiet >/dev/null
papyra="$repo/src/Papyra.Cli/bin/Release/net10.0/papyra"
bench="dotnet $repo/bench/Papyra.Persistence.Benchmarks/bin/Release/net10.0/Papyra.Persistence.Benchmarks.dll"

s="$work/store-3m.ndjson"
[ -s "$s" ] || $bench generate "$s" 3000000 >/dev/null
cd "$work"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; store: $(du -m "$s" | cut -f1) MB, 3,000,000 records"

measure() { # name, command...: median wall of 3 runs, max RSS of those runs
  local name="$1"; shift
  local walls=() rss=0
  for _ in 1 2 3; do
    rm -f "$work"/out.*
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { echo "$name failed: $(tail -n 3 "$work/stderr.txt")"; return; }
    read -r wall kb < "$work/time.txt"
    walls+=("$wall"); [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)
  printf '%-60s %7.2f s  %6d MB\n' "$name" "$median" "$((rss / 1024))"
  echo "$median" > "$work/last.txt"
}
t() { cat "$work/last.txt"; }
ratio() { echo "scale=0; 100 * $1 / $2" | bc; }

echo; echo "## backup create (median of 3 runs, peak RSS)"
measure "tar -czf (gzip -6)" tar -czf "$work/out.tar.gz" -C "$work" store-3m.ndjson; tar6=$(t)
measure "papyra backup create (optimal = gzip level 6)" "$papyra" backup create --path "$s" --out "$work/out.papyra.tar.gz"; create6=$(t)
ls -l "$work/out.papyra.tar.gz" >/dev/null 2>&1 || "$papyra" backup create --path "$s" --out "$work/out.papyra.tar.gz" >/dev/null
cp "$work/out.papyra.tar.gz" "$work/archive-optimal.tar.gz"
measure "tar -I 'gzip -1' -cf" tar -I 'gzip -1' -cf "$work/out.tar.gz" -C "$work" store-3m.ndjson; tar1=$(t)
measure "papyra backup create --compression fastest (gzip level 1)" "$papyra" backup create --path "$s" --out "$work/out.papyra.tar.gz" --compression fastest; create1=$(t)
tar -czf "$work/tar6.tar.gz" -C "$work" store-3m.ndjson
echo "sizes: tar -czf $(stat -c %s "$work/tar6.tar.gz") B, papyra optimal $(stat -c %s "$work/archive-optimal.tar.gz") B"
echo "create throughput vs tar, same level: optimal $(ratio "$tar6" "$create6") %, fastest $(ratio "$tar1" "$create1") % (target >= 80 %)"

echo; echo "## backup verify"
measure "sha256sum (the store)" sha256sum "$s"; sha=$(t)
measure "sha256sum (the archive)" sha256sum "$work/archive-optimal.tar.gz"
measure "papyra persistence scan" "$papyra" persistence scan --path "$s"; scan=$(t)
measure "papyra backup verify (gunzip + SHA-256 + scan of every line)" "$papyra" backup verify "$work/archive-optimal.tar.gz"; verify=$(t)
echo "verify throughput vs sha256sum + persistence scan ($(echo "$sha + $scan" | bc) s): $(ratio "$(echo "$sha + $scan" | bc)" "$verify") % (target >= 80 %)"

echo; echo "## export and audit"
measure "papyra export --format ndjson > /dev/null" "$papyra" export --path "$s"
measure "papyra export --format csv > /dev/null" "$papyra" export --path "$s" --format csv
measure "papyra export --kind dead_letter --format csv" "$papyra" export --path "$s" --kind dead_letter --format csv
measure "papyra persistence audit --max-records 1000000 (exit 2)" sh -c "'$papyra' persistence audit --path '$s' --max-records 1000000; [ \$? -eq 2 ]"

echo; echo "## backup restore"
measure "papyra backup restore (byte for byte)" sh -c "rm -f '$work/out.restored.ndjson' && '$papyra' backup restore '$work/archive-optimal.tar.gz' --path '$work/out.restored.ndjson'"
measure "tar -xzf" tar -xzf "$work/tar6.tar.gz" -C /tmp --transform "s|store-3m.ndjson|papyra-bench-out.untarred|"
rm -f /tmp/papyra-bench-out.untarred "$work"/out.* "$work/tar6.tar.gz"
