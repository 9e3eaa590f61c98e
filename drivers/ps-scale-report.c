/* ps-scale-report.c — the HID POS scale data report.
 *
 * `03 04 0B FF 2C 01`: report 3, status 4 (stable), unit 11 (ounce),
 * exponent -1, weight 0x012C = 300: 30.0 oz.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-text.h"
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

gboolean
ps_hid_descriptor_has_usage_page (const guint8 *descriptor, gsize len, guint16 page)
{
  gsize i = 0;

  while (i < len)
    {
      guint8 prefix = descriptor[i];

      if (prefix == 0xFE)
        {
          /* Long item: prefix, data size, tag, data. */
          if (i + 1 >= len)
            return FALSE;
          i += 3 + (gsize) descriptor[i + 1];
          continue;
        }

      gsize size = prefix & 0x03;
      if (size == 3)
        size = 4;
      if (i + 1 + size > len)
        return FALSE;

      guint8 type = (prefix >> 2) & 0x03;
      guint8 tag = prefix >> 4;
      if (type == 1 && tag == 0 && size > 0) /* Global: Usage Page */
        {
          guint32 value = 0;
          for (gsize b = 0; b < size; b++)
            value |= (guint32) descriptor[i + 1 + b] << (8 * b);
          if (value == page)
            return TRUE;
        }
      i += 1 + size;
    }
  return FALSE;
}

char *
ps_split_aim_prefix (char **text)
{
  g_return_val_if_fail (text != NULL && *text != NULL, NULL);

  const char *s = *text;
  if (ps_aim_is_symbology (s, strlen (s)))
    {
      char *symbology = g_strndup (s, 3);
      char *rest = g_strdup (s + 3);
      g_free (*text);
      *text = rest;
      return symbology;
    }
  return NULL;
}
