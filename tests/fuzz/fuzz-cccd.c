/* fuzz-cccd.c — QR payloads of citizen ID cards. */
#include "fuzz.h"
#include "parcelscreen/parcelscreen.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const PsDate today = { 2026, 11, 28 };
  g_autoptr (GError) error = NULL;
  g_autoptr (PsCccd) cccd = ps_cccd_parse ((const char *) data, (gssize) size, &today, &error);

  g_assert_true ((cccd == NULL) != (error == NULL));
  if (cccd != NULL)
    {
      g_assert_true (ps_cccd_check_id_number (cccd->id_number, NULL));
      g_assert_true (g_utf8_validate (cccd->full_name, -1, NULL));
      g_assert_true (ps_date_is_valid (&cccd->birth_date));
    }
  return 0;
}
