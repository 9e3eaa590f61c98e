/* fuzz-keyboard.c — a stream of keyboard reports, cut into 8-byte reports
 * (the first byte of the input says how long the odd one out is). */
#include "fuzz.h"
#include "ps-decoders.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (PsKeyboardDecoder) decoder = ps_keyboard_decoder_new (64, 150000);
  gint64 now = 0;
  size_t i = 0;

  while (i < size)
    {
      size_t len = MIN ((size_t) 8, size - i);
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;
      PsScanResult result =
          ps_keyboard_decoder_feed (decoder, data + i, len, now += 1000, &text, &error);
      if (result == PS_SCAN_TEXT)
        {
          g_assert_true (g_utf8_validate (text, -1, NULL));
          g_assert_cmpuint (strlen (text), <=, 64);
        }
      g_assert_true ((result == PS_SCAN_ERROR) == (error != NULL));
      i += len;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  ps_keyboard_decoder_tick (decoder, now + 1000000, &text, &error);
  return 0;
}
