/* ps-date.h — a calendar date without time zone, as printed on documents. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint16 year;
  guint8 month;
  guint8 day;
} PsDate;

/** Returns: %TRUE if @date is a real calendar date from year 1800 on. */
gboolean ps_date_is_valid (const PsDate *date);

/** Returns: negative, 0 or positive as @a is before, equal to or after @b. */
int ps_date_compare (const PsDate *a, const PsDate *b);

/**
 * ps_date_parse_vn:
 * @text: "DDMMYYYY" or "DD/MM/YYYY"
 * @out: (out): the date
 *
 * Returns: %TRUE if @text is a valid date in one of those forms
 */
gboolean ps_date_parse_vn (const char *text, PsDate *out);

/** Returns: (transfer full): @date as "YYYY-MM-DD". */
char *ps_date_to_iso (const PsDate *date);

/** Returns: (transfer full): @date as "DD/MM/YYYY", the Vietnamese way. */
char *ps_date_to_vn (const PsDate *date);

/** ps_date_from_unix_us: the UTC+7 (Vietnam) calendar date of a UNIX time in microseconds. */
PsDate ps_date_from_unix_us (gint64 unix_us);

G_END_DECLS
