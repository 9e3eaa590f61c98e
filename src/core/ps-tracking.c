/* ps-tracking.c — UPU S10 tracking numbers and configured operator formats.
 *
 * An S10 identifier is two letters (service indicator), eight digits
 * (serial), a check digit and an ISO 3166-1 alpha-2 country code:
 * EE 47110815 1 FR. A code of that shape is always validated as S10, so a
 * mistyped digit is caught even when an operator format would match it.
 */
#include "ps-core-private.h"

#include <string.h>

#define S10_LENGTH 13

typedef struct
{
  char first;
  const char *seconds; /* allowed second letters */
  const char *meaning;
} PsS10Service;

#define ALL_LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static const PsS10Service s10_services[] = {
  { 'A', ALL_LETTERS, N_ ("letter post: recorded delivery or tracked e-commerce item") },
  { 'B', ALL_LETTERS, N_ ("domestic, bilateral or multilateral use") },
  { 'C', ALL_LETTERS, N_ ("parcel post") },
  { 'D', ALL_LETTERS, N_ ("domestic, bilateral or multilateral use") },
  { 'E', ALL_LETTERS, N_ ("EMS (express mail service)") },
  { 'G', "AD", N_ ("domestic, bilateral or multilateral use") },
  { 'H', ALL_LETTERS, N_ ("e-commerce item (by agreement)") },
  { 'L', ALL_LETTERS, N_ ("letter post: express delivery") },
  { 'N', ALL_LETTERS, N_ ("domestic, bilateral or multilateral use") },
  { 'P', ALL_LETTERS, N_ ("domestic, bilateral or multilateral use") },
  { 'R', ALL_LETTERS, N_ ("letter post: registered") },
  { 'U', ALL_LETTERS, N_ ("letter post: item subject to customs control (CN 22/CN 23)") },
  { 'V', ALL_LETTERS, N_ ("letter post: insured") },
  { 'Z', ALL_LETTERS, N_ ("domestic, bilateral or multilateral use") },
};

typedef struct
{
  char *name;
  GRegex *regex;
} PsTrackingFormat;

struct _PsTrackingFormats
{
  GPtrArray *formats; /* PsTrackingFormat */
};

static void
ps_tracking_format_free (PsTrackingFormat *format)
{
  g_free (format->name);
  g_regex_unref (format->regex);
  g_free (format);
}

PsTrackingFormats *
ps_tracking_formats_new (void)
{
  PsTrackingFormats *formats = g_new0 (PsTrackingFormats, 1);
  formats->formats = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_tracking_format_free);
  return formats;
}

void
ps_tracking_formats_free (PsTrackingFormats *formats)
{
  if (formats == NULL)
    return;
  g_ptr_array_unref (formats->formats);
  g_free (formats);
}

gboolean
ps_tracking_formats_add (PsTrackingFormats *formats, const char *name, const char *pattern,
                         GError **error)
{
  g_return_val_if_fail (formats != NULL, FALSE);
  g_return_val_if_fail (name != NULL && pattern != NULL, FALSE);

  g_autoptr (GError) local_error = NULL;
  g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", pattern);
  GRegex *regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &local_error);
  if (regex == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("The pattern of tracking format ‘%s’ is not a valid regular expression: %s"),
                   name, local_error->message);
      return FALSE;
    }

  PsTrackingFormat *format = g_new0 (PsTrackingFormat, 1);
  format->name = g_strdup (name);
  format->regex = regex;
  g_ptr_array_add (formats->formats, format);
  return TRUE;
}

guint
ps_tracking_formats_get_n (const PsTrackingFormats *formats)
{
  g_return_val_if_fail (formats != NULL, 0);
  return formats->formats->len;
}

void
ps_tracking_free (PsTracking *tracking)
{
  if (tracking == NULL)
    return;
  g_free (tracking->code);
  g_free (tracking->symbology);
  g_free (tracking->format_name);
  g_free (tracking);
}

