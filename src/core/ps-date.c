/* ps-date.c — calendar dates as printed on Vietnamese documents. */
#include "ps-core-private.h"

#include <string.h>

gboolean
ps_date_is_valid (const PsDate *date)
{
  g_return_val_if_fail (date != NULL, FALSE);

  return date->year >= 1800 && date->year <= 9999 &&
         g_date_valid_dmy (date->day, date->month, date->year);
}

int
ps_date_compare (const PsDate *a, const PsDate *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (a->month != b->month)
    return a->month < b->month ? -1 : 1;
  if (a->day != b->day)
    return a->day < b->day ? -1 : 1;
  return 0;
}

static gboolean
parse_digits (const char *text, gsize n, guint *out)
{
  guint value = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

gboolean
ps_date_parse_vn (const char *text, PsDate *out)
{
  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  guint day, month, year;
  gsize len = strlen (text);

  if (len == 8)
    {
      if (!parse_digits (text, 2, &day) || !parse_digits (text + 2, 2, &month) ||
          !parse_digits (text + 4, 4, &year))
        return FALSE;
    }
  else if (len == 10 && text[2] == '/' && text[5] == '/')
    {
      if (!parse_digits (text, 2, &day) || !parse_digits (text + 3, 2, &month) ||
          !parse_digits (text + 6, 4, &year))
        return FALSE;
    }
  else
    {
      return FALSE;
    }

  PsDate date = { .year = (guint16) year, .month = (guint8) month, .day = (guint8) day };
  if (!ps_date_is_valid (&date))
    return FALSE;
  *out = date;
  return TRUE;
}

char *
ps_date_to_iso (const PsDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);
  return g_strdup_printf ("%04u-%02u-%02u", date->year, date->month, date->day);
}

char *
ps_date_to_vn (const PsDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);
  return g_strdup_printf ("%02u/%02u/%04u", date->day, date->month, date->year);
}

PsDate
ps_date_from_unix_us (gint64 unix_us)
{
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  PsDate date = { 0, 0, 0 };

  if (utc == NULL)
    return date;
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, vietnam);
  date.year = (guint16) g_date_time_get_year (local);
  date.month = (guint8) g_date_time_get_month (local);
  date.day = (guint8) g_date_time_get_day_of_month (local);
  return date;
}
