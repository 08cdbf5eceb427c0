# WRONG ("idempotent" by skipping whatever exists: an existing folder keeps
# its wrong mode, a half-unpacked release stays half, a wrong config stays).
# Runs as root on one server: bash -s -- APP PORT VERSION BANNER INIT_BASE64
set -euo pipefail
APP=$1 PORT=$2 VERSION=$3 BANNER=$4 INIT=$5
ROOT=/opt/$APP
REL=$ROOT/releases/$VERSION
DB=$ROOT/shared/$APP.db
RELOAD=0
say() { echo "$(hostname): $*"; }

# A folder with its owner, group and mode (mode as stat prints it: 750).
folder() {
    [ -d "$1" ] && return 0   # exists: done
    mkdir -p "$1"; chown "$2:$3" "$1"; chmod "$4" "$1"; say "created $1"
}
# A file with this content, owner, group and mode; written (atomically) only when it differs.
file() {
    local path=$1 owner=$2 group=$3 mode=$4 content=$5
    if [ ! -f "$path" ]; then   # exists: done
        local tmp; tmp=$(mktemp "$path.XXXXXX")
        printf '%s' "$content" > "$tmp"
        chown "$owner:$group" "$tmp"; chmod "$mode" "$tmp"
        mv -f "$tmp" "$path"
        say "wrote $path"; return 0
    fi
    if [ "$(stat -c %U:%G:%a "$path")" != "$owner:$group:$mode" ]; then
        chown "$owner:$group" "$path"; chmod "$mode" "$path"; say "fixed owner/mode of $path"
    fi
    return 1
}

# 1. the system user
if ! getent passwd "$APP" >/dev/null; then
    useradd --system --home-dir "$ROOT" --no-create-home --shell /usr/sbin/nologin "$APP"
    say "created user $APP"
fi

# 2. folders
folder "$ROOT" root root 755
folder "$ROOT/releases" root root 755
folder "$ROOT/shared" "$APP" "$APP" 750
folder "/etc/$APP" root "$APP" 750
folder "/var/log/$APP" "$APP" "$APP" 750

# 3. the release, complete (unpacked next to it, then renamed into place)
if [ ! -d "$REL" ]; then   # unpacked already
    tmp=$(mktemp -d "$ROOT/releases/.unpack.XXXXXX")
    tar -xzf "/srv/artifacts/$APP-$VERSION.tar.gz" -C "$tmp"
    chmod 755 "$tmp"
    rm -rf "$REL"
    mv "$tmp" "$REL"
    say "unpacked $VERSION"
fi

# 4. config
conf="name = $APP
port = $PORT
banner = $BANNER
database = $DB
log = /var/log/$APP/app.log
"
if file "/etc/$APP/app.conf" root "$APP" 640 "$conf"; then RELOAD=1; fi

# 5. service script
init=$(echo "$INIT" | base64 -d; echo x)   # the x keeps the final newline
file "/etc/init.d/$APP" root root 755 "${init%x}" || true

# 6. database schema
have=0
[ -f "$DB" ] && have=$(sqlite3 "$DB" 'PRAGMA user_version')
need=$(cat "$REL/SCHEMA")
if [ "$have" -lt "$need" ]; then
    sqlite3 "$DB" < "$REL/migrate.sql"
    say "migrated $DB from schema $have to $need"
fi
[ "$have" = 0 ] && { chown "$APP:$APP" "$DB"; chmod 640 "$DB"; }

# 7. current -> releases/VERSION, replaced in one rename
if [ "$(readlink "$ROOT/current" || true)" != "releases/$VERSION" ]; then
    ln -sfn "releases/$VERSION" "$ROOT/.current.new"
    mv -T "$ROOT/.current.new" "$ROOT/current"
    say "current -> releases/$VERSION"
    RELOAD=1
fi

# 8. start, or reload when something changed; never restart
if ! "/etc/init.d/$APP" status >/dev/null; then
    "/etc/init.d/$APP" start
    say "started $APP"
elif [ "$RELOAD" = 1 ]; then
    "/etc/init.d/$APP" reload
    say "reloaded $APP"
fi

# 9. health check
healthy=0
for _ in $(seq 40); do
    if curl -fsS -m 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null | grep -q "^ok release $VERSION "; then healthy=1; break; fi
    sleep 0.25
done
if [ "$healthy" != 1 ]; then
    say "health check failed: $(curl -sS -m 2 "http://127.0.0.1:$PORT/healthz" 2>&1)"
    exit 1
fi

# 10. prune: the 3 most recently unpacked releases stay, the current always
cd "$ROOT/releases"
ls -1t | tail -n +4 | while read -r old; do
    [ "$old" = "$VERSION" ] && continue
    rm -rf -- "$old"
    say "pruned $old"
done

# 11. record
file "$ROOT/DEPLOYED" root root 644 "$VERSION
" || true
say "$APP $VERSION deployed"
