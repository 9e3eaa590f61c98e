/* ps-cccd.c — the QR payload of the Vietnamese chip citizen ID card (CCCD).
 *
 * The 12-digit number encodes, by Circular 07/2016/TT-BCA, the province of
 * birth registration (digits 1–3), a century-and-sex digit (4: 0/1 for men/
 * women born 1900–1999, 2/3 for 2000–2099, and so on) and the last two digits
 * of the year of birth (5–6). A card whose number disagrees with its own date
 * of birth or sex is refused: that is a misread or a forgery.
 *
 * Error messages never quote the card's data: they may end up in a log.
 */
#include "ps-core-private.h"

#include <string.h>

#define CCCD_ID_DIGITS     12
#define CCCD_OLD_ID_DIGITS 9
#define CCCD_NAME_MAX      100
#define CCCD_ADDRESS_MAX   300
#define CCCD_PAYLOAD_MAX   1000

/* Province and centrally-run city codes (the 63 of Circular 07/2016; the
 * 2025 mergers kept the numbers already issued). */
static const guint16 province_codes[] = {
  1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
  34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
  67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
};

void
ps_cccd_free (PsCccd *cccd)
{
  if (cccd == NULL)
    return;
  g_free (cccd->id_number);
  g_free (cccd->old_id_number);
  g_free (cccd->full_name);
  g_free (cccd->address);
  g_free (cccd);
}

PsCccd *
ps_cccd_copy (const PsCccd *cccd)
{
  g_return_val_if_fail (cccd != NULL, NULL);

  PsCccd *copy = g_memdup2 (cccd, sizeof *cccd);
  copy->id_number = g_strdup (cccd->id_number);
  copy->old_id_number = g_strdup (cccd->old_id_number);
  copy->full_name = g_strdup (cccd->full_name);
  copy->address = g_strdup (cccd->address);
  return copy;
}

static gboolean
all_digits (const char *text, gsize n)
{
  if (strlen (text) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
ps_cccd_check_id_number (const char *id_number, GError **error)
{
  g_return_val_if_fail (id_number != NULL, FALSE);

  if (!all_digits (id_number, CCCD_ID_DIGITS))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The ID number must have exactly 12 digits."));
      return FALSE;
    }

  guint province =
      (guint) ((id_number[0] - '0') * 100 + (id_number[1] - '0') * 10 + (id_number[2] - '0'));
  for (guint i = 0; i < G_N_ELEMENTS (province_codes); i++)
    if (province_codes[i] == province)
      return TRUE;

  g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
               _ ("The ID number does not start with a province code (its first three digits "
                  "are %03u)."),
               province);
  return FALSE;
}

char *
ps_cccd_mask_id (const char *id_number)
{
  g_return_val_if_fail (id_number != NULL, NULL);

  gsize len = strlen (id_number);
  GString *masked = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    g_string_append_c (masked, i + 3 < len ? '*' : id_number[i]);
  return g_string_free (masked, FALSE);
}

static gboolean
parse_sex (const char *text, PsSex *out)
{
  g_autofree char *folded = ps_text_fold (text);
  if (g_strcmp0 (folded, "nam") == 0 || g_strcmp0 (folded, "male") == 0)
    *out = PS_SEX_MALE;
  else if (g_strcmp0 (folded, "nu") == 0 || g_strcmp0 (folded, "female") == 0)
    *out = PS_SEX_FEMALE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
check_id_against_birth (const PsCccd *cccd, GError **error)
{
  guint century_sex = (guint) (cccd->id_number[3] - '0');
  guint year_digits = (guint) ((cccd->id_number[4] - '0') * 10 + (cccd->id_number[5] - '0'));
  guint year = cccd->birth_date.year;

  if (year < 1900 || year >= 2400)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The year of birth on the ID card is out of range."));
      return FALSE;
    }

  guint expected = (year - 1900) / 100 * 2 + (cccd->sex == PS_SEX_FEMALE ? 1 : 0);
  if (century_sex != expected || year_digits != year % 100)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The ID number does not agree with the date of birth and sex on the card "
                      "(digits 4 to 6)."));
      return FALSE;
    }
  return TRUE;
}

