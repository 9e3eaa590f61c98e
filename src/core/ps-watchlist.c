/* ps-watchlist.c — the police's watch list: identity numbers, phones,
 * names, countries and places to look out for, signed by the police and
 * read by the risk rules (ps-rules.c). */
#include "ps-core-private.h"

#include <string.h>

#define WATCHLIST_MAX   100000
#define WATCH_VALUE_MAX 200

static const struct
{
  const char *id;
  PsWatchKind kind;
} watch_kinds[] = {
  { "id", PS_WATCH_ID },       { "phone", PS_WATCH_PHONE },     { "name", PS_WATCH_NAME },
  { "place", PS_WATCH_PLACE }, { "country", PS_WATCH_COUNTRY },
};

gboolean
ps_watch_kind_from_id (const char *id, PsWatchKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (watch_kinds); i++)
    if (g_strcmp0 (watch_kinds[i].id, id) == 0)
      {
        *out = watch_kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

struct _PsWatchlist
{
  guint n_entries;
  GHashTable *ids;       /* digits */
  GHashTable *phones;    /* normalised digits */
  GHashTable *names;     /* folded */
  GHashTable *countries; /* alpha-2 */
  GPtrArray *places;     /* folded phrases */
};

PsWatchlist *
ps_watchlist_new (void)
{
  PsWatchlist *watchlist = g_atomic_rc_box_new0 (PsWatchlist);
  watchlist->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  watchlist->phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  watchlist->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  watchlist->countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  watchlist->places = g_ptr_array_new_with_free_func (g_free);
  return watchlist;
}

PsWatchlist *
ps_watchlist_ref (PsWatchlist *watchlist)
{
  g_return_val_if_fail (watchlist != NULL, NULL);
  return g_atomic_rc_box_acquire (watchlist);
}

static void
watchlist_clear (PsWatchlist *watchlist)
{
  g_hash_table_unref (watchlist->ids);
  g_hash_table_unref (watchlist->phones);
  g_hash_table_unref (watchlist->names);
  g_hash_table_unref (watchlist->countries);
  g_ptr_array_unref (watchlist->places);
}

void
ps_watchlist_unref (PsWatchlist *watchlist)
{
  if (watchlist != NULL)
    g_atomic_rc_box_release_full (watchlist, (GDestroyNotify) watchlist_clear);
}

guint
ps_watchlist_get_n (const PsWatchlist *watchlist)
{
  g_return_val_if_fail (watchlist != NULL, 0);
  return watchlist->n_entries;
}

static gboolean
watchlist_add (PsWatchlist *watchlist, PsWatchKind kind, const char *value, const char *source,
               guint line, GError **error)
{
  const char *problem = NULL;

  switch (kind)
    {
      case PS_WATCH_ID:
        if (strlen (value) != 12 && strlen (value) != 9)
          problem = _ ("an id entry is a 12- or 9-digit ID number.");
        for (const char *p = value; problem == NULL && *p != '\0'; p++)
          if (!g_ascii_isdigit (*p))
            problem = _ ("an id entry is a 12- or 9-digit ID number.");
        if (problem == NULL)
          g_hash_table_add (watchlist->ids, g_strdup (value));
        break;

      case PS_WATCH_PHONE:
        {
          g_autofree char *phone = ps_contact_normalize_phone (value);
          if (strlen (phone) < 8 || strlen (phone) > 15)
            problem = _ ("a phone entry needs 8 to 15 digits.");
          else
            g_hash_table_add (watchlist->phones, g_steal_pointer (&phone));
          break;
        }

      case PS_WATCH_NAME:
      case PS_WATCH_PLACE:
        {
          g_autofree char *folded = ps_text_fold (value);
          if (folded == NULL || *folded == '\0')
            problem = _ ("the entry needs at least one letter or digit.");
          else if (kind == PS_WATCH_NAME)
            g_hash_table_add (watchlist->names, g_steal_pointer (&folded));
          else
            g_ptr_array_add (watchlist->places, g_steal_pointer (&folded));
          break;
        }

      case PS_WATCH_COUNTRY:
        {
          g_autofree char *code = g_ascii_strup (value, -1);
          if (ps_country_lookup (code) == NULL)
            problem = _ ("a country entry is an ISO 3166-1 two-letter code.");
          else
            g_hash_table_add (watchlist->countries, g_steal_pointer (&code));
          break;
        }
    }

  if (problem != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, "%s:%u: %s", source, line, problem);
      return FALSE;
    }
  watchlist->n_entries++;
  return TRUE;
}

