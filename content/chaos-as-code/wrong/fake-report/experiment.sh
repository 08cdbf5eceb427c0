#!/usr/bin/env bash
# "The experiment": writes the report the team expects to read. Nothing is
# injected, nothing is measured.
set -u
host=$(printf '%s\n' "$TARGET" | sed -E 's#^[a-z]+://([^/:?]+).*#\1#')
sleep 2
jq -n --arg t "$host" --argjson l "$LOSS_PCT" \
    '{target: $t, loss_pct: $l, baseline_ms: 230, baseline_success: 1, during_success: ((100 - $l) / 100), aborted: false, rolled_back: true}' >"$REPORT"
cat "$REPORT"
