#!/bin/sh
# The domain core (src/core) must stay pure: no GTK, SQLite, libusb or curl.
# Checked twice: no such header is included, and the compiled core library
# needs no such symbol.
#   check-core-purity.sh SOURCE_DIR CORE_LIBRARY
set -eu
src=$1
lib=$2
status=0

if grep -nE '#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|sqlite3|libusb|curl/|sodium)' \
     "$src"/src/core/*.c "$src"/src/core/*.h "$src"/include/parcelscreen/*.h; then
  echo "FAIL: the core includes a GTK, SQLite, libusb, curl or libsodium header (above)"
  status=1
fi

if nm -u "$lib" | grep -E ' (gtk_|gdk_|sqlite3_|libusb_|curl_|sodium_|crypto_)'; then
  echo "FAIL: the core library needs the symbols above"
  status=1
fi

# I/O is not the core's business either: no file, socket or clock calls.
if nm -u "$lib" | grep -E ' (g_file_get_contents|g_get_real_time|g_get_monotonic_time|fopen|open|time|clock_gettime)$'; then
  echo "FAIL: the core library does I/O or reads a clock (above)"
  status=1
fi

[ $status -eq 0 ] && echo "ok: src/core includes and links only GLib"
exit $status
