#!/bin/sh
# Runs one UI test script: a private X server (Xvfb), a D-Bus session with
# the accessibility bus, and Debian's python3 with dogtail. Exit 77 (skipped)
# when one of them is missing, so that meson does not count it as passed.
#   run-ui-test.sh SCRIPT
set -u
script=$1

for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed"
    exit 77
  fi
done
if ! /usr/bin/python3 -c 'import dogtail, gi' >/dev/null 2>&1; then
  echo "SKIP: python3-dogtail is not installed"
  exit 77
fi

# Screenshots go to the build folder.
export PS_SCREENSHOT_DIR="${G_TEST_BUILDDIR:-.}/screenshots"
mkdir -p "$PS_SCREENSHOT_DIR"
# GTK must talk to the accessibility bus; a private home keeps dogtail's
# files out of the user's.
export GTK_A11Y=
unset NO_AT_BRIDGE
export HOME="${G_TEST_BUILDDIR:-/tmp}/ui-home"
mkdir -p "$HOME"

exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- /usr/bin/python3 "$script"
