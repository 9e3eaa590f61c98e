/* ps-text.c — cleaning scanner input and folding Vietnamese text for matching. */
#include "ps-core-private.h"

#include <string.h>

/* Characters that never belong to a scanned or typed value: C0/C1 controls
 * and invisible format characters such as a byte-order mark. */
static gboolean
is_invisible (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);
  return type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT;
}

static gboolean
is_blank_or_invisible (gunichar c)
{
  return g_unichar_isspace (c) || is_invisible (c);
}

char *
ps_scan_clean (const char *input, gssize len, guint max_chars, char **symbology, GError **error)
{
  g_return_val_if_fail (input != NULL || len == 0, NULL);

  if (symbology != NULL)
    *symbology = NULL;
  if (len < 0)
    len = (gssize) strlen (input);

  if (memchr (input, '\0', (gsize) len) != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scan contains a NUL byte; scan the code again."));
      return NULL;
    }
  if (!g_utf8_validate_len (input, (gsize) len, NULL))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scan is not valid text (invalid UTF-8); check the scanner's "
                      "settings and scan again."));
      return NULL;
    }

  const char *start = input;
  const char *end = input + len;

  /* Surrounding blanks and control characters (CR/LF suffix, GS, BOM). */
  while (start < end && is_blank_or_invisible (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);
      if (prev == NULL || !is_blank_or_invisible (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (ps_aim_is_symbology (start, (gsize) (end - start)))
    {
      if (symbology != NULL)
        *symbology = g_strndup (start, 3);
      start += 3;
      while (start < end && is_blank_or_invisible (g_utf8_get_char (start)))
        start = g_utf8_next_char (start);
    }

  guint position = 1;
  for (const char *p = start; p < end; p = g_utf8_next_char (p), position++)
    {
      if (is_invisible (g_utf8_get_char (p)))
        {
          if (symbology != NULL)
            g_clear_pointer (symbology, g_free);
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("The scan contains a control character at position %u; scan the code "
                          "again."),
                       position);
          return NULL;
        }
      if (position > max_chars)
        {
          if (symbology != NULL)
            g_clear_pointer (symbology, g_free);
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("The scan is too long (more than %u characters)."), max_chars);
          return NULL;
        }
    }

  return g_utf8_normalize (start, end - start, G_NORMALIZE_NFC);
}

char *
ps_text_fold (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  GString *out = g_string_sized_new (strlen (decomposed));
  gboolean pending_space = FALSE;

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (c == 0x0111 || c == 0x0110) /* đ Đ: a letter of its own, not d + mark */
        c = 'd';

      if (g_unichar_isalnum (c))
        {
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_unichar (out, c);
        }
      else
        {
          pending_space = TRUE;
        }
    }

  g_autofree char *result = g_string_free (out, FALSE);
  return g_utf8_normalize (result, -1, G_NORMALIZE_NFC);
}

gboolean
ps_text_has_phrase (const char *folded_text, const char *folded_phrase)
{
  g_return_val_if_fail (folded_text != NULL, FALSE);
  g_return_val_if_fail (folded_phrase != NULL, FALSE);

  gsize phrase_len = strlen (folded_phrase);
  if (phrase_len == 0)
    return FALSE;

  for (const char *hit = strstr (folded_text, folded_phrase); hit != NULL;
       hit = strstr (hit + 1, folded_phrase))
    {
      gboolean starts_word = hit == folded_text || hit[-1] == ' ';
      gboolean ends_word = hit[phrase_len] == '\0' || hit[phrase_len] == ' ';
      if (starts_word && ends_word)
        return TRUE;
    }
  return FALSE;
}

char *
ps_text_digits_only (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  GString *out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

char *
ps_text_check_field (const char *text, const char *label, gboolean required, guint max_chars,
                     GError **error)
{
  g_return_val_if_fail (label != NULL, NULL);

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not valid text (invalid UTF-8)."), label);
      return NULL;
    }

  g_autofree char *value = text != NULL ? g_utf8_normalize (text, -1, G_NORMALIZE_NFC) : NULL;
  if (value != NULL)
    g_strstrip (value);

  if (value == NULL || *value == '\0')
    {
      if (required)
        g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("%s is required."), label);
      return NULL;
    }

  guint n_chars = 0;
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);
      if (c != '\n' && c != '\t' && is_invisible (c))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("%s contains a control character."), label);
          return NULL;
        }
    }
  if (n_chars > max_chars)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is too long (%u characters; at most %u)."), label, n_chars, max_chars);
      return NULL;
    }

  return g_steal_pointer (&value);
}

gboolean
ps_usb_id_parse (const char *text, guint16 *vendor, guint16 *product)
{
  guint64 v, p;
  if (text == NULL || strlen (text) != 9 || text[4] != ':')
    return FALSE;
  g_autofree char *v_text = g_strndup (text, 4);
  if (!g_ascii_string_to_unsigned (v_text, 16, 0, 0xffff, &v, NULL) ||
      !g_ascii_string_to_unsigned (text + 5, 16, 0, 0xffff, &p, NULL))
    return FALSE;
  *vendor = (guint16) v;
  *product = (guint16) p;
  return TRUE;
}

gboolean
ps_json_too_deep (const char *text, gsize len, guint max_depth)
{
  g_return_val_if_fail (text != NULL || len == 0, TRUE);
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            return TRUE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return FALSE;
}

gboolean
ps_aim_is_symbology (const char *text, gsize len)
{
  /* ']', the code character (a letter), the modifier (a letter or digit). */
  return text != NULL && len >= 3 && text[0] == ']' && g_ascii_isalpha (text[1]) &&
         g_ascii_isalnum (text[2]);
}

gboolean
ps_text_check (const char *text, const char *label, gboolean required, guint max_chars, char **out,
               GError **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_autoptr (GError) local_error = NULL;
  *out = ps_text_check_field (text, label, required, max_chars, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

void
ps_lines_init (PsLines *lines, const char *data, gsize len, const char *source, int code)
{
  g_return_if_fail (lines != NULL && (data != NULL || len == 0) && source != NULL);
  /* (No arithmetic on a NULL pointer, even + 0.) */
  *lines =
      (PsLines){ .next = data, .end = len > 0 ? data + len : data, .source = source, .code = code };
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    lines->next += 3;
}

char *
ps_lines_next (PsLines *lines, GError **error)
{
  g_return_val_if_fail (lines != NULL, NULL);

  if (lines->refused || lines->next >= lines->end)
    return NULL;

  const char *start = lines->next;
  const char *newline = memchr (start, '\n', (gsize) (lines->end - start));
  gsize len = (gsize) ((newline != NULL ? newline : lines->end) - start);
  lines->next = newline != NULL ? newline + 1 : lines->end;
  lines->number++;

  if (len > 0 && start[len - 1] == '\r')
    len--;
  if (memchr (start, '\0', len) != NULL)
    {
      g_set_error (error, PS_ERROR, lines->code, _ ("%s:%u: the line contains a NUL byte."),
                   lines->source, lines->number);
      lines->refused = TRUE;
      return NULL;
    }
  if (!g_utf8_validate_len (start, len, NULL))
    {
      g_set_error (error, PS_ERROR, lines->code,
                   _ ("%s:%u: the line is not valid UTF-8 text; save the file as UTF-8."),
                   lines->source, lines->number);
      lines->refused = TRUE;
      return NULL;
    }
  return g_strndup (start, len);
}
