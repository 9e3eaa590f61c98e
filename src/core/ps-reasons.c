/* ps-reasons.c — the refusal and hold reason codes data file. */
#include "ps-core-private.h"

#include <string.h>

struct _PsReasons
{
  GPtrArray *reasons; /* PsReason */
};

static void
ps_reason_free (PsReason *reason)
{
  g_free (reason->id);
  g_free (reason->text_vi);
  g_free (reason->text_en);
  g_free (reason);
}

PsReasons *
ps_reasons_ref (PsReasons *reasons)
{
  g_return_val_if_fail (reasons != NULL, NULL);
  return g_atomic_rc_box_acquire (reasons);
}

static void
reasons_clear (PsReasons *reasons)
{
  g_ptr_array_unref (reasons->reasons);
}

void
ps_reasons_unref (PsReasons *reasons)
{
  if (reasons != NULL)
    g_atomic_rc_box_release_full (reasons, (GDestroyNotify) reasons_clear);
}

PsReasons *
ps_reasons_parse (const char *data, gsize len, const char *source, GError **error)
{
  static const char *const keys[] = { "kind", "id", "vi", "en", "note", "after-hold-item", NULL };

  g_autoptr (GPtrArray) stanzas = ps_stanzas_parse (data, len, source, error);
  if (stanzas == NULL)
    return NULL;

  g_autoptr (PsReasons) reasons = g_atomic_rc_box_new0 (PsReasons);
  reasons->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_reason_free);
  guint n_kind[2] = { 0, 0 };

  for (guint i = 0; i < stanzas->len; i++)
    {
      const PsStanza *stanza = g_ptr_array_index (stanzas, i);

      if (!ps_stanza_check_keys (stanza, keys, source, error))
        return NULL;

      const char *kind = ps_stanza_require (stanza, "kind", source, error);
      if (kind == NULL)
        return NULL;
      PsReasonKind reason_kind;
      if (strcmp (kind, "refuse") == 0)
        reason_kind = PS_REASON_REFUSE;
      else if (strcmp (kind, "hold") == 0)
        reason_kind = PS_REASON_HOLD;
      else
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: ‘kind’ must be ‘refuse’ or ‘hold’."), source,
                       ps_stanza_get (stanza, "kind")->line);
          return NULL;
        }

      if (ps_stanza_require (stanza, "id", source, error) == NULL)
        return NULL;
      const PsStanzaField *id = ps_stanza_get (stanza, "id");
      if (!ps_stanza_check_id (id, source, error))
        return NULL;
      if (ps_reasons_find (reasons, reason_kind, id->value) != NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: reason ‘%s’ is listed twice."), source, id->line, id->value);
          return NULL;
        }
      PsReason *reason = g_new0 (PsReason, 1);
      g_ptr_array_add (reasons->reasons, reason);
      reason->kind = reason_kind;
      reason->id = g_strdup (id->value);

      const char *vi = ps_stanza_require (stanza, "vi", source, error);
      const char *en = vi != NULL ? ps_stanza_require (stanza, "en", source, error) : NULL;
      if (en == NULL)
        return NULL;
      reason->text_vi = g_utf8_normalize (vi, -1, G_NORMALIZE_NFC);
      reason->text_en = g_utf8_normalize (en, -1, G_NORMALIZE_NFC);

      const PsStanzaField *note = ps_stanza_get (stanza, "note");
      if (note != NULL && strcmp (note->value, "required") != 0 &&
          strcmp (note->value, "optional") != 0)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: ‘note’ must be ‘required’ or ‘optional’."), source, note->line);
          return NULL;
        }
      reason->needs_note = note != NULL && strcmp (note->value, "required") == 0;

      if (!ps_stanza_get_bool (stanza, "after-hold-item", FALSE, &reason->after_hold_item, source,
                               error))
        return NULL;
      if (reason->after_hold_item && reason->kind != PS_REASON_REFUSE)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: ‘after-hold-item’ applies to refusal reasons only."), source,
                       ps_stanza_get (stanza, "after-hold-item")->line);
          return NULL;
        }
      n_kind[reason->kind]++;
    }

  if (n_kind[PS_REASON_REFUSE] == 0 || n_kind[PS_REASON_HOLD] == 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s: the file needs at least one refusal reason and one hold reason."),
                   source);
      return NULL;
    }

  return g_steal_pointer (&reasons);
}

guint
ps_reasons_get_n (const PsReasons *reasons)
{
  g_return_val_if_fail (reasons != NULL, 0);
  return reasons->reasons->len;
}

const PsReason *
ps_reasons_get (const PsReasons *reasons, guint index)
{
  g_return_val_if_fail (reasons != NULL, NULL);
  g_return_val_if_fail (index < reasons->reasons->len, NULL);
  return g_ptr_array_index (reasons->reasons, index);
}

const PsReason *
ps_reasons_find (const PsReasons *reasons, PsReasonKind kind, const char *id)
{
  g_return_val_if_fail (reasons != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < reasons->reasons->len; i++)
    {
      const PsReason *reason = g_ptr_array_index (reasons->reasons, i);
      if (reason->kind == kind && strcmp (reason->id, id) == 0)
        return reason;
    }
  return NULL;
}

char *
ps_reasons_describe (const PsReasons *reasons, PsReasonKind kind, const char *codes,
                     gboolean vietnamese)
{
  g_return_val_if_fail (reasons != NULL, NULL);
  if (codes == NULL)
    return g_strdup ("");
  g_auto (GStrv) ids = g_strsplit (codes, ",", -1);
  GString *text = g_string_new (NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (*ids[i] == '\0')
        continue;
      const PsReason *reason = ps_reasons_find (reasons, kind, ids[i]);
      if (text->len > 0)
        g_string_append (text, "; ");
      /* A code no longer in the reasons file is shown as it was recorded. */
      g_string_append (text, reason == NULL ? ids[i]
                             : vietnamese   ? reason->text_vi
                                            : reason->text_en);
    }
  return g_string_free (text, FALSE);
}
