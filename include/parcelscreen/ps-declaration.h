/* ps-declaration.h — content categories as on the UPU CN 22 / CN 23 forms. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_CATEGORY_GIFT,
  PS_CATEGORY_DOCUMENTS,
  PS_CATEGORY_COMMERCIAL_SAMPLE,
  PS_CATEGORY_RETURNED_GOODS,
  PS_CATEGORY_SALE_OF_GOODS,
  PS_CATEGORY_OTHER,
} PsCategory;

#define PS_CATEGORY_COUNT (PS_CATEGORY_OTHER + 1)

/** Returns: the stable identifier of @category ("commercial-sample"). */
const char *ps_category_to_id (PsCategory category);
/** Returns: %TRUE and the category in @out if @id names one. */
gboolean ps_category_from_id (const char *id, PsCategory *out);
/** Returns: the translated label of @category. */
const char *ps_category_label (PsCategory category);

/**
 * ps_money_parse_vnd:
 * @text: an amount of đồng as typed: "1.500.000", "1 500 000" or "1500000"
 * @value: (out): the amount
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Dots, commas and blanks group the thousands; there are no subunits.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean ps_money_parse_vnd (const char *text, gint64 *value, GError **error);

G_END_DECLS
