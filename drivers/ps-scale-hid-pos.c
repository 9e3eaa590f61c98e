/* ps-scale-hid-pos.c — postal scales of the HID POS class (usage page 0x8D).
 *
 * Reports weight events when the status or the value changes. The first
 * report after opening may be a stale reading from before: it is dropped.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-decoders.h"
#include "ps-driver.h"

static const PsUsbId scale_ids[] = {
  { 0x0922, 0x8003, "DYMO M10 postal scale" },
  { 0x0922, 0x8004, "DYMO M25 postal scale" },
  { 0x0eb8, 0xf000, "Mettler Toledo PS60 scale" },
  { 0x1446, 0x6a73, "Stamps.com digital scale" },
  { 0x0b67, 0x555e, "Fairbanks postal scale" },
  { 0x0d8f, 0x0200, "Pitney Bowes USB scale" },
  { 0 },
};

typedef struct
{
  gboolean seen_first;
  gboolean have_last;
  int last_status;
  gint64 last_milligrams;
} PsScaleState;

static gpointer
scale_start (void)
{
  return g_new0 (PsScaleState, 1);
}

static void
scale_stop (gpointer state)
{
  g_free (state);
}

static void
scale_report (gpointer data, PsDriverDevice *device, const guint8 *bytes, gsize len, gint64 now_us)
{
  PsScaleState *state = data;
  PsScaleReading reading;
  g_autoptr (GError) error = NULL;

  (void) now_us;
  if (!ps_scale_report_decode (bytes, len, &reading, &error))
    {
      ps_driver_emit_error (device, error->message);
      return;
    }
  ps_driver_clear_error (device);

  if (!state->seen_first)
    {
      state->seen_first = TRUE;
      return;
    }
  if (state->have_last && reading.status == state->last_status &&
      reading.milligrams == state->last_milligrams)
    return;

  state->have_last = TRUE;
  state->last_status = reading.status;
  state->last_milligrams = reading.milligrams;
  ps_driver_emit_weight (device, reading.status, reading.milligrams);
}

const PsDriver ps_driver_scale_hid_pos = {
  .id = "scale-hid-pos",
  .kind = PS_DEVICE_KIND_SCALE,
  .ids = scale_ids,
  .usage_page = PS_HID_USAGE_PAGE_SCALE,
  .start = scale_start,
  .stop = scale_stop,
  .report = scale_report,
};
