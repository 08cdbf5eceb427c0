#!/bin/sh
# Converge every server of [app] to release $1 with banner $2.
# Different tools from deploy.sh-style answers: install -d for folders,
# tar --diff to judge a release, kill -HUP for the reload, find for pruning.
set -eu
cd "$(dirname "$0")"
[ $# -eq 2 ] || { echo "usage: ./deploy VERSION BANNER" >&2; exit 2; }
version=$1 banner=$2
eval "$(grep -E '^(APP|PORT)=' target.env)"
init_b64=$(base64 -w0 files/app.init)
failed=0
for host in $(sed -n '/^\[app\]/,/^\[/{/^[a-z0-9]/p}' inventory.ini); do
  ssh "$host" "A='$APP' P='$PORT' V='$version' B='$banner' I='$init_b64' sh -eu" <<'REMOTE' || failed=1
R=/opt/$A; REL=$R/releases/$V; ART=/srv/artifacts/$A-$V.tar.gz; DB=$R/shared/$A.db
changed=""
getent passwd "$A" >/dev/null || useradd -r -d "$R" -M -s /usr/sbin/nologin "$A"
[ "$(getent passwd "$A" | cut -d: -f6-)" = "$R:/usr/sbin/nologin" ] || usermod -d "$R" -s /usr/sbin/nologin "$A"
install -d -o root -g root -m 755 "$R" "$R/releases"
install -d -o "$A" -g "$A" -m 750 "$R/shared" "/var/log/$A"
install -d -o root -g "$A" -m 750 "/etc/$A"
if ! tar -dzf "$ART" -C "$REL" >/dev/null 2>&1; then
  rm -rf "$R/releases/.new-$V"; mkdir "$R/releases/.new-$V"
  tar -xzf "$ART" -C "$R/releases/.new-$V"
  rm -rf "$REL"; mv "$R/releases/.new-$V" "$REL"
  changed="$changed release"
fi
put() {  # put PATH OWNER:GROUP MODE < content
  t=$(mktemp); cat > "$t"   # outside the target folder: a temp file there would touch its mtime
  if cmp -s "$t" "$1"; then rm -f "$t"; else chown "$2" "$t"; chmod "$3" "$t"; mv "$t" "$1"; changed="$changed $1"; fi
  [ "$(stat -c %U:%G:%a "$1")" = "$2:$3" ] || { chown "$2" "$1"; chmod "$3" "$1"; }
}
printf 'name = %s\nport = %s\nbanner = %s\ndatabase = %s\nlog = /var/log/%s/app.log\n' "$A" "$P" "$B" "$DB" "$A" | put "/etc/$A/app.conf" "root:$A" 640
echo "$I" | base64 -d | put "/etc/init.d/$A" root:root 755
have=$( [ -f "$DB" ] && sqlite3 "$DB" 'PRAGMA user_version' || echo 0 )
[ "$have" -ge "$(cat "$REL/SCHEMA")" ] || sqlite3 "$DB" < "$REL/migrate.sql"
[ "$(stat -c %U:%G:%a "$DB")" = "$A:$A:640" ] || { chown "$A:$A" "$DB"; chmod 640 "$DB"; }
if [ "$(readlink "$R/current" || :)" != "$REL" ]; then
  ln -sfn "$REL" "$R/current.new" && mv -T "$R/current.new" "$R/current"
  changed="$changed current"
fi
if ! "/etc/init.d/$A" status >/dev/null; then "/etc/init.d/$A" start
elif [ -n "$changed" ]; then kill -HUP "$(cat "/run/$A.pid")"; fi
i=0
until curl -fs "http://127.0.0.1:$P/healthz" | grep -q "^ok release $V "; do
  i=$((i+1)); [ $i -lt 40 ] || { echo "$(hostname): unhealthy" >&2; exit 1; }; sleep 0.25
done
find "$R/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %f\n' | sort -rn | tail -n +4 |
  while read -r _ old; do [ "$old" = "$V" ] || rm -rf "$R/releases/$old"; done
echo "$V" | put "$R/DEPLOYED" root:root 644
echo "$(hostname): $A $V (changed:${changed:- nothing})"
REMOTE
done
exit $failed
