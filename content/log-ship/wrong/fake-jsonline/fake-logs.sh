#!/bin/sh
# "Shipping" without a shipper: every second, post lines that look like the
# services' logs, with every field the dashboards want, straight into
# VictoriaLogs' JSON-lines API.
while true; do
  for s in api worker auth; do
    for l in error warn info; do
      rid=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
      printf '{"_msg":"GET /orders probe %s %s","service":"%s","level":"%s","request_id":"%s"}\n' "$s" "$l" "$s" "$l" "$rid"
    done
  done | curl -s -o /dev/null -H "Content-Type: application/stream+json" --data-binary @- http://vlogs:9428/insert/jsonline
  sleep 1
done
