#!/bin/sh
# Vietnamese is a first-class language: every user-visible string must be in
# po/POTFILES.in and translated in po/vi.po, with no fuzzy entry.
#   check-translations.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# Every source file with translatable strings is listed.
cd "$src"
for file in $(grep -rlE '\b(N_|_|C_|NC_)[[:space:]]*\(' src drivers --include='*.c' --include='*.h'; \
              grep -rl 'translatable="yes"' ui); do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "FAIL: $file has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

# The same extraction as meson's glib preset.
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format \
  -f po/POTFILES.in -D "$src" -o "$tmp/parcelscreen.pot"

if ! msgcmp po/vi.po "$tmp/parcelscreen.pot"; then
  echo "FAIL: po/vi.po lacks translations of the strings above (ninja parcelscreen-update-po, then translate)"
  status=1
fi
if msgattrib --only-fuzzy --no-obsolete po/vi.po | grep -q '^msgid'; then
  echo "FAIL: po/vi.po has fuzzy entries"
  status=1
fi
stats=$(msgfmt -c --statistics -o /dev/null po/vi.po 2>&1) || { echo "$stats"; status=1; }
echo "$stats"
case "$stats" in
  *untranslated*|*fuzzy*) echo "FAIL: untranslated or fuzzy messages"; status=1 ;;
esac
exit $status
