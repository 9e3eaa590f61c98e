/* ps-decode-scale.c — the HID POS scale data report.
 *
 * `03 04 0B FF 2C 01`: report 3, status 4 (stable), unit 11 (ounce),
 * exponent -1, weight 0x012C = 300: 30.0 oz.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-decoders.h"

gboolean
ps_scale_report_decode (const guint8 *data, gsize len, PsScaleReading *reading, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  if (len != PS_SCALE_REPORT_LENGTH)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scale sent a report of %u bytes; a scale report has %u."), (guint) len,
                   PS_SCALE_REPORT_LENGTH);
      return FALSE;
    }
  if (data[0] != PS_SCALE_REPORT_ID)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scale sent an unknown report (id %u)."), data[0]);
      return FALSE;
    }
  if (ps_scale_status_to_id (data[1]) == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scale sent an unknown status (%u)."), data[1]);
      return FALSE;
    }

  PsScaleReading decoded = {
    .status = data[1],
    .unit = data[2],
    .exponent = (gint8) data[3],
    .raw = (guint16) (data[4] | data[5] << 8),
  };

  /* A fault or an empty scale may come without a unit: no weight then. */
  if (decoded.unit == 0 && decoded.raw == 0)
    {
      *reading = decoded;
      return TRUE;
    }
  if (!ps_weight_to_milligrams (decoded.raw, decoded.exponent, decoded.unit, &decoded.milligrams,
                                error))
    return FALSE;
  if (decoded.status == PS_SCALE_UNDER_ZERO)
    decoded.milligrams = -decoded.milligrams;
  *reading = decoded;
  return TRUE;
}
