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
