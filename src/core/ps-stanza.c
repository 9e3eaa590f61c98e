/* ps-stanza.c — the `key: value` stanza format of the data files.
 *
 * A data file is a list of stanzas separated by blank lines; a stanza is a
 * list of `key: value` lines; a line that starts with a blank continues the
 * value above it; a line whose first non-blank character is `#` is a
 * comment. It is meant to be read and edited by a supervisor in any text
 * editor, and every error names the file and the line.
 */
#include "ps-core-private.h"

#include <string.h>

#define STANZA_LINE_MAX 4096

static void
ps_stanza_field_free (PsStanzaField *field)
{
  g_free (field->key);
  g_free (field->value);
  g_free (field);
}

static void
ps_stanza_free (PsStanza *stanza)
{
  g_ptr_array_unref (stanza->fields);
  g_free (stanza);
}

static gboolean
is_key_char (char c)
{
  return g_ascii_islower (c) || g_ascii_isdigit (c) || c == '-';
}

static gboolean
is_blank_line (const char *line)
{
  for (; *line != '\0'; line++)
    if (*line != ' ' && *line != '\t')
      return FALSE;
  return TRUE;
}

GPtrArray *
ps_stanzas_parse (const char *data, gsize len, const char *source, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  g_autoptr (GPtrArray) stanzas = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_stanza_free);
  PsStanza *current = NULL;
  PsStanzaField *last_field = NULL;
  PsLines lines;
  ps_lines_init (&lines, data, len, source, PS_ERROR_DATA_FILE);
  for (char *next; (next = ps_lines_next (&lines, error)) != NULL;)
    {
      g_autofree char *line = next;
      guint line_number = lines.number;
      if (strlen (line) > STANZA_LINE_MAX)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: the line is longer than %u bytes."), source, line_number,
                       STANZA_LINE_MAX);
          return NULL;
        }

      if (is_blank_line (line))
        {
          current = NULL;
          last_field = NULL;
          continue;
        }

      const char *first = line + strspn (line, " \t");
      if (*first == '#')
        continue;

      if (first != line)
        {
          /* Continuation of the value above. */
          if (last_field == NULL)
            {
              g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                           _ ("%s:%u: the line starts with a blank but continues no value."),
                           source, line_number);
              return NULL;
            }
          g_autofree char *more = g_strstrip (g_strdup (first));
          char *joined = g_strconcat (last_field->value, " ", more, NULL);
          g_free (last_field->value);
          last_field->value = joined;
          continue;
        }

      gsize key_len = 0;
      while (is_key_char (line[key_len]))
        key_len++;
      if (key_len == 0 || line[key_len] != ':')
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: expected ‘key: value’ (a key in lower-case letters, digits and "
                          "‘-’, then a colon)."),
                       source, line_number);
          return NULL;
        }

      g_autofree char *key = g_strndup (line, key_len);
      g_autofree char *value = g_strstrip (g_strdup (line + key_len + 1));
      if (*value == '\0')
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("%s:%u: ‘%s’ has no value."), source,
                       line_number, key);
          return NULL;
        }

      if (current == NULL)
        {
          current = g_new0 (PsStanza, 1);
          current->line = line_number;
          current->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_stanza_field_free);
          g_ptr_array_add (stanzas, current);
        }
      else if (ps_stanza_get (current, key) != NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: ‘%s’ appears twice in the same entry; separate entries with a "
                          "blank line."),
                       source, line_number, key);
          return NULL;
        }

      PsStanzaField *field = g_new0 (PsStanzaField, 1);
      field->key = g_steal_pointer (&key);
      field->value = g_steal_pointer (&value);
      field->line = line_number;
      g_ptr_array_add (current->fields, field);
      last_field = field;
    }
  if (lines.refused)
    return NULL;

  return g_steal_pointer (&stanzas);
}

const PsStanzaField *
ps_stanza_get (const PsStanza *stanza, const char *key)
{
  for (guint i = 0; i < stanza->fields->len; i++)
    {
      const PsStanzaField *field = g_ptr_array_index (stanza->fields, i);
      if (strcmp (field->key, key) == 0)
        return field;
    }
  return NULL;
}

gboolean
ps_stanza_check_keys (const PsStanza *stanza, const char *const *allowed, const char *source,
                      GError **error)
{
  for (guint i = 0; i < stanza->fields->len; i++)
    {
      const PsStanzaField *field = g_ptr_array_index (stanza->fields, i);
      if (!g_strv_contains (allowed, field->key))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);
          g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                       _ ("%s:%u: unknown key ‘%s’ here (known keys: %s)."), source, field->line,
                       field->key, list);
          return FALSE;
        }
    }
  return TRUE;
}

const char *
ps_stanza_require (const PsStanza *stanza, const char *key, const char *source, GError **error)
{
  const PsStanzaField *field = ps_stanza_get (stanza, key);
  if (field == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s:%u: the entry starting on this line has no ‘%s’."), source, stanza->line,
                   key);
      return NULL;
    }
  return field->value;
}

gboolean
ps_stanza_get_uint (const PsStanza *stanza, const char *key, guint max, gboolean required,
                    guint default_value, guint *out, const char *source, GError **error)
{
  const PsStanzaField *field = ps_stanza_get (stanza, key);
  guint64 value = 0;

  if (field == NULL)
    {
      if (required)
        return ps_stanza_require (stanza, key, source, error) != NULL;
      *out = default_value;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (field->value, 10, 0, max, &value, NULL))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s:%u: ‘%s’ must be a whole number from 0 to %u."), source, field->line, key,
                   max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

gboolean
ps_stanza_get_bool (const PsStanza *stanza, const char *key, gboolean default_value, gboolean *out,
                    const char *source, GError **error)
{
  const PsStanzaField *field = ps_stanza_get (stanza, key);

  if (field == NULL)
    *out = default_value;
  else if (strcmp (field->value, "yes") == 0)
    *out = TRUE;
  else if (strcmp (field->value, "no") == 0)
    *out = FALSE;
  else
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("%s:%u: ‘%s’ must be ‘yes’ or ‘no’."),
                   source, field->line, key);
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_stanza_check_id (const PsStanzaField *field, const char *source, GError **error)
{
  gsize len = strlen (field->value);
  gboolean ok = len > 0 && len <= 64;

  for (gsize i = 0; ok && i < len; i++)
    ok = g_ascii_islower (field->value[i]) || g_ascii_isdigit (field->value[i]) ||
         field->value[i] == '-' || field->value[i] == '_';
  if (!ok)
    g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                 _ ("%s:%u: an id is 1 to 64 lower-case letters, digits, ‘-’ or ‘_’."), source,
                 field->line);
  return ok;
}

char *
ps_data_digest (const char *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}
