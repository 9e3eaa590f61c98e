/* ps-cccd.h — the Vietnamese chip citizen identity card (CCCD) and its QR payload. */
#pragma once

#include <glib.h>
#include "ps-date.h"

G_BEGIN_DECLS

typedef enum
{
  PS_SEX_UNKNOWN,
  PS_SEX_MALE,
  PS_SEX_FEMALE,
} PsSex;

/**
 * PsCccd:
 * @id_number: the 12-digit personal identification number
 * @old_id_number: (nullable): the 9-digit number of the older card (CMND), if printed
 * @full_name: the holder's name as printed, NFC
 * @birth_date: date of birth
 * @sex: sex
 * @address: (nullable): permanent residence as printed, NFC
 * @issue_date: date of issue (all zero when the payload has none)
 */
typedef struct
{
  char *id_number;
  char *old_id_number;
  char *full_name;
  PsDate birth_date;
  PsSex sex;
  char *address;
  PsDate issue_date;
} PsCccd;

void ps_cccd_free (PsCccd *cccd);
PsCccd *ps_cccd_copy (const PsCccd *cccd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCccd, ps_cccd_free)

/**
 * ps_cccd_parse:
 * @payload: the QR code text as scanned
 * @len: length of @payload in bytes, or -1 if NUL-terminated
 * @today: (nullable): today's date, to refuse dates in the future
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Parses `ID|old ID|name|date of birth|sex|address|issue date` and its
 * 6-field variants (without the old ID, or without the issue date). Checks
 * the ID number (see ps_cccd_check_id_number()), that its century/sex digit
 * and year digits agree with the date of birth and sex, and the dates. The
 * error says what is wrong, never what to do: the screen adds that, once.
 *
 * Returns: (transfer full): the card, or %NULL with @error set
 */
PsCccd *ps_cccd_parse (const char *payload, gssize len, const PsDate *today, GError **error);

/**
 * ps_cccd_check_id_number:
 * @id_number: a typed or scanned ID number
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Returns: %TRUE if @id_number has 12 digits and starts with the code of a
 *   province or centrally-run city
 */
gboolean ps_cccd_check_id_number (const char *id_number, GError **error);

/**
 * ps_cccd_mask_id:
 * @id_number: an ID number
 *
 * Returns: (transfer full): the number with all but its last three digits
 *   hidden ("*********789"), for screens and printouts that need no more
 */
char *ps_cccd_mask_id (const char *id_number);

G_END_DECLS
