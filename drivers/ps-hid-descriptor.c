/* ps-hid-descriptor.c — what the device manager reads before choosing a
 * driver, and what every scanner driver strips: the usage pages of a HID
 * report descriptor, and the AIM symbology identifier before a scan. */
#include "config.h"

#include <string.h>

#include "parcelscreen/ps-text.h"
#include "ps-decoders.h"

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