PsCccd *
ps_cccd_parse (const char *payload, gssize len, const PsDate *today, GError **error)
{
  g_return_val_if_fail (payload != NULL || len == 0, NULL);

  g_autofree char *clean = ps_scan_clean (payload, len, CCCD_PAYLOAD_MAX, NULL, error);
  if (clean == NULL)
    return NULL;

  if (*clean == '\0')
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("The scan is empty."));
      return NULL;
    }

  g_auto (GStrv) fields = g_strsplit (clean, "|", -1);
  guint n_fields = g_strv_length (fields);
  /* Which field holds what: 7 fields, or 6 without the issue date (the old
   * ID field is empty or 9 digits), or 6 without the old ID. */
  int layout_7[7] = { 0, 1, 2, 3, 4, 5, 6 };
  int without_issue[7] = { 0, 1, 2, 3, 4, 5, -1 };
  int without_old[7] = { 0, -1, 1, 2, 3, 4, 5 };
  const int *layout;

  if (n_fields == 7)
    layout = layout_7;
  else if (n_fields == 6 && (*fields[1] == '\0' || all_digits (fields[1], CCCD_OLD_ID_DIGITS)))
    layout = without_issue;
  else if (n_fields == 6)
    layout = without_old;
  else
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("This is not the QR code of a citizen ID card: it has %u fields separated by "
                      "‘|’, a CCCD has 6 or 7."),
                   n_fields);
      return NULL;
    }

#define FIELD(i) (layout[i] >= 0 ? fields[layout[i]] : NULL)
  const char *id = FIELD (0);
  const char *old_id = FIELD (1);
  const char *name = FIELD (2);
  const char *birth = FIELD (3);
  const char *sex = FIELD (4);
  const char *address = FIELD (5);
  const char *issue = FIELD (6);
#undef FIELD

  g_autoptr (PsCccd) cccd = g_new0 (PsCccd, 1);

  if (!ps_cccd_check_id_number (id, error))
    return NULL;
  cccd->id_number = g_strdup (id);

  if (old_id != NULL && *old_id != '\0')
    {
      if (!all_digits (old_id, CCCD_OLD_ID_DIGITS))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("The old ID number on the card must have 9 digits."));
          return NULL;
        }
      cccd->old_id_number = g_strdup (old_id);
    }

  cccd->full_name =
      ps_text_check_field (name, _ ("The name on the ID card"), TRUE, CCCD_NAME_MAX, error);
  if (cccd->full_name == NULL)
    return NULL;

  if (!ps_date_parse_vn (birth, &cccd->birth_date))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The date of birth on the ID card is not a valid date (DDMMYYYY)."));
      return NULL;
    }
  if (today != NULL && ps_date_compare (&cccd->birth_date, today) > 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The date of birth on the ID card is in the future."));
      return NULL;
    }

  if (!parse_sex (sex, &cccd->sex))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The sex on the ID card is neither ‘Nam’ nor ‘Nữ’."));
      return NULL;
    }

  g_autoptr (GError) address_error = NULL;
  cccd->address = ps_text_check_field (address, _ ("The address on the ID card"), FALSE,
                                       CCCD_ADDRESS_MAX, &address_error);
  if (address_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&address_error));
      return NULL;
    }

  if (issue != NULL)
    {
      if (!ps_date_parse_vn (issue, &cccd->issue_date))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("The date of issue on the ID card is not a valid date (DDMMYYYY)."));
          return NULL;
        }
      if (ps_date_compare (&cccd->issue_date, &cccd->birth_date) < 0 ||
          (today != NULL && ps_date_compare (&cccd->issue_date, today) > 0))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("The date of issue on the ID card is before the date of birth or in "
                          "the future."));
          return NULL;
        }
    }

  if (!check_id_against_birth (cccd, error))
    return NULL;

  return g_steal_pointer (&cccd);
}
