/* ps-decode-hidpos.c — scans from a HID POS scanner (usage page 0x8C).
 *
 * The layout of the Honeywell-style input report: byte 0 the report id (2),
 * byte 1 the number of data bytes in this report, bytes 2–4 the AIM
 * symbology identifier ("]Q1"), then the data, and in the last byte a flag
 * (bit 0) saying that more reports of the same scan follow. A scan longer
 * than one report (a CCCD's QR code) is reassembled; one whose next part
 * does not come in time is dropped.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-text.h"
#include "ps-decoders.h"

#define HEADER_LENGTH 5 /* id, length, symbology */

struct _PsHidPosDecoder
{
  guint max_bytes;
  gint64 timeout_us;
  GByteArray *data;
  char *symbology;
  gint64 last_part_us;
  gboolean pending;
};

PsHidPosDecoder *
ps_hidpos_decoder_new (guint max_bytes, gint64 timeout_us)
{
  PsHidPosDecoder *decoder = g_new0 (PsHidPosDecoder, 1);
  decoder->max_bytes = max_bytes;
  decoder->timeout_us = timeout_us;
  decoder->data = g_byte_array_new ();
  return decoder;
}

void
ps_hidpos_decoder_free (PsHidPosDecoder *decoder)
{
  if (decoder == NULL)
    return;
  g_byte_array_unref (decoder->data);
  g_free (decoder->symbology);
  g_free (decoder);
}

static void
reset (PsHidPosDecoder *decoder)
{
  g_byte_array_set_size (decoder->data, 0);
  g_clear_pointer (&decoder->symbology, g_free);
  decoder->pending = FALSE;
}

static PsScanResult
refuse (PsHidPosDecoder *decoder, GError **error, const char *message)
{
  reset (decoder);
  g_set_error_literal (error, PS_ERROR, PS_ERROR_INVALID_INPUT, message);
  return PS_SCAN_ERROR;
}

PsScanResult
ps_hidpos_decoder_feed (PsHidPosDecoder *decoder, const guint8 *data, gsize len, gint64 now_us,
                        char **text, char **symbology, GError **error)
{
  g_return_val_if_fail (decoder != NULL, PS_SCAN_NONE);
  g_return_val_if_fail (text != NULL && symbology != NULL, PS_SCAN_NONE);

  *text = NULL;
  *symbology = NULL;

  if (len < HEADER_LENGTH + 1)
    return refuse (decoder, error, _ ("The scanner sent a report too short to hold a scan."));
  if (data[0] != PS_HIDPOS_REPORT_ID)
    {
      /* A report of another id carries no scan. On the scan interface that
       * is garbage: the driver says so once (a stream of it is one message)
       * and the next scan report is read as usual. */
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scanner sent an unknown report (id %u)."), data[0]);
      return PS_SCAN_ERROR;
    }

  gsize n = data[1];
  if (n > len - HEADER_LENGTH - 1)
    return refuse (decoder, error,
                   _ ("The scanner sent a report whose length byte exceeds the report."));

  if (!decoder->pending)
    {
      char aim[4] = { (char) data[2], (char) data[3], (char) data[4], 0 };
      if (ps_aim_is_symbology (aim, 3))
        decoder->symbology = g_strdup (aim);
    }
  decoder->pending = TRUE;
  decoder->last_part_us = now_us;

  if (decoder->data->len + n > decoder->max_bytes)
    return refuse (decoder, error, _ ("The scan is too long and was refused."));
  g_byte_array_append (decoder->data, data + HEADER_LENGTH, (guint) n);

  if (data[len - 1] & 0x01)
    return PS_SCAN_NONE; /* more follows */

  if (decoder->data->len == 0)
    {
      reset (decoder);
      return PS_SCAN_NONE;
    }
  if (memchr (decoder->data->data, '\0', decoder->data->len) != NULL ||
      !g_utf8_validate_len ((const char *) decoder->data->data, decoder->data->len, NULL))
    return refuse (decoder, error,
                   _ ("The scan is not valid text; check the scanner's character set (UTF-8)."));

  *text = g_strndup ((const char *) decoder->data->data, decoder->data->len);
  *symbology = g_steal_pointer (&decoder->symbology);
  reset (decoder);
  return PS_SCAN_TEXT;
}

PsScanResult
ps_hidpos_decoder_tick (PsHidPosDecoder *decoder, gint64 now_us, GError **error)
{
  g_return_val_if_fail (decoder != NULL, PS_SCAN_NONE);

  if (!decoder->pending || now_us - decoder->last_part_us < decoder->timeout_us)
    return PS_SCAN_NONE;
  return refuse (decoder, error,
                 _ ("The rest of a scan never came; the partial scan was dropped. Scan again."));
}
