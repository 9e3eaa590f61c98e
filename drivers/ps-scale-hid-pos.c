/* ps-scale-hid-pos.c — postal scales of the HID POS class (usage page 0x8D).
 *
 * Reports weight events when the status or the value changes. The first
 * report after opening may be a stale reading from before: it is dropped.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-error.h"
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

/* Output report 2, bit 1: Zero Scale (HID POS usage tables, 0x8D). */
static gboolean
scale_zero (gpointer state, PsDriverDevice *device, GError **error)
{
  const guint8 report[2] = { 0x02, 0x02 };
  (void) state;
  if (ps_driver_set_output_report (device, 0x02, report, sizeof report, NULL))
    return TRUE;
  g_set_error_literal (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                       _ ("This scale cannot be zeroed from the computer; use its zero button."));
  return FALSE;
}

const PsDriver ps_driver_scale_hid_pos = {
  .id = "scale-hid-pos",
  .kind = PS_DEVICE_KIND_SCALE,
  .ids = scale_ids,
  .usage_page = PS_HID_USAGE_PAGE_SCALE,
  .start = scale_start,
  .stop = scale_stop,
  .report = scale_report,
  .zero = scale_zero,
  /* A scale reports several times a second; one that is silent is stuck. */
  .idle_timeout_us = 5 * G_USEC_PER_SEC,
  .idle_message = N_ ("The scale sends no readings; check its cable and power."),
  .udev_comment = "Postal scales (HID POS, usage page 0x8D)",
};
