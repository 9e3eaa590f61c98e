/* test-cccd.c — the CCCD QR payload and ID numbers. */
#include "parcelscreen/parcelscreen.h"

#include <string.h>

/* A man born 1990 registered in Hà Nội (001), century/sex digit 0, year 90. */
#define MAN_1990 "001090012345"
/* A woman born 2001 registered in Lạng Sơn (020): digit 3, year 01. */
#define WOMAN_2001 "020301004567"

static const PsDate today = { 2026, 11, 28 };

static PsCccd *
parse_ok (const char *payload)
{
  g_autoptr (GError) error = NULL;
  PsCccd *cccd = ps_cccd_parse (payload, -1, &today, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cccd);
  return cccd;
}

static char *
parse_error (const char *payload, gssize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsCccd) cccd = ps_cccd_parse (payload, len, &today, &error);
  g_assert_null (cccd);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  return g_strdup (error->message);
}

static void
test_seven_fields (void)
{
  g_autoptr (PsCccd) cccd = parse_ok (MAN_1990 "|012345678|Nguyễn Văn An|15031990|Nam|"
                                               "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|20042021");
  g_assert_cmpstr (cccd->id_number, ==, MAN_1990);
  g_assert_cmpstr (cccd->old_id_number, ==, "012345678");
  g_assert_cmpstr (cccd->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpuint (cccd->birth_date.year, ==, 1990);
  g_assert_cmpuint (cccd->birth_date.month, ==, 3);
  g_assert_cmpuint (cccd->birth_date.day, ==, 15);
  g_assert_cmpint (cccd->sex, ==, PS_SEX_MALE);
  g_assert_cmpstr (cccd->address, ==, "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội");
  g_assert_cmpuint (cccd->issue_date.year, ==, 2021);
}

static void
test_variants (void)
{
  /* Empty old ID, slashed dates, female. */
  g_autoptr (PsCccd) woman = parse_ok (WOMAN_2001 "||Trần Thị Bình|01/02/2001|Nữ|"
                                                  "Thôn Nà Lừa, Lạng Sơn|10/10/2022");
  g_assert_null (woman->old_id_number);
  g_assert_cmpint (woman->sex, ==, PS_SEX_FEMALE);
  g_assert_cmpuint (woman->birth_date.month, ==, 2);

  /* Six fields without the old ID. */
  g_autoptr (PsCccd) six = parse_ok (MAN_1990 "|Lê Văn Cường|15031990|Nam|Hà Nội|20042021");
  g_assert_null (six->old_id_number);
  g_assert_cmpstr (six->full_name, ==, "Lê Văn Cường");
  g_assert_cmpuint (six->issue_date.year, ==, 2021);

  /* Six fields without the issue date. */
  g_autoptr (PsCccd) no_issue = parse_ok (MAN_1990 "|012345678|Lê Văn Cường|15031990|Nam|Hà Nội");
  g_assert_cmpstr (no_issue->old_id_number, ==, "012345678");
  g_assert_cmpuint (no_issue->issue_date.year, ==, 0);

  /* As a 2D scanner delivers it: AIM prefix for QR, CR suffix. */
  g_autoptr (PsCccd) scanned = parse_ok ("]Q1" MAN_1990 "||Phạm An|15031990|Nam|Huế|01012022\r");
  g_assert_cmpstr (scanned->full_name, ==, "Phạm An");
}

static void
test_nfc (void)
{
  /* "Nguyễn" decomposed (e + circumflex + tilde as combining marks) is kept as
   * the same name, in NFC. */
  g_autoptr (PsCccd) cccd =
      parse_ok (MAN_1990 "||Nguye\xcc\x82\xcc\x83n An|15031990|Nam|HN|01012022");
  g_assert_cmpstr (cccd->full_name, ==, "Nguyễn An");
}

static void
test_rejections (void)
{
  struct
  {
    const char *payload;
    const char *expected;
  } cases[] = {
    { "00109001234|012345678|A|15031990|Nam|HN|01012022", "12 digits" },
    { "003090012345||A|15031990|Nam|HN|01012022", "first three digits are 003" },
    { "001090012345|1234|A|15031990|Nam|HN|01012022", "9 digits" },
    { "001090012345||A|31021990|Nam|HN|01012022", "date of birth" },
    { "001090012345||A|1990-03-15|Nam|HN|01012022", "date of birth" },
    { "001090012345||A|15031990|X|HN|01012022", "neither ‘Nam’ nor ‘Nữ’" },
    { "001090012345||A|15031990|Nam|HN|32012022", "date of issue" },
    { "001090012345||A|15031990|Nam|HN|01011980", "before the date of birth" },
    { "001090012345||A|15031990|Nam|HN|01012030", "in the future" },
    { "001290012345||A|15031990|Nam|HN|01012022", "does not agree" },
    { "001090012345||A|15031990|Nữ|HN|01012022", "does not agree" },
    { "001091012345||A|15031990|Nam|HN|01012022", "does not agree" },
    { "001090012345|||15031990|Nam|HN|01012022", "name on the ID card is required" },
    { "001090012345|A|15031990|Nam", "4 fields" },
    { "EE471108151FR", "1 fields" },
    { "001090012345||A|15031990|Nam|HN|01012022|extra", "8 fields" },
    { "001090012345||A|15032030|Nam|HN|", "in the future" },
    { "", "empty" },
    { " \r\n", "empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = parse_error (cases[i].payload, -1);
      if (strstr (message, cases[i].expected) == NULL)
        g_error ("case %u: ‘%s’ does not mention ‘%s’", i, message, cases[i].expected);
      /* Messages never quote the card's data. */
      g_assert_null (strstr (message, "001090012345"));
      /* They say what is wrong; the screen adds what to do, once (issue 11:
       * the advice came twice). */
      g_assert_null (strstr (message, "again"));
      g_assert_null (strstr (message, "instead"));
    }
}

static void
test_hostile (void)
{
  g_autofree char *nul = parse_error (MAN_1990 "||A\0B|15031990|Nam|HN|01012022", 38);
  g_assert_nonnull (strstr (nul, "NUL"));

  g_autofree char *utf8 = parse_error (MAN_1990 "||\xc3\x28|15031990|Nam|HN|01012022", -1);
  g_assert_nonnull (strstr (utf8, "UTF-8"));

  g_autofree char *control = parse_error (MAN_1990 "||A\x07|15031990|Nam|HN|01012022", -1);
  g_assert_nonnull (strstr (control, "control character"));

  g_autofree char *huge = g_strnfill (10000, 'a');
  g_autofree char *too_long = parse_error (huge, -1);
  g_assert_nonnull (strstr (too_long, "too long"));

  g_autofree char *name = g_strnfill (101, 'a');
  g_autofree char *payload = g_strdup_printf (MAN_1990 "||%s|15031990|Nam|HN|01012022", name);
  g_autofree char *long_name = parse_error (payload, -1);
  g_assert_nonnull (strstr (long_name, "too long"));

  g_autofree char *pipes = g_strnfill (500, '|');
  g_autofree char *many = parse_error (pipes, -1);
  g_assert_nonnull (strstr (many, "501 fields"));
}

static void
test_id_number (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ps_cccd_check_id_number ("096123456789", &error));
  g_assert_true (ps_cccd_check_id_number ("079203000001", &error));
  g_assert_no_error (error);
  g_assert_false (ps_cccd_check_id_number ("097123456789", &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ps_cccd_check_id_number ("07920300000a", &error));
  g_clear_error (&error);
  g_assert_false (ps_cccd_check_id_number ("0792030000011", &error));
  g_clear_error (&error);

  g_autofree char *masked = ps_cccd_mask_id ("079203000123");
  g_assert_cmpstr (masked, ==, "*********123");
}

static void
test_copy (void)
{
  g_autoptr (PsCccd) cccd = parse_ok (MAN_1990 "|012345678|An|15031990|Nam|HN|01012022");
  g_autoptr (PsCccd) copy = ps_cccd_copy (cccd);
  g_assert_true (copy->full_name != cccd->full_name);
  g_assert_cmpstr (copy->old_id_number, ==, "012345678");
  g_assert_cmpint (ps_date_compare (&copy->birth_date, &cccd->birth_date), ==, 0);
}

static void
test_dates (void)
{
  PsDate date;

  g_assert_true (ps_date_parse_vn ("29022024", &date));
  g_assert_false (ps_date_parse_vn ("29022023", &date));
  g_assert_true (ps_date_parse_vn ("31/12/1999", &date));
  g_assert_false (ps_date_parse_vn ("31-12-1999", &date));
  g_assert_false (ps_date_parse_vn ("3112199", &date));
  g_assert_false (ps_date_parse_vn ("00011990", &date));

  g_autofree char *iso = ps_date_to_iso (&date);
  g_assert_cmpstr (iso, ==, "1999-12-31");
  g_autofree char *vn = ps_date_to_vn (&date);
  g_assert_cmpstr (vn, ==, "31/12/1999");

  /* 2026-11-28 17:30 UTC is already the 29th in Vietnam (UTC+7). */
  g_autoptr (GDateTime) utc = g_date_time_new_utc (2026, 11, 28, 17, 30, 0);
  PsDate local = ps_date_from_unix_us (g_date_time_to_unix (utc) * G_USEC_PER_SEC);
  g_assert_cmpuint (local.day, ==, 29);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cccd/seven-fields", test_seven_fields);
  g_test_add_func ("/cccd/variants", test_variants);
  g_test_add_func ("/cccd/nfc", test_nfc);
  g_test_add_func ("/cccd/rejections", test_rejections);
  g_test_add_func ("/cccd/hostile", test_hostile);
  g_test_add_func ("/cccd/id-number", test_id_number);
  g_test_add_func ("/cccd/copy", test_copy);
  g_test_add_func ("/cccd/dates", test_dates);
  return g_test_run ();
}
