/* ps-checklist.c — the inspection checklist data file. */
#include "ps-core-private.h"

#include <string.h>

#define CHECKLIST_MAX_ITEMS 100
#define CHECKLIST_TEXT_MAX  1000

struct _PsChecklist
{
  GPtrArray *items; /* PsChecklistItem */
  char *digest;
};

static void
ps_checklist_item_free (PsChecklistItem *item)
{
  g_free (item->id);
  g_free (item->text_vi);
  g_free (item->text_en);
  g_free (item);
}

PsChecklist *
ps_checklist_ref (PsChecklist *checklist)
{
  g_return_val_if_fail (checklist != NULL, NULL);
  return g_atomic_rc_box_acquire (checklist);
}

static void
checklist_clear (PsChecklist *checklist)
{
  g_ptr_array_unref (checklist->items);
  g_free (checklist->digest);
}

void
ps_checklist_unref (PsChecklist *checklist)
{
  if (checklist != NULL)
    g_atomic_rc_box_release_full (checklist, (GDestroyNotify) checklist_clear);
}

/* Checks a Vietnamese or English text field of a stanza. */
static char *
require_text (const PsStanza *stanza, const char *key, const char *source, GError **error)
{
  const char *value = ps_stanza_require (stanza, key, source, error);
  if (value == NULL)
    return NULL;
  if (g_utf8_strlen (value, -1) > CHECKLIST_TEXT_MAX)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s:%u: ‘%s’ is longer than %u characters."), source,
                   ps_stanza_get (stanza, key)->line, key, CHECKLIST_TEXT_MAX);
      return NULL;
    }
  return g_utf8_normalize (value, -1, G_NORMALIZE_NFC);
}

PsChecklist *
ps_checklist_parse (const char *data, gsize len, const char *source, GError **error)
{
  static const char *const keys[] = { "id", "vi", "en", "passes", "on-fail", NULL };

  g_autoptr (GPtrArray) stanzas = ps_stanzas_parse (data, len, source, error);
  if (stanzas == NULL)
    return NULL;

  g_autoptr (PsChecklist) checklist = g_atomic_rc_box_new0 (PsChecklist);
  checklist->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_checklist_item_free);
  checklist->digest = ps_data_digest (data, len);

  for (guint i = 0; i < stanzas->len; i++)
    {
      const PsStanza *stanza = g_ptr_array_index (stanzas, i);
      if (!ps_stanza_check_keys (stanza, keys, source, error))
        return NULL;
      if (ps_stanza_require (stanza, "id", source, error) == NULL)
        return NULL;
      const PsStanzaField *id = ps_stanza_get (stanza, "id");
      if (!ps_stanza_check_id (id, source, error))
        return NULL;
      if (ps_checklist_find (checklist, id->value, NULL) != NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("%s:%u: item ‘%s’ is listed twice."),
                       source, id->line, id->value);
          return NULL;
        }

      PsChecklistItem *item = g_new0 (PsChecklistItem, 1);
      g_ptr_array_add (checklist->items, item);
      item->id = g_strdup (id->value);
      item->text_vi = require_text (stanza, "vi", source, error);
      if (item->text_vi == NULL)
        return NULL;
      item->text_en = require_text (stanza, "en", source, error);
      if (item->text_en == NULL)
        return NULL;

      const char *passes = ps_stanza_require (stanza, "passes", source, error);
      if (passes == NULL)
        return NULL;
      if (strcmp (passes, "yes") == 0)
        item->passes = PS_ANSWER_YES;
      else if (strcmp (passes, "no") == 0)
        item->passes = PS_ANSWER_NO;
      else
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: ‘passes’ must be ‘yes’ or ‘no’."), source,
                       ps_stanza_get (stanza, "passes")->line);
          return NULL;
        }

      const char *on_fail = ps_stanza_require (stanza, "on-fail", source, error);
      if (on_fail == NULL)
        return NULL;
      if (strcmp (on_fail, "refuse") == 0)
        item->on_fail = PS_FAIL_REFUSE;
      else if (strcmp (on_fail, "hold") == 0)
        item->on_fail = PS_FAIL_HOLD;
      else
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: ‘on-fail’ must be ‘refuse’ or ‘hold’."), source,
                       ps_stanza_get (stanza, "on-fail")->line);
          return NULL;
        }

      if (checklist->items->len > CHECKLIST_MAX_ITEMS)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: a checklist has at most %u items."), source, stanza->line,
                       CHECKLIST_MAX_ITEMS);
          return NULL;
        }
    }

  if (checklist->items->len == 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("%s: the checklist has no items."),
                   source);
      return NULL;
    }
  /* The sender's consent is what makes the inspection lawful (Decree
   * 15/2020/NĐ-CP): a checklist without it cannot be used. */
  gboolean consent = FALSE;
  for (guint i = 0; i < checklist->items->len; i++)
    {
      const PsChecklistItem *item = g_ptr_array_index (checklist->items, i);
      if (strcmp (item->id, "consent") == 0)
        consent = item->passes == PS_ANSWER_YES && item->on_fail == PS_FAIL_REFUSE;
    }
  if (!consent)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s: the checklist needs the sender's consent: an item with id ‘consent’, "
                      "passes: yes and on-fail: refuse."),
                   source);
      return NULL;
    }

  return g_steal_pointer (&checklist);
}

guint
ps_checklist_get_n_items (const PsChecklist *checklist)
{
  g_return_val_if_fail (checklist != NULL, 0);
  return checklist->items->len;
}

const PsChecklistItem *
ps_checklist_get_item (const PsChecklist *checklist, guint index)
{
  g_return_val_if_fail (checklist != NULL, NULL);
  g_return_val_if_fail (index < checklist->items->len, NULL);
  return g_ptr_array_index (checklist->items, index);
}

const PsChecklistItem *
ps_checklist_find (const PsChecklist *checklist, const char *id, guint *index_out)
{
  g_return_val_if_fail (checklist != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < checklist->items->len; i++)
    {
      const PsChecklistItem *item = g_ptr_array_index (checklist->items, i);
      if (strcmp (item->id, id) == 0)
        {
          if (index_out != NULL)
            *index_out = i;
          return item;
        }
    }
  return NULL;
}

const char *
ps_checklist_get_digest (const PsChecklist *checklist)
{
  g_return_val_if_fail (checklist != NULL, NULL);
  return checklist->digest;
}
