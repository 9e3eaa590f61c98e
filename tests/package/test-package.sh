#!/bin/sh
# The counter PC as a technician installs it: the Debian packages built from
# this tree (dpkg-buildpackage), installed with apt on this machine, and the
# installed programs run (never the build tree's).
#
#   test-package.sh SOURCE_DIR
#
# Root only, and only on a machine that is not a counter PC already (no
# /var/lib/parcelscreen): it installs, upgrades, removes and purges the
# packages. Otherwise it is skipped (77).
#
# 1. fresh install: the kiosk session started headless (cage), the program
#    on its first-run page, a screenshot taken (grim) and kept;
# 2. a counter database of the previous release (schema 4) left in a clerk's
#    home folder: moved once to /var/lib/parcelscreen with a backup, migrated
#    after a backup of the old schema, owned by parcelscreen, mode 0600,
#    audit verify passes;
# 3. the installed parcelscreenctl: config check, db check, a simulated day,
#    its export and export verify;
# 4. systemd-analyze verify on every unit, the udev rule, AppStream and the
#    desktop file;
# 5. a downgrade (a newer schema): refused with a clear message, untouched;
# 6. apt remove and apt purge keep the database and say where it is;
# 7. the hub's package alone: its programs, unit and user.
set -u
src=$(cd "$1" && pwd)
# The installed programs, as a technician runs them: nothing of the build
# tree's test environment (its configuration and data folders).
unset XDG_CONFIG_HOME XDG_DATA_HOME PARCELSCREEN_SYSTEM_CONFIG PARCELSCREEN_DATADIR \
    PARCELSCREEN_LOCALEDIR PARCELSCREENCTL PARCELSCREEN
