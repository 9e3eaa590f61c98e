/* ps-contact.c — how a phone number is typed and kept, for the acceptance
 * (which checks it) and the risk rules (which compare numbers). */
#include "ps-core-private.h"

#include <string.h>

/* A phone number as typed: 8 to 15 digits, with blanks, dots, dashes,
 * parentheses and a leading '+' allowed. Returns the digits (with the '+'). */
gboolean
ps_contact_check_phone (const char *text, const char *label, gboolean required, char **out,
                        GError **error)
{
  g_autofree char *value = NULL;

  *out = NULL;
  if (!ps_text_check (text, label, required, 30, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;

  GString *digits = g_string_new (NULL);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || (*p == '+' && p == value))
        g_string_append_c (digits, *p);
      else if (strchr (" .-()", *p) == NULL)
        {
          g_string_free (digits, TRUE);
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("%s may contain only digits, blanks, dots, dashes, parentheses and a "
                          "leading ‘+’."),
                       label);
          return FALSE;
        }
    }

  gsize n_digits = digits->len - (digits->str[0] == '+' ? 1 : 0);
  if (n_digits < 8 || n_digits > 15)
    {
      g_string_free (digits, TRUE);
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("%s must have 8 to 15 digits."),
                   label);
      return FALSE;
    }
  *out = g_string_free (digits, FALSE);
  return TRUE;
}

char *
ps_contact_normalize_phone (const char *phone)
{
  g_autofree char *digits = ps_text_digits_only (phone);
  if (g_str_has_prefix (digits, "84") && strlen (digits) >= 11)
    return g_strconcat ("0", digits + 2, NULL);
  return g_steal_pointer (&digits);
}
