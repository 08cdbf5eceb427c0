# registry.sh: sourced by deploy-agent and deploy-wait. What deploy.env asks
# for and which release of the registry that is.
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
