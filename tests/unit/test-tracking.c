/* test-tracking.c — UPU S10 numbers, scanner normalisation, operator formats. */
#include "parcelscreen/parcelscreen.h"

#include <string.h>

static PsTracking *
parse_ok (const char *input)
{
  g_autoptr (GError) error = NULL;
  PsTracking *tracking = ps_tracking_parse (input, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tracking);
  return tracking;
}

static char *
parse_error (const char *input, gssize len, const PsTrackingFormats *formats)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsTracking) tracking = ps_tracking_parse (input, len, formats, &error);
  g_assert_null (tracking);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  return g_strdup (error->message);
}

static void
test_check_digit (void)
{
  /* The two worked examples, plus the 10 → 0 and 11 → 5 rules. */
  g_assert_cmpuint (ps_s10_compute_check_digit ("47110815"), ==, 1);
  g_assert_cmpuint (ps_s10_compute_check_digit ("12345678"), ==, 5);
  g_assert_cmpuint (ps_s10_compute_check_digit ("47312482"), ==, 9);
  /* sum 0 → 11 - 0 = 11 → 5 */
  g_assert_cmpuint (ps_s10_compute_check_digit ("00000000"), ==, 5);
  /* 00000001: sum 7 → 11 - 7 = 4 */
  g_assert_cmpuint (ps_s10_compute_check_digit ("00000001"), ==, 4);
  /* 00000100: sum 5 → 6 */
  g_assert_cmpuint (ps_s10_compute_check_digit ("00000100"), ==, 6);
  /* 00300000: sum 12 ≡ 1 → 10 → 0 */
  g_assert_cmpuint (ps_s10_compute_check_digit ("00300000"), ==, 0);
}

static void
test_valid (void)
{
  g_autoptr (PsTracking) ee = parse_ok ("EE471108151FR");
  g_assert_cmpint (ee->kind, ==, PS_TRACKING_KIND_S10);
  g_assert_cmpstr (ee->code, ==, "EE471108151FR");
  g_assert_cmpstr (ee->service, ==, "EE");
  g_assert_cmpstr (ee->serial, ==, "47110815");
  g_assert_cmpuint (ee->check_digit, ==, 1);
  g_assert_cmpstr (ee->country, ==, "FR");
  g_assert_null (ee->symbology);
  g_assert_cmpstr (ps_s10_service_describe (ee->service), ==, "EMS (express mail service)");

  g_autoptr (PsTracking) rb = parse_ok ("RB123456785US");
  g_assert_cmpstr (rb->country, ==, "US");
  g_assert_cmpstr (ps_s10_service_describe ("RB"), ==, "letter post: registered");
  g_assert_cmpstr (ps_s10_service_describe ("CP"), ==, "parcel post");

  g_autoptr (PsTracking) vn = parse_ok ("CP003000000VN");
  g_assert_cmpstr (vn->country, ==, "VN");
}

static void
test_normalisation (void)
{
  /* What scanners and people deliver: blanks, lower case, an AIM prefix,
   * a CR/LF suffix, a group separator, a byte-order mark. */
  const char *inputs[] = {
    "  EE471108151FR  ",
    "ee471108151fr",
    "]C0EE471108151FR",
    "]c0 ee471108151fr\r\n",
    "EE471108151FR\t",
    "\x1d"
    "EE471108151FR\x04",
    "\xEF\xBB\xBF"
    "EE471108151FR",
    "EE 471 108 151 FR",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (PsTracking) tracking = parse_ok (inputs[i]);
      g_assert_cmpstr (tracking->code, ==, "EE471108151FR");
    }

  g_autoptr (PsTracking) aim = parse_ok ("]C0EE471108151FR");
  g_assert_cmpstr (aim->symbology, ==, "]C0");
}

static void
test_errors_name_the_fault (void)
{
  g_autofree char *digit = parse_error ("EE471108152FR", -1, NULL);
  g_assert_cmpstr (digit, ==,
                   "EE471108152FR is not a valid tracking number: check digit is 2, expected 1.");

  g_autofree char *country = parse_error ("EE471108151XX", -1, NULL);
  g_assert_nonnull (strstr (country, "XX is not an ISO 3166-1 country code"));

  g_autofree char *service = parse_error ("QQ471108151FR", -1, NULL);
  g_assert_nonnull (strstr (service, "service indicator QQ is not assigned"));
  g_autofree char *service_g = parse_error ("GB471108151FR", -1, NULL);
  g_assert_nonnull (strstr (service_g, "service indicator GB"));

  g_autofree char *length = parse_error ("EE47110815FR", -1, NULL);
  g_assert_nonnull (strstr (length, "it has 12 characters; a UPU S10 number has 13"));

  g_autofree char *letter = parse_error ("E1471108151FR", -1, NULL);
  g_assert_nonnull (strstr (letter, "character 2 is ‘1’ where a UPU S10 number has a letter"));
  g_autofree char *digit_pos = parse_error ("EE47110X151FR", -1, NULL);
  g_assert_nonnull (strstr (digit_pos, "character 8 is ‘X’ where a UPU S10 number has a digit"));

  g_autofree char *empty = parse_error ("", -1, NULL);
  g_assert_cmpstr (empty, ==, "The tracking number is empty.");
  g_autofree char *blank = parse_error (" \r\n", -1, NULL);
  g_assert_cmpstr (blank, ==, "The tracking number is empty.");
  g_autofree char *prefix_only = parse_error ("]C0", -1, NULL);
  g_assert_cmpstr (prefix_only, ==, "The tracking number is empty.");
}

