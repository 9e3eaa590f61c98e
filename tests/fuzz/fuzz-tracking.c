/* fuzz-tracking.c — tracking numbers as any scanner could deliver them. */
#include "fuzz.h"
#include "parcelscreen/parcelscreen.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static PsTrackingFormats *formats;

  if (formats == NULL)
    {
      formats = ps_tracking_formats_new ();
      ps_tracking_formats_add (formats, "domestic", "[A-Z]{2}[0-9]{9}VN", NULL);
      ps_tracking_formats_add (formats, "ghn", "GHN[0-9]{8}", NULL);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (PsTracking) tracking =
      ps_tracking_parse ((const char *) data, (gssize) size, formats, &error);
  /* Exactly one of a result and an error. */
  g_assert_true ((tracking == NULL) != (error == NULL));
  if (tracking != NULL && tracking->kind == PS_TRACKING_KIND_S10)
    g_assert_cmpuint (ps_s10_compute_check_digit (tracking->serial), ==, tracking->check_digit);
  return 0;
}
