#!/usr/bin/env bash
# content-scripts.sh: lists the shell scripts of the labs (content/), one per
# line: files whose first line is a sh or bash shebang, and files that say
# "# shellcheck shell=" (sourced libraries). They run inside the labs, so CI
# checks them with shellcheck like our own scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
find content -type f ! -name '*.py' ! -name '*.go' -print0 | sort -z |
  while IFS= read -r -d '' f; do
    first=$(head -n 1 "$f" 2>/dev/null || true)
    if [[ $first =~ ^#!.*(/|[[:space:]])(ba)?sh([[:space:]]|$) ]] || [[ $first == "# shellcheck shell="* ]]; then
      printf '%s\n' "$f"
    fi
  done
