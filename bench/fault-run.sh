#!/usr/bin/env bash
# The crash-and-fault run (issue 21): real child processes SIGKILLed at random points while they
# append (json, rotating), run an actor system (json, rotating), compact (json, rotating) and
# repair; and a real full disk (a 2 MiB tmpfs; needs root). Each scenario prints one line:
# kills, acknowledged records checked, missing (must be 0; a missing record fails the run), and
# every anomaly seen. CI runs the same tests with 20 kills per scenario.
#
#   bench/fault-run.sh            # 100 kills per scenario
#   bench/fault-run.sh 500        # more
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
log=$(mktemp)
PAPYRA_FAULT_RUNS=$runs dotnet test tests/Papyra.Runtime.Tests -c Release \
  --filter "FullyQualifiedName~CrashSafetyTests|FullyQualifiedName~DiskFullTests" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || { tail -n 60 "$log"; echo "fault run FAILED (full log: $log)"; exit 1; }
grep -E '^ *fault-run ' "$log" | sed 's/^ *//'
grep -E '(Passed|Failed) Papyra\.Runtime\.Tests\.Persistence\.Faults\.DiskFullTests' "$log" | sed -E 's/^ *//; s/Papyra\.Runtime\.Tests\.Persistence\.Faults\.DiskFullTests\./disk-full: /'
grep -E 'Total tests|Passed!|Failed!' "$log" | sed 's/^ *//' || true
rm -f "$log"
