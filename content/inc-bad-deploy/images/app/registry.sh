# shellcheck shell=sh
# registry.sh: sourced by deploy-agent, deploy-wait and agent-ready. What
# deploy.env asks for, which release of the registry that is, and whether the
# agent has settled.
CONF=/etc/deploy/deploy.env
REG=/srv/releases

# The RELEASE deploy.env asks for: a version, latest or previous.
asked() {
    r=$(sed -n 's/^[[:space:]]*RELEASE[[:space:]]*=[[:space:]]*//p' "$CONF" 2>/dev/null | tail -n 1 | tr -d "[:space:]\"'")
    echo "${r:-latest}"
}

# The version a RELEASE value names now; empty when there is none.
resolve() {
    case $1 in
        latest) tail -n 1 "$REG/HISTORY" | cut -d' ' -f1 ;;
        previous) n=$(wc -l < "$REG/HISTORY"); [ "$n" -ge 2 ] && sed -n "$((n - 1))p" "$REG/HISTORY" | cut -d' ' -f1 ;;
        *) echo "$1" ;;
    esac
}

# This boot's state line ("STATUS RELEASE BOOT", see deploy-agent) once the agent
# has settled: what it runs serves, or there is nothing to run. Fails otherwise.
# One read of the file: the agent may move to "starting" at any moment.
settled() {
    # shellcheck disable=SC2046 # the state line splits into its fields on purpose
    set -- $(cat /run/app/state 2>/dev/null)
    [ "${3:-}" = "$(cut -d' ' -f22 /proc/1/stat)" ] && [ "$1" != starting ] && echo "$*"
}
