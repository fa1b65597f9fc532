#!/usr/bin/env bash
# Approves every snapshot under api/ from the current code: runs the snapshot tests with
# PAPYRA_APPROVE=1, which rewrites the approved files. Review `git diff api/` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
PAPYRA_APPROVE=1 dotnet test Papyra.sln "$@"
find api -name '*.received.*' -delete
git status --short api/
