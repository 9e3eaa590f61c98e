/* ps-scanner-hid-pos.c — barcode scanners in HID POS mode (usage page 0x8C):
 * whole scans in reports, with their AIM symbology identifier, and UTF-8
 * text such as the Vietnamese names in a CCCD's QR code. */
#include "config.h"

#include "ps-decoders.h"
#include "ps-driver.h"

#define SCAN_PART_TIMEOUT_US (500 * 1000)

static const PsUsbId hidpos_ids[] = {
  { 0x0c2e, 0x0b87, "Honeywell Xenon scanner (HID POS)" },
  { 0x0c2e, 0x0b6a, "Honeywell Voyager scanner (HID POS)" },
  { 0x05e0, 0x1300, "Zebra scanner (HID POS)" },
  { 0 },
};

static gpointer
hidpos_start (void)
{
  return ps_hidpos_decoder_new (PS_SCAN_MAX_BYTES, SCAN_PART_TIMEOUT_US);
}

static void
hidpos_stop (gpointer state)
{
  ps_hidpos_decoder_free (state);
}

static void
hidpos_report (gpointer state, PsDriverDevice *device, const guint8 *data, gsize len, gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *symbology = NULL;

  switch (ps_hidpos_decoder_feed (state, data, len, now_us, &text, &symbology, &error))
    {
      case PS_SCAN_TEXT:
        ps_driver_clear_error (device);
        ps_driver_emit_scan (device, text, symbology);
        break;
      case PS_SCAN_ERROR:
        ps_driver_emit_error (device, error->message);
        break;
      case PS_SCAN_NONE:
        break;
    }
}

static void
hidpos_tick (gpointer state, PsDriverDevice *device, gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  if (ps_hidpos_decoder_tick (state, now_us, &error) == PS_SCAN_ERROR)
    ps_driver_emit_error (device, error->message);
}

const PsDriver ps_driver_scanner_hid_pos = {
  .id = "scanner-hid-pos",
  .kind = PS_DEVICE_KIND_SCANNER,
  .ids = hidpos_ids,
  .usage_page = PS_HID_USAGE_PAGE_POS_SCANNER,
  .start = hidpos_start,
  .stop = hidpos_stop,
  .report = hidpos_report,
  .tick = hidpos_tick,
  .udev_comment = "Barcode scanners in HID POS mode (usage page 0x8C)",
};