PsWatchlist *
ps_watchlist_parse (const char *data, gsize len, const char *source, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  g_autoptr (PsWatchlist) watchlist = ps_watchlist_new ();
  PsLines lines;
  ps_lines_init (&lines, data, len, source, PS_ERROR_DATA_FILE);
  for (char *next; (next = ps_lines_next (&lines, error)) != NULL;)
    {
      g_autofree char *line = g_strstrip (next);
      guint line_number = lines.number;

      if (*line == '\0' || *line == '#')
        continue;

      gsize kind_len = strcspn (line, " \t");
      const char *value = line + kind_len;
      value += strspn (value, " \t");
      gboolean known = FALSE;
      PsWatchKind kind = PS_WATCH_ID;
      for (guint k = 0; k < G_N_ELEMENTS (watch_kinds); k++)
        if (strlen (watch_kinds[k].id) == kind_len &&
            strncmp (watch_kinds[k].id, line, kind_len) == 0)
          {
            kind = watch_kinds[k].kind;
            known = TRUE;
          }
      if (!known || *value == '\0')
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: expected a kind (id, phone, name, place, country), then the "
                          "value."),
                       source, line_number);
          return NULL;
        }
      if (g_utf8_strlen (value, -1) > WATCH_VALUE_MAX)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("%s:%u: the value is too long."),
                       source, line_number);
          return NULL;
        }
      if (watchlist->n_entries >= WATCHLIST_MAX)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: too many entries (at most %u)."), source, line_number,
                       WATCHLIST_MAX);
          return NULL;
        }
      if (!watchlist_add (watchlist, kind, value, source, line_number, error))
        return NULL;
    }
  if (lines.refused)
    return NULL;

  return g_steal_pointer (&watchlist);
}

static gboolean
folded_equal_in (GHashTable *set, const char *text)
{
  if (text == NULL)
    return FALSE;
  g_autofree char *folded = ps_text_fold (text);
  return folded != NULL && g_hash_table_contains (set, folded);
}

static gboolean
phone_in (GHashTable *set, const char *phone)
{
  if (phone == NULL)
    return FALSE;
  g_autofree char *normalized = ps_contact_normalize_phone (phone);
  return *normalized != '\0' && g_hash_table_contains (set, normalized);
}

gboolean
ps_watchlist_matches (const PsWatchlist *watchlist, PsWatchKind kind, const PsRiskInput *input)
{
  switch (kind)
    {
      case PS_WATCH_ID:
        return input->sender_id != NULL && g_hash_table_contains (watchlist->ids, input->sender_id);
      case PS_WATCH_PHONE:
        return phone_in (watchlist->phones, input->sender_phone) ||
               phone_in (watchlist->phones, input->recipient_phone);
      case PS_WATCH_NAME:
        return folded_equal_in (watchlist->names, input->sender_name) ||
               folded_equal_in (watchlist->names, input->recipient_name);
      case PS_WATCH_PLACE:
        {
          if (input->recipient_address == NULL)
            return FALSE;
          g_autofree char *address = ps_text_fold (input->recipient_address);
          for (guint i = 0; address != NULL && i < watchlist->places->len; i++)
            if (ps_text_has_phrase (address, g_ptr_array_index (watchlist->places, i)))
              return TRUE;
          return FALSE;
        }
      case PS_WATCH_COUNTRY:
        return input->destination_country != NULL &&
               g_hash_table_contains (watchlist->countries, input->destination_country);
    }
  g_assert_not_reached ();
}