PsTracking *
ps_tracking_copy (const PsTracking *tracking)
{
  g_return_val_if_fail (tracking != NULL, NULL);

  PsTracking *copy = g_memdup2 (tracking, sizeof *tracking);
  copy->code = g_strdup (tracking->code);
  copy->symbology = g_strdup (tracking->symbology);
  copy->format_name = g_strdup (tracking->format_name);
  return copy;
}

guint
ps_s10_compute_check_digit (const char *serial)
{
  static const guint weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
  guint sum = 0;

  g_return_val_if_fail (serial != NULL, 0);

  for (guint i = 0; i < 8; i++)
    {
      g_return_val_if_fail (g_ascii_isdigit (serial[i]), 0);
      sum += weights[i] * (guint) (serial[i] - '0');
    }

  guint check = 11 - sum % 11;
  if (check == 10)
    return 0;
  if (check == 11)
    return 5;
  return check;
}

const char *
ps_s10_service_describe (const char *service)
{
  g_return_val_if_fail (service != NULL, NULL);

  if (strlen (service) != 2)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (s10_services); i++)
    if (s10_services[i].first == service[0] && g_ascii_isupper (service[1]) &&
        strchr (s10_services[i].seconds, service[1]) != NULL)
      return _ (s10_services[i].meaning);
  return NULL;
}

static gboolean
has_s10_shape (const char *code)
{
  if (strlen (code) != S10_LENGTH)
    return FALSE;
  for (guint i = 0; i < S10_LENGTH; i++)
    {
      gboolean letter_position = i < 2 || i >= 11;
      if (letter_position ? !g_ascii_isupper (code[i]) : !g_ascii_isdigit (code[i]))
        return FALSE;
    }
  return TRUE;
}

/* Explains how @code (which has no S10 shape) differs from one. */
static char *
describe_shape_mismatch (const char *code)
{
  gsize len = strlen (code);

  if (len != S10_LENGTH)
    return g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "it has %u character; a UPU S10 number has 13",
                     "it has %u characters; a UPU S10 number has 13", (gulong) len),
        (guint) len);

  for (guint i = 0; i < S10_LENGTH; i++)
    {
      gboolean letter_position = i < 2 || i >= 11;
      if (letter_position && !g_ascii_isupper (code[i]))
        return g_strdup_printf (_ ("character %u is ‘%c’ where a UPU S10 number has a letter"),
                                i + 1, code[i]);
      if (!letter_position && !g_ascii_isdigit (code[i]))
        return g_strdup_printf (_ ("character %u is ‘%c’ where a UPU S10 number has a digit"),
                                i + 1, code[i]);
    }
  g_assert_not_reached ();
}

static PsTracking *
parse_s10 (const char *code, GError **error)
{
  g_autoptr (PsTracking) tracking = g_new0 (PsTracking, 1);

  tracking->kind = PS_TRACKING_KIND_S10;
  tracking->code = g_strdup (code);
  memcpy (tracking->service, code, 2);
  memcpy (tracking->serial, code + 2, 8);
  tracking->check_digit = (guint) (code[10] - '0');
  memcpy (tracking->country, code + 11, 2);

  if (ps_s10_service_describe (tracking->service) == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not a valid tracking number: service indicator %s is not assigned "
                      "by UPU S10."),
                   code, tracking->service);
      return NULL;
    }

  guint expected = ps_s10_compute_check_digit (tracking->serial);
  if (expected != tracking->check_digit)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not a valid tracking number: check digit is %u, expected %u."), code,
                   tracking->check_digit, expected);
      return NULL;
    }

  if (ps_country_lookup (tracking->country) == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not a valid tracking number: %s is not an ISO 3166-1 country code."),
                   code, tracking->country);
      return NULL;
    }

  return g_steal_pointer (&tracking);
}

/* Removes blanks inside the number (as typed from the printed form
 * "EE 471 108 151 FR") and upper-cases it; refuses anything but printable
 * ASCII. */
