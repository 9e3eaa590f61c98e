/* ps-declaration.c — content categories (UPU CN 22 / CN 23). */
#include "ps-core-private.h"

#include <string.h>

static const char *const category_labels[PS_CATEGORY_COUNT] = {
  [PS_CATEGORY_GIFT] = N_ ("Gift"),
  [PS_CATEGORY_DOCUMENTS] = N_ ("Documents"),
  [PS_CATEGORY_COMMERCIAL_SAMPLE] = N_ ("Commercial sample"),
  [PS_CATEGORY_RETURNED_GOODS] = N_ ("Returned goods"),
  [PS_CATEGORY_SALE_OF_GOODS] = N_ ("Sale of goods"),
  [PS_CATEGORY_OTHER] = N_ ("Other"),
};

const char *
ps_category_to_id (PsCategory category)
{
  return ps_enum_to_id (PS_TYPE_CATEGORY, category);
}

gboolean
ps_category_from_id (const char *id, PsCategory *out)
{
  g_return_val_if_fail (id != NULL, FALSE);
  int value = ps_enum_from_id (PS_TYPE_CATEGORY, id);
  if (value >= 0 && out != NULL)
    *out = (PsCategory) value;
  return value >= 0;
}

const char *
ps_category_label (PsCategory category)
{
  g_return_val_if_fail ((guint) category < PS_CATEGORY_COUNT, NULL);
  return _ (category_labels[category]);
}

gboolean
ps_money_parse_vnd (const char *text, gint64 *value, GError **error)
{
  g_return_val_if_fail (text != NULL && value != NULL, FALSE);

  char digits[16];
  gsize n = 0;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n == sizeof digits - 1)
            goto invalid;
          digits[n++] = *p;
        }
      else if (strchr (" .,", *p) == NULL)
        goto invalid;
    }
  if (n == 0)
    goto invalid;
  digits[n] = '\0';
  *value = g_ascii_strtoll (digits, NULL, 10);
  return TRUE;

invalid:
  g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
               _ ("The value is a whole number of dong, such as 1.500.000."));
  return FALSE;
}
