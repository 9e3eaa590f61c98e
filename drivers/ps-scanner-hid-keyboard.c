/* ps-scanner-hid-keyboard.c — barcode scanners in keyboard mode.
 *
 * Such a scanner looks exactly like a keyboard, so it is claimed only when
 * its vendor makes scanners (the table) or its ID is configured; never the
 * clerk's keyboard. Claiming it keeps scans from typing into whatever window
 * has the focus.
 */
#include "config.h"

#include "ps-decoders.h"
#include "ps-driver.h"

#define KEYBOARD_GAP_US (150 * 1000)

static const PsUsbId scanner_vendors[] = {
  { 0x0c2e, 0, "Honeywell scanner (keyboard mode)" },
  { 0x05e0, 0, "Zebra scanner (keyboard mode)" },
  { 0x05f9, 0, "Datalogic scanner (keyboard mode)" },
  { 0x080c, 0, "Datalogic scanner (keyboard mode)" },
  { 0x1eab, 0, "Newland scanner (keyboard mode)" },
  { 0 },
};

static gpointer
keyboard_start (void)
{
  return ps_keyboard_decoder_new (PS_SCAN_MAX_BYTES, KEYBOARD_GAP_US);
}

static void
keyboard_stop (gpointer state)
{
  ps_keyboard_decoder_free (state);
}

static void
deliver (PsDriverDevice *device, PsScanResult result, char *text, GError *error)
{
  if (result == PS_SCAN_ERROR)
    {
      ps_driver_emit_error (device, error->message);
      return;
    }
  if (result != PS_SCAN_TEXT)
    return;
  ps_driver_clear_error (device);
  g_autofree char *symbology = ps_split_aim_prefix (&text);
  ps_driver_emit_scan (device, text, symbology);
  g_free (text);
}

static void
keyboard_report (gpointer state, PsDriverDevice *device, const guint8 *data, gsize len,
                 gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;
  PsScanResult result = ps_keyboard_decoder_feed (state, data, len, now_us, &text, &error);
  deliver (device, result, text, error);
}

static void
keyboard_tick (gpointer state, PsDriverDevice *device, gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;
  PsScanResult result = ps_keyboard_decoder_tick (state, now_us, &text, &error);
  deliver (device, result, text, error);
}

const PsDriver ps_driver_scanner_hid_keyboard = {
  .id = "scanner-hid-keyboard",
  .kind = PS_DEVICE_KIND_SCANNER,
  .ids = scanner_vendors,
  .usage_page = 0,
  .boot_keyboard = TRUE,
  .start = keyboard_start,
  .stop = keyboard_stop,
  .report = keyboard_report,
  .tick = keyboard_tick,
  .udev_comment = "Barcode scanners in keyboard mode, by maker (these makers sell no keyboards)",
};