static char *
compact_code (const char *clean, GError **error)
{
  GString *code = g_string_new (NULL);

  for (const char *p = clean; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        continue;
      if (c < 0x21 || c > 0x7e)
        {
          char utf8[8] = { 0 };
          g_unichar_to_utf8 (c, utf8);
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("The tracking number contains ‘%s’; only letters A–Z and digits are "
                          "used in tracking numbers."),
                       utf8);
          g_string_free (code, TRUE);
          return NULL;
        }
      g_string_append_c (code, g_ascii_toupper ((char) c));
    }
  return g_string_free (code, FALSE);
}

PsTracking *
ps_tracking_parse (const char *input, gssize len, const PsTrackingFormats *formats, GError **error)
{
  g_return_val_if_fail (input != NULL || len == 0, NULL);

  g_autofree char *symbology = NULL;
  /* Room for blanks in a typed number; the compact form is checked below. */
  g_autofree char *clean = ps_scan_clean (input, len, PS_TRACKING_MAX_CHARS * 2, &symbology, error);
  if (clean == NULL)
    return NULL;

  g_autofree char *code = compact_code (clean, error);
  if (code == NULL)
    return NULL;

  if (*code == '\0')
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("The tracking number is empty."));
      return NULL;
    }
  if (strlen (code) > PS_TRACKING_MAX_CHARS)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The tracking number is too long (%u characters; at most %u)."),
                   (guint) strlen (code), PS_TRACKING_MAX_CHARS);
      return NULL;
    }

  PsTracking *tracking = NULL;
  if (has_s10_shape (code))
    {
      tracking = parse_s10 (code, error);
    }
  else
    {
      for (guint i = 0; formats != NULL && i < formats->formats->len; i++)
        {
          PsTrackingFormat *format = g_ptr_array_index (formats->formats, i);
          if (g_regex_match (format->regex, code, 0, NULL))
            {
              tracking = g_new0 (PsTracking, 1);
              tracking->kind = PS_TRACKING_KIND_OPERATOR;
              tracking->code = g_strdup (code);
              tracking->format_name = g_strdup (format->name);
              break;
            }
        }
      if (tracking == NULL)
        {
          g_autofree char *why = describe_shape_mismatch (code);
          if (formats != NULL && formats->formats->len > 0)
            g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                         _ ("%s is not a valid tracking number: %s, and it matches none of the "
                            "configured operator formats."),
                         code, why);
          else
            g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                         _ ("%s is not a valid tracking number: %s."), code, why);
        }
    }

  if (tracking != NULL)
    tracking->symbology = g_steal_pointer (&symbology);
  return tracking;
}

gboolean
ps_tracking_input_is_complete (const char *input, const PsTrackingFormats *formats)
{
  g_return_val_if_fail (input != NULL, FALSE);

  g_autofree char *clean = ps_scan_clean (input, -1, PS_TRACKING_MAX_CHARS * 2, NULL, NULL);
  g_autofree char *code = clean != NULL ? compact_code (clean, NULL) : NULL;
  if (code == NULL)
    return TRUE; /* characters no tracking number has: nothing more to wait for */
  if (*code == '\0')
    return FALSE;

  /* A number that an operator format could still take is waited for. */
  for (guint i = 0; formats != NULL && i < formats->formats->len; i++)
    {
      PsTrackingFormat *format = g_ptr_array_index (formats->formats, i);
      g_autoptr (GMatchInfo) match = NULL;
      if (!g_regex_match (format->regex, code, G_REGEX_MATCH_PARTIAL_HARD, &match) &&
          g_match_info_is_partial_match (match))
        return FALSE;
    }
  guint letters_digits = 0;
  for (const char *p = code; *p != '\0'; p++)
    letters_digits += g_ascii_isalnum (*p) ? 1 : 0;
  return letters_digits >= S10_LENGTH;
}