shots=${PS_SCREENSHOT_DIR:-${G_TEST_BUILDDIR:-/tmp}/screenshots}
status=0
step() { printf '\n# %s\n' "$*"; }
ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; status=1; }
check() { # check DESCRIPTION COMMAND...
    what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: installing packages needs root"; exit 77
fi
if [ -e /var/lib/parcelscreen ] || dpkg -s parcelscreen >/dev/null 2>&1; then
    echo "SKIP: this machine is a counter PC already (/var/lib/parcelscreen or the package exists)"
    exit 77
fi
for tool in dpkg-buildpackage dh apt-get cage grim systemd-analyze appstreamcli lintian; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed"; exit 77
    fi
done

work=$(mktemp -d /tmp/ps-package-XXXXXX)
chmod 755 "$work"
stop_kiosk() {
    # runuser's child session outlives runuser: stop cage and the program.
    [ -n "${kiosk:-}" ] && kill "$kiosk" 2>/dev/null
    pkill -TERM -u parcelscreen -x cage 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        pgrep -u parcelscreen >/dev/null 2>&1 || break
        sleep 0.5
    done
    pkill -KILL -u parcelscreen 2>/dev/null
    kiosk=""
}
cleanup() {
    stop_kiosk
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q parcelscreen parcelscreen-hub >/dev/null 2>&1
    rm -rf /var/lib/parcelscreen /home/ps-test-clerk "$work"
    userdel ps-test-clerk 2>/dev/null
    true
}
trap cleanup EXIT

step "Building the packages"
mkdir "$work/src"
(cd "$src" && git ls-files -z 2>/dev/null | xargs -0 -I{} cp --parents {} "$work/src/") ||
    cp -a "$src/." "$work/src/"
if ! (cd "$work/src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
    tail -30 "$work/build.log"; fail "dpkg-buildpackage"; exit 1
fi
ok "dpkg-buildpackage -us -uc -b"
lintian_out=$(lintian "$work"/parcelscreen_*.changes 2>&1)
echo "$lintian_out" | sed 's/^/  lintian: /'
if echo "$lintian_out" | grep -q '^E:'; then fail "lintian reports errors"; else ok "lintian: no errors"; fi
counter_deb=$(ls "$work"/parcelscreen_*.deb)
hub_deb=$(ls "$work"/parcelscreen-hub_*.deb)

step "1. Fresh install and the kiosk session"
check "apt installs the counter package" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$counter_deb" >"$work/apt1.log" 2>&1
check "the parcelscreen system user exists" id parcelscreen
check "/var/lib/parcelscreen is parcelscreen's, mode 0700" \
    test "$(stat -c '%U %a' /var/lib/parcelscreen)" = "parcelscreen 700"
check "the kiosk unit is enabled for the next boot" \
    test -L /etc/systemd/system/graphical.target.wants/parcelscreen-kiosk.service
runtime=$work/runtime
mkdir -m 700 "$runtime" && chown parcelscreen:parcelscreen "$runtime"
runuser -u parcelscreen -- env HOME=/var/lib/parcelscreen XDG_RUNTIME_DIR="$runtime" \
    WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    WLR_HEADLESS_OUTPUTS=1 LANGUAGE=vi LC_ALL=C.UTF-8 \
    sh -c "$(sed -n 's/^ExecStart=//p' /lib/systemd/system/parcelscreen-kiosk.service)" \
    >"$work/kiosk.log" 2>&1 &
kiosk=$!
shot="$shots/kiosk-first-run.png"
mkdir -p "$shots"
taken=no
for _ in $(seq 1 30); do
    sleep 1
    socket=$(ls "$runtime" 2>/dev/null | grep '^wayland-[0-9]*$' | head -1)
    [ -n "$socket" ] || continue
    # The program's window needs a moment after the compositor.
    sleep 4
    if runuser -u parcelscreen -- env XDG_RUNTIME_DIR="$runtime" WAYLAND_DISPLAY="$socket" \
        grim "$runtime/kiosk.png" 2>>"$work/kiosk.log"; then
        taken=yes; break
    fi
done
if [ $taken = yes ] && kill -0 $kiosk 2>/dev/null; then
    cp "$runtime/kiosk.png" "$shot"
    ok "the kiosk session runs headless and its screenshot is kept ($shot)"
else
    cat "$work/kiosk.log"; fail "the kiosk session"
fi
check "the program runs as parcelscreen inside cage" pgrep -u parcelscreen -x parcelscreen
stop_kiosk
check "the kiosk session stopped, nothing of it left" sh -c "! pgrep -u parcelscreen"
# Its first-run page created the (empty) database; the upgrade below starts
# from a clerk's old one instead.
rm -f /var/lib/parcelscreen/counter.db /var/lib/parcelscreen/counter.db-wal \
      /var/lib/parcelscreen/counter.db-shm /var/lib/parcelscreen/counter.db.pin-key
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q parcelscreen >/dev/null 2>&1

step "2. An older release's database in a clerk's home folder"
useradd -m ps-test-clerk
old=/home/ps-test-clerk/.local/share/parcelscreen
mkdir -p "$old"
cp "$src/tests/package/counter-schema4.db" "$old/counter.db"
chown -R ps-test-clerk: /home/ps-test-clerk/.local
chmod 600 "$old/counter.db"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$counter_deb" >"$work/apt2.log" 2>&1
cat "$work/apt2.log" | grep '^parcelscreen:' | sed 's/^/  /'
db=/var/lib/parcelscreen/counter.db
check "the database was moved to $db" test -f "$db"
check "the old file was left, renamed, in the home folder" \
    sh -c "ls $old/counter.db.moved-* >/dev/null 2>&1 && test ! -e $old/counter.db"
check "the move said where the database went" grep -q "was moved to $db" "$work/apt2.log"
check "it is parcelscreen's, mode 0600" test "$(stat -c '%U %a' "$db")" = "parcelscreen 600"
version() { runuser -u parcelscreen -- env LC_ALL=C.UTF-8 LANGUAGE= /usr/bin/parcelscreenctl db migrate --dry-run --db "$1" 2>&1; }
before=$(grep -o '/var/lib/parcelscreen/backups/counter-before-upgrade-[^ ]*\.db' "$work/apt2.log" | head -1)
check "the upgrade took a backup before the migration and said where ($before)" test -f "$before"
case "$(sqlite3 "$before" 'PRAGMA user_version' 2>&1)" in
    4) ok "the backup is of the old schema (4)" ;;
    *) fail "the backup is of the old schema (4)" ;;
esac
case "$(version "$db")" in
    *already*) ok "the database is at the program's schema" ;;
    *) fail "the database is at the program's schema: $(version "$db")" ;;
esac
check "audit verify passes on the migrated database" \
    runuser -u parcelscreen -- /usr/bin/parcelscreenctl audit verify --db "$db"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$counter_deb" >"$work/apt3.log" 2>&1
check "a reinstall at the same schema takes no new backup" \
    sh -c "! grep -q 'before its upgrade' $work/apt3.log"

