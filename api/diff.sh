#!/usr/bin/env bash
# Prints what changed under api/ (approved snapshots, the compatibility baseline) between two git refs:
#
#   api/diff.sh <base-ref> <head-ref>   changes made on <head-ref> since it left <base-ref> (git diff base...head),
#                                       which is what a pull request from head into base changes
#   api/diff.sh <base-ref>              the working tree (tracked files, committed or not) against <base-ref>
#
# A summary of changed files comes first, then the unified diff; binary baseline packages appear in the summary.
# Unapproved api/*.received.* files are never part of it. Exit status: 0 (whether or not anything changed),
# 2 on bad usage or an unknown ref.
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"

for ref in "$@"; do
  if ! git rev-parse --verify --quiet "${ref}^{commit}" >/dev/null; then
    echo "api/diff.sh: unknown git ref '${ref}'" >&2
    exit 2
  fi
done

if [ "$#" -eq 2 ]; then
  range=("$1...$2")
  label="$1...$2"
else
  range=("$1")
  label="$1 -> working tree"
fi

paths=(-- api/ ':(exclude)api/*.received.*' ':(exclude)api/**/*.received.*')
summary=$(git --no-pager diff --stat=200 "${range[@]}" "${paths[@]}")
if [ -z "$summary" ]; then
  echo "api/ unchanged (${label})"
  exit 0
fi

echo "api/ changes (${label}):"
echo "$summary"
echo
git --no-pager diff --no-color --no-ext-diff "${range[@]}" "${paths[@]}"
