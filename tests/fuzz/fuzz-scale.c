/* fuzz-scale.c — scale reports and HID report descriptors as raw bytes. */
#include "fuzz.h"
#include "ps-decoders.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PsScaleReading reading;
  g_autoptr (GError) error = NULL;

  if (ps_scale_report_decode (data, size, &reading, &error))
    {
      g_assert_no_error (error);
      g_assert_nonnull (ps_scale_status_to_id (reading.status));
      g_assert_cmpint (ABS (reading.milligrams), <=, PS_WEIGHT_MAX_MG);
    }
  else
    g_assert_nonnull (error);

  ps_hid_descriptor_has_usage_page (data, size, PS_HID_USAGE_PAGE_SCALE);
  return 0;
}