step "3. The installed programs"
ctl() { runuser -u parcelscreen -- env HOME=/var/lib/parcelscreen LANGUAGE=en /usr/bin/parcelscreenctl "$@"; }
check "parcelscreenctl config check" ctl config check
check "parcelscreenctl db check" ctl db check
sim=$work/sim
mkdir "$sim" && chown parcelscreen: "$sim"
check "a simulated day" ctl simulate --db "$sim/day.db" --parcels 40 --hold-rate 0.2 --seed 9
check "a signing key" ctl keys generate --key "$sim/signing.key"
day=$(sqlite3 "$sim/day.db" "SELECT decided_day FROM parcels LIMIT 1")
printf '[counter]\noffice-code=BC-700000\ncounter-id=03\n[relay]\nsigning-key=%s\n' \
    "$sim/signing.key" >"$sim/export.conf"
chown parcelscreen: "$sim/export.conf"
check "its export" ctl export --config "$sim/export.conf" --db "$sim/day.db" --date "$day" --out "$sim"
ctl keys show --public --key "$sim/signing.key" >"$sim/signing.pub"
check "export verify" ctl export verify "$(ls -d "$sim"/parcelscreen-*-"$day")" --key "$sim/signing.pub"

step "4. Units, udev rule, AppStream, desktop file"
for unit in /lib/systemd/system/parcelscreen-*.service /lib/systemd/system/parcelscreen-*.timer; do
    check "systemd-analyze verify $(basename "$unit")" systemd-analyze verify "$unit"
done
if udevadm verify --help >/dev/null 2>&1; then
    check "the udev rule parses (udevadm verify)" udevadm verify /lib/udev/rules.d/70-parcelscreen.rules
else
    # systemd 252 has no "udevadm verify": udevd's own parser is run on the
    # installed rules by "udevadm test", which names a rule file it cannot
    # read or a line it cannot parse.
    out=$(udevadm test --action=add /sys/class/net/lo 2>&1)
    case "$out" in
        *"70-parcelscreen.rules"*"nvalid"*|*"70-parcelscreen.rules"*"error"*)
            echo "$out" | grep 70-parcelscreen; fail "the udev rule parses" ;;
        *) ok "the udev rule parses (udevadm test reads the installed rules without an error)" ;;
    esac
fi
check "appstreamcli validate" appstreamcli validate --no-net /usr/share/metainfo/vn.parcelscreen.Counter.metainfo.xml
check "desktop-file-validate" desktop-file-validate /usr/share/applications/vn.parcelscreen.Counter.desktop

step "5. A downgrade: a database of a newer schema"
schema=$(runuser -u parcelscreen -- sqlite3 "$db" "PRAGMA user_version")
runuser -u parcelscreen -- sqlite3 "$db" "PRAGMA user_version = 99"
msg=$(ctl db check 2>&1)
case "$msg" in
    *"newer ParcelScreen"*) ok "the program refuses it with a clear message: $msg" ;;
    *) fail "the program refuses a newer schema: $msg" ;;
esac
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$counter_deb" >"$work/apt4.log" 2>&1
check "the package's configure leaves it untouched and says why" grep -q 'newer' "$work/apt4.log"
runuser -u parcelscreen -- sqlite3 "$db" "PRAGMA user_version = $schema"

step "6. Remove and purge keep the evidence"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q parcelscreen >"$work/apt5.log" 2>&1
check "apt remove keeps the database" test -f "$db"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q parcelscreen >"$work/apt6.log" 2>&1
check "apt purge keeps it too" test -f "$db"
check "and says where it is" grep -q 'stay in /var/lib/parcelscreen' "$work/apt6.log"

step "7. The hub's package alone"
check "apt installs parcelscreen-hub" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$hub_deb" >"$work/apt7.log" 2>&1
check "without the counter's package" sh -c "! dpkg -s parcelscreen >/dev/null 2>&1"
check "parcelscreen-hub --help" /usr/bin/parcelscreen-hub --help
check "parcelscreen-hubctl --help" /usr/bin/parcelscreen-hubctl --help
check "the parcelscreen-hub user exists" id parcelscreen-hub
check "its reasons file is its own" test -f /usr/share/parcelscreen-hub/reasons.txt
check "systemd-analyze verify parcelscreen-hub.service" \
    systemd-analyze verify /lib/systemd/system/parcelscreen-hub.service

exit $status