static void
test_hostile_input (void)
{
  /* Embedded NUL: the length says there is more after it. */
  g_autofree char *nul = parse_error ("EE4711\0"
                                      "08151FR",
                                      14, NULL);
  g_assert_nonnull (strstr (nul, "NUL"));

  /* Invalid UTF-8. */
  g_autofree char *utf8 = parse_error ("EE47\xff"
                                       "1108151FR",
                                       -1, NULL);
  g_assert_nonnull (strstr (utf8, "UTF-8"));

  /* A control character inside. */
  g_autofree char *control = parse_error ("EE4711\x1b"
                                          "08151FR",
                                          -1, NULL);
  g_assert_nonnull (strstr (control, "control character at position 7"));

  /* Non-ASCII letters. */
  g_autofree char *accent = parse_error ("ÉE471108151FR", -1, NULL);
  g_assert_nonnull (strstr (accent, "‘É’"));

  /* 10 000 characters. */
  g_autofree char *huge = g_strnfill (10000, '7');
  g_autofree char *too_long = parse_error (huge, -1, NULL);
  g_assert_nonnull (strstr (too_long, "too long"));

  /* 41 characters, just over the cap once compacted. */
  g_autofree char *long_code = g_strnfill (41, 'A');
  g_autofree char *over_cap = parse_error (long_code, -1, NULL);
  g_assert_nonnull (strstr (over_cap, "too long (41 characters; at most 40)"));
}

static void
test_operator_formats (void)
{
  g_autoptr (PsTrackingFormats) formats = ps_tracking_formats_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (
      ps_tracking_formats_add (formats, "vnpost-domestic", "[A-Z]{2}[0-9]{9}VN", &error));
  g_assert_no_error (error);
  g_assert_true (ps_tracking_formats_add (formats, "ghn", "GHN[0-9]{8}", &error));
  g_assert_cmpuint (ps_tracking_formats_get_n (formats), ==, 2);

  g_autoptr (PsTracking) ghn = ps_tracking_parse ("ghn12345678", -1, formats, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ghn->kind, ==, PS_TRACKING_KIND_OPERATOR);
  g_assert_cmpstr (ghn->format_name, ==, "ghn");
  g_assert_cmpstr (ghn->code, ==, "GHN12345678");

  /* The pattern must match the whole number. */
  g_autofree char *partial = parse_error ("XGHN12345678", -1, formats);
  g_assert_nonnull (strstr (partial, "matches none of the configured operator formats"));

  /* An S10-shaped number is always checked as S10, even if a format matches it. */
  g_autoptr (PsTrackingFormats) loose = ps_tracking_formats_new ();
  g_assert_true (ps_tracking_formats_add (loose, "anything", ".*", &error));
  g_autofree char *still_s10 = parse_error ("EE471108152FR", -1, loose);
  g_assert_nonnull (strstr (still_s10, "check digit is 2, expected 1"));

  g_assert_false (ps_tracking_formats_add (formats, "broken", "([A-Z", &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "broken"));
}

/* While the clerk types, a number is judged once it cannot become valid by
 * typing more: at the length of an S10 number, unless an operator format
 * could still take it. */
static void
test_input_complete (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsTrackingFormats) formats = ps_tracking_formats_new ();
  g_assert_true (ps_tracking_formats_add (formats, "long", "[0-9]{15}", &error));

  g_assert_false (ps_tracking_input_is_complete ("", NULL));
  g_assert_false (ps_tracking_input_is_complete ("EE 471 108", NULL));
  g_assert_true (ps_tracking_input_is_complete ("EE 471 108 151 FR", NULL));
  g_assert_true (ps_tracking_input_is_complete ("EE471108152FR", NULL));
  g_assert_true (ps_tracking_input_is_complete ("EEÊ", NULL)); /* never a tracking number */
  g_assert_true (ps_tracking_input_is_complete ("1234567890123", NULL));
  g_assert_false (ps_tracking_input_is_complete ("1234567890123", formats));
  g_assert_true (ps_tracking_input_is_complete ("EE471108152FR", formats));
  g_assert_true (ps_tracking_input_is_complete ("1234567890123456", formats));
}

static void
test_copy (void)
{
  g_autoptr (PsTracking) tracking = parse_ok ("]C0EE471108151FR");
  g_autoptr (PsTracking) copy = ps_tracking_copy (tracking);
  g_assert_true (copy->code != tracking->code);
  g_assert_cmpstr (copy->code, ==, tracking->code);
  g_assert_cmpstr (copy->symbology, ==, "]C0");
  g_assert_cmpstr (copy->serial, ==, "47110815");
}

static void
test_every_country (void)
{
  /* Every assigned code is accepted, and a few unassigned ones are not. */
  g_assert_cmpstr (ps_country_lookup ("VN"), ==, "Viet Nam");
  g_assert_null (ps_country_lookup ("UK"));
  g_assert_null (ps_country_lookup ("XK"));
  g_assert_null (ps_country_lookup ("vn"));
  g_assert_null (ps_country_lookup ("VNM"));
  g_assert_null (ps_country_lookup (""));

  guint found = 0;
  for (char a = 'A'; a <= 'Z'; a++)
    for (char b = 'A'; b <= 'Z'; b++)
      {
        char code[3] = { a, b, 0 };
        found += ps_country_lookup (code) != NULL;
      }
  g_assert_cmpuint (found, ==, 249);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tracking/check-digit", test_check_digit);
  g_test_add_func ("/tracking/valid", test_valid);
  g_test_add_func ("/tracking/normalisation", test_normalisation);
  g_test_add_func ("/tracking/errors", test_errors_name_the_fault);
  g_test_add_func ("/tracking/hostile", test_hostile_input);
  g_test_add_func ("/tracking/operator-formats", test_operator_formats);
  g_test_add_func ("/tracking/copy", test_copy);
  g_test_add_func ("/tracking/input-complete", test_input_complete);
  g_test_add_func ("/tracking/countries", test_every_country);
  return g_test_run ();
}
