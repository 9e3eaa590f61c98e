#!/bin/sh
# ParcelScreen developer entry point: installs what is missing on Debian 12,
# builds, and either starts the counter program or runs the whole test suite.
#
#   ./dev.sh start   build and start parcelscreen on a local database
#   ./dev.sh test    build and run every check CI runs: formatting, the test
#                    suite, the suite again under AddressSanitizer and
#                    UndefinedBehaviorSanitizer, the fuzz targets, and the
#                    Debian packages built, installed and run (as root)
#
# Build folders: build/ (normal), build-sanitize/, build-fuzz/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# Every Debian package the build, the programs and the tests need.
PACKAGES="
  meson ninja-build pkg-config gcc clang clang-format
  libglib2.0-dev libgtk-3-dev libsqlite3-dev sqlite3 libsodium-dev libjson-glib-dev
  libusb-1.0-0-dev umockdev libumockdev-dev
  gettext iso-codes desktop-file-utils libxml2-utils
  poppler-utils
  libcurl4-openssl-dev openssl python3-nacl
  xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-gi python3-dogtail gir1.2-gtk-3.0
  libfuzzer-14-dev libclang-rt-14-dev
  locales
  libsoup-3.0-dev glib-networking libpq-dev postgresql-15
  chromium chromium-driver python3-selenium
  debhelper dpkg-dev fakeroot lintian appstream cage grim xwayland
"

say() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Packages are missing and this user cannot install them: run as root." >&2
    exit 1
  fi
}

install_missing() {
  missing=""
  for package in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    case "$status" in
      *"install ok installed"*) ;;
      *) missing="$missing $package" ;;
    esac
  done
  if [ -n "$missing" ]; then
    say "Installing:$missing"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  fi
  # The Vietnamese and English locales, for the interface and its tests.
  if ! locale -a 2>/dev/null | grep -qi '^vi_VN\.utf-\?8$'; then
    say "Generating the vi_VN.UTF-8 locale"
    as_root sh -c 'sed -i "s/^# *\(vi_VN.UTF-8\)/\1/; s/^# *\(en_US.UTF-8\)/\1/" /etc/locale.gen && locale-gen' >/dev/null
  fi
}

# setup DIR [meson options…]: configures DIR once, reconfigures if needed.
setup() {
  dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
  meson compile -C "$dir"
}

check_format() {
  say "Formatting (clang-format, .clang-format)"
  files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests drivers bench -name '*.[ch]')
  # shellcheck disable=SC2086
  clang-format --dry-run --Werror $files
  echo "formatting: ok"
}

run_suite() {
  dir=$1
  shift
  meson test -C "$dir" --print-errorlogs "$@"
}

run_fuzzers() {
  say "Fuzz targets (clang, libFuzzer, ASan+UBSan)"
  CC=clang setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dtests=true
  seconds=${PS_FUZZ_SECONDS:-20}
  for target in tracking cccd checklist rules watchlist scale keyboard hidpos; do
    corpus="tests/fuzz/corpus/$target"
    work=$(mktemp -d)
    # Replay the committed corpus, then fuzz for a while from a copy of it.
    ./build-fuzz/tests/fuzz/fuzz-$target -runs=0 "$corpus"
    ./build-fuzz/tests/fuzz/fuzz-$target -max_total_time="$seconds" -max_len=4096 \
      -print_final_stats=1 "$work" "$corpus" 2>&1 | grep -E 'stat::number_of_executed_units|Done' || true
    rm -rf "$work"
  done
}

command=${1:-}
case "$command" in
  start)
    install_missing
    say "Building (build/)"
    setup build
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "No display: run parcelscreen on a desktop, or try: xvfb-run ./dev.sh start" >&2
    fi
    say "Starting parcelscreen"
    exec meson devenv -C build parcelscreen
    ;;
  test)
    install_missing
    check_format
    say "Building and testing (build/)"
    setup build
    run_suite build --no-suite package
    say "Building and testing with AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/)"
    setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:verify_asan_link_order=0" \
      LSAN_OPTIONS="suppressions=$here/tests/lsan.supp:print_suppressions=0" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
      run_suite build-sanitize --timeout-multiplier 3 --no-suite package
    run_fuzzers
    say "The Debian packages: built, installed and run (root only)"
    run_suite build --suite package
    say "All checks passed"
    ;;
  *)
    echo "usage: ./dev.sh start | test" >&2
    exit 2
    ;;
esac
