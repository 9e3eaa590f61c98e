/* ps-declaration.c — content categories (UPU CN 22 / CN 23). */
#include "ps-core-private.h"

#include <string.h>

static const struct
{
  const char *id;
  const char *label;
} categories[PS_CATEGORY_COUNT] = {
  [PS_CATEGORY_GIFT] = { "gift", N_ ("Gift") },
  [PS_CATEGORY_DOCUMENTS] = { "documents", N_ ("Documents") },
  [PS_CATEGORY_COMMERCIAL_SAMPLE] = { "commercial-sample", N_ ("Commercial sample") },
  [PS_CATEGORY_RETURNED_GOODS] = { "returned-goods", N_ ("Returned goods") },
  [PS_CATEGORY_SALE_OF_GOODS] = { "sale-of-goods", N_ ("Sale of goods") },
  [PS_CATEGORY_OTHER] = { "other", N_ ("Other") },
};

const char *
ps_category_to_id (PsCategory category)
{
  g_return_val_if_fail ((guint) category < PS_CATEGORY_COUNT, NULL);
  return categories[category].id;
}

gboolean
ps_category_from_id (const char *id, PsCategory *out)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < PS_CATEGORY_COUNT; i++)
    if (strcmp (categories[i].id, id) == 0)
      {
        if (out != NULL)
          *out = (PsCategory) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ps_category_label (PsCategory category)
{
  g_return_val_if_fail ((guint) category < PS_CATEGORY_COUNT, NULL);
  return _ (categories[category].label);
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
