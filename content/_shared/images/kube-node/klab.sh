# shellcheck shell=bash
# klab.sh: helpers the Kubernetes labs' checks source (bash). They grade the
# learner's manifests in a namespace of their own, made fresh for each grading,
# so what counts is what the workspace holds, not what was fixed by hand.
#   . /usr/local/lib/kube-node/klab.sh

# klab_ns NAME: a fresh namespace for this grading; earlier gradings' go.
klab_ns() {
  kubectl get ns -l opslab-grade -o name 2>/dev/null | grep -v "^namespace/$1\$" | xargs -r kubectl delete --wait=false >/dev/null 2>&1
  kubectl get ns "$1" >/dev/null 2>&1 && return 0
  kubectl create ns "$1" >/dev/null && kubectl label ns "$1" opslab-grade=1 >/dev/null
}

# klab_apply NS DIR: apply every manifest under DIR into NS; say why not.
klab_apply() {
  local out
  if ! out=$(kubectl apply -n "$1" -R -f "$2" 2>&1); then
    echo "applied: no: kubectl apply -f ${2#/}:"; echo "$out" | sed 's/^/  /'; return 1
  fi
  echo "applied: yes"; echo "$out" | sed 's/^/  /'
}

# klab_rollout NS DEPLOY SECONDS: wait for the rollout to finish.
klab_rollout() {
  if kubectl -n "$1" rollout status "deploy/$2" --timeout "${3}s" >/dev/null 2>&1; then
    echo "rolled out: yes"
  else
    echo "rolled out: no: deployment $2 did not finish rolling out within ${3}s"
    kubectl -n "$1" get deploy,pods -o wide 2>&1 | sed 's/^/  /'
    return 1
  fi
}

# klab_ready NS SELECTOR: how many pods matching SELECTOR are Ready.
klab_ready() {
  kubectl -n "$1" get pods -l "$2" -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c '^ True$'
}

# klab_url NS SERVICE: http://CLUSTER-IP:PORT of the service's first port.
klab_url() {
  kubectl -n "$1" get svc "$2" -o jsonpath='http://{.spec.clusterIP}:{.spec.ports[0].port}/' 2>/dev/null
}

# klab_traffic URL SECONDS LOG: GETs URL about 10 times a second for SECONDS,
# in the background; each line of LOG: "T ok BODY" or "T fail CODE", T the
# seconds since the traffic began. Its pid is in $klab_traffic_pid.
klab_traffic() {
  local url=$1 secs=$2 log=$3 start body code
  : > "$log"
  (
    start=$SECONDS
    while [ $((SECONDS - start)) -lt "$secs" ]; do
      body=$(curl -s -m 2 -w '\n%{http_code}' "$url" 2>/dev/null)
      code=${body##*$'\n'}
      if [ "$code" = 200 ]; then echo "$((SECONDS - start)) ok ${body%$'\n'*}"; else echo "$((SECONDS - start)) fail ${code:-000}"; fi
      sleep 0.1
    done >> "$log"
  ) &
  # shellcheck disable=SC2034 # read by the caller
  klab_traffic_pid=$!
}

# klab_tally LOG: "N requests, F failed, answered by P pods".
klab_tally() {
  local n f p
  n=$(wc -l < "$1"); f=$(grep -c '^[0-9]* fail' "$1")
  p=$(grep '^[0-9]* ok' "$1" | awk '{print $NF}' | sort -u | wc -l)
  echo "$n requests, $f failed, answered by $p pods"
}

# klab_pod NS SELECTOR: the name of one Ready pod matching SELECTOR.
klab_pod() {
  kubectl -n "$1" get pods -l "$2" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | awk '$2 == "True" {print $1; exit}'
}
