#!/bin/sh
# Replays one emulated device through the real parcelscreenctl and libusb:
#   run-fixture.sh FIXTURE_DIR
# The device (FIXTURE/device.umockdev) and its reports (device.ioctl) run
# under umockdev-run; `devices watch --json` must print expected.jsonl
# exactly. Skipped (77) without umockdev-run.
set -u
fixture=$1
ctl=${PARCELSCREENCTL:?}

if ! command -v umockdev-run >/dev/null 2>&1; then
  echo "SKIP: umockdev-run is not installed"
  exit 77
fi

node=$(grep -o '/dev/bus/usb/[0-9]*/[0-9]*' "$fixture/device.ioctl" | head -n 1)
count=$(cat "$fixture/count")
set -- --json --count "$count" --timeout 5
[ -f "$fixture/parcelscreen.conf" ] && set -- "$@" --config "$fixture/parcelscreen.conf"
# The sanitizers want to be first in the library list; umockdev's preload is.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"

actual=$(umockdev-run -d "$fixture/device.umockdev" -i "$node=$fixture/device.ioctl" -- \
  "$ctl" devices watch "$@")
status=$?
expected=$(cat "$fixture/expected.jsonl")

# With no weight or scan expected, the watch must time out (exit 3).
wanted=0
[ -z "$expected" ] && wanted=3
if [ "$actual" != "$expected" ] || [ $status -ne $wanted ]; then
  echo "FAIL: $fixture (exit $status, wanted $wanted)"
  echo "--- expected"
  echo "$expected"
  echo "--- actual"
  echo "$actual"
  exit 1
fi
echo "$actual"
echo "ok: $fixture"
