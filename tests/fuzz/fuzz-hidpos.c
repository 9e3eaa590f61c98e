/* fuzz-hidpos.c — a stream of HID POS scanner reports, 64 bytes each. */
#include "fuzz.h"
#include "ps-decoders.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (PsHidPosDecoder) decoder = ps_hidpos_decoder_new (256, 500000);
  gint64 now = 0;

  for (size_t i = 0; i < size; i += 64)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *symbology = NULL;
      size_t len = MIN ((size_t) 64, size - i);
      PsScanResult result =
          ps_hidpos_decoder_feed (decoder, data + i, len, now += 1000, &text, &symbology, &error);
      if (result == PS_SCAN_TEXT)
        g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_true ((result == PS_SCAN_ERROR) == (error != NULL));
      ps_hid_descriptor_has_usage_page (data + i, len, PS_HID_USAGE_PAGE_POS_SCANNER);
    }
  g_autoptr (GError) error = NULL;
  ps_hidpos_decoder_tick (decoder, now + 10000000, &error);
  return 0;
}
