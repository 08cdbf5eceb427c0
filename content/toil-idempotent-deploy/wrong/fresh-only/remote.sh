# WRONG (the runbook typed into a script as it is: fine on a blank server,
# but `useradd`, `mkdir` and `ln -s` fail when what they make exists already,
# so a half-done server is never finished; and every run unpacks, rewrites
# and restarts again).
# Runs as root on one server: bash -s -- APP PORT VERSION BANNER INIT_BASE64
set -euo pipefail
APP=$1 PORT=$2 VERSION=$3 BANNER=$4 INIT=$5
ROOT=/opt/$APP

useradd --system --home-dir $ROOT --no-create-home --shell /usr/sbin/nologin $APP
mkdir $ROOT $ROOT/releases $ROOT/shared /etc/$APP /var/log/$APP
chown $APP:$APP $ROOT/shared /var/log/$APP
chown root:$APP /etc/$APP
chmod 750 $ROOT/shared /etc/$APP /var/log/$APP
mkdir $ROOT/releases/$VERSION
tar -xzf /srv/artifacts/$APP-$VERSION.tar.gz -C $ROOT/releases/$VERSION
printf 'name = %s\nport = %s\nbanner = %s\ndatabase = %s\nlog = %s\n' \
    $APP $PORT "$BANNER" $ROOT/shared/$APP.db /var/log/$APP/app.log > /etc/$APP/app.conf
chown root:$APP /etc/$APP/app.conf; chmod 640 /etc/$APP/app.conf
echo "$INIT" | base64 -d > /etc/init.d/$APP; chmod 755 /etc/init.d/$APP
sqlite3 $ROOT/shared/$APP.db < $ROOT/releases/$VERSION/migrate.sql
chown $APP:$APP $ROOT/shared/$APP.db; chmod 640 $ROOT/shared/$APP.db
ln -s releases/$VERSION $ROOT/current
/etc/init.d/$APP start
sleep 1
curl -fsS http://127.0.0.1:$PORT/healthz
cd $ROOT/releases && ls -1t | tail -n +4 | xargs -r rm -rf
echo $VERSION > $ROOT/DEPLOYED
