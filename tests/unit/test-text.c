/* test-text.c — folding Vietnamese text and cleaning scans. */
#include "parcelscreen/parcelscreen.h"

#include <string.h>

static void
test_fold (void)
{
  struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "TRÀ KHÔ", "tra kho" },
    { "  trà   khô!! ", "tra kho" },
    { "Đường Điện Biên Phủ", "duong dien bien phu" },
    { "THỰC PHẨM CHỨC NĂNG", "thuc pham chuc nang" },
    { "Thuốc bắc/thảo dược", "thuoc bac thao duoc" },
    { "Bột (trắng), 500g", "bot trang 500g" },
    { "", "" },
    { "!!!", "" },
    /* Decomposed input folds like composed input. */
    { "tra\xcc\x80 kho\xcc\x82", "tra kho" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = ps_text_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
  g_assert_null (ps_text_fold ("\xff\xfe"));
}

static void
test_phrase (void)
{
  g_assert_true (ps_text_has_phrase ("goi tra kho cho ba", "tra kho"));
  g_assert_true (ps_text_has_phrase ("tra", "tra"));
  g_assert_true (ps_text_has_phrase ("tra tra xanh", "tra xanh"));
  g_assert_false (ps_text_has_phrase ("trang phuc", "tra"));
  g_assert_false (ps_text_has_phrase ("extra", "tra"));
  g_assert_false (ps_text_has_phrase ("tra khong", "tra kho"));
  g_assert_false (ps_text_has_phrase ("", "tra"));
  g_assert_false (ps_text_has_phrase ("tra", ""));
}

static void
test_scan_clean (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *symbology = NULL;

  g_autofree char *clean = ps_scan_clean ("]Q1  abc \r\n", -1, 100, &symbology, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (clean, ==, "abc");
  g_assert_cmpstr (symbology, ==, "]Q1");

  /* A ']' that is not an AIM prefix stays. */
  g_autofree char *bracket = ps_scan_clean ("]-x", -1, 100, NULL, &error);
  g_assert_cmpstr (bracket, ==, "]-x");

  g_autofree char *long_text = g_strnfill (101, 'x');
  g_assert_null (ps_scan_clean (long_text, -1, 100, NULL, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Exactly at the cap is fine; characters count, not bytes. */
  GString *vietnamese = g_string_new (NULL);
  for (guint i = 0; i < 100; i++)
    g_string_append (vietnamese, "ễ");
  g_autofree char *at_cap = ps_scan_clean (vietnamese->str, -1, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (at_cap, -1), ==, 100);
  g_string_free (vietnamese, TRUE);

  g_autofree char *digits = ps_text_digits_only ("+84 (912) 345-678");
  g_assert_cmpstr (digits, ==, "84912345678");
}

static void
test_check_field (void)
{
  g_autoptr (GError) error = NULL;

  g_autofree char *value = ps_text_check_field ("  Hà Nội\n ", "Address", TRUE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "Hà Nội");

  g_assert_null (ps_text_check_field ("   ", "Address", FALSE, 10, &error));
  g_assert_no_error (error);
  g_assert_null (ps_text_check_field (NULL, "Address", FALSE, 10, &error));
  g_assert_no_error (error);

  g_assert_null (ps_text_check_field ("", "Address", TRUE, 10, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "Address is required.");
  g_clear_error (&error);

  g_assert_null (ps_text_check_field ("abcdefghijk", "Address", TRUE, 10, &error));
  g_assert_cmpstr (error->message, ==, "Address is too long (11 characters; at most 10).");
  g_clear_error (&error);

  g_assert_null (ps_text_check_field ("a\x01"
                                      "b",
                                      "Address", TRUE, 10, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_null (ps_text_check_field ("a\xff", "Address", TRUE, 10, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* ps_text_check: an empty optional value and a refused one are told apart. */
  g_autofree char *out = NULL;
  g_assert_true (ps_text_check ("  ", "Note", FALSE, 10, &out, &error));
  g_assert_no_error (error);
  g_assert_null (out);
  g_assert_false (ps_text_check ("abcdefghijk", "Note", FALSE, 10, &out, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_assert_null (out);
  g_clear_error (&error);
  g_assert_true (ps_text_check (" ok ", "Note", TRUE, 10, &out, &error));
  g_assert_cmpstr (out, ==, "ok");
}

static void
test_lines (void)
{
  static const char text[] = "\xEF\xBB\xBF"
                             "first\r\n\nthird";
  g_autoptr (GError) error = NULL;
  PsLines lines;
  char *line = NULL;

  /* The byte-order mark is skipped, "\r\n" ends a line, the last needs no end. */
  ps_lines_init (&lines, text, sizeof text - 1, "f", PS_ERROR_DATA_FILE);
  line = ps_lines_next (&lines, &error);
  g_assert_cmpstr (line, ==, "first");
  g_free (line);
  line = ps_lines_next (&lines, &error);
  g_assert_cmpstr (line, ==, "");
  g_free (line);
  line = ps_lines_next (&lines, &error);
  g_assert_cmpstr (line, ==, "third");
  g_assert_cmpuint (lines.number, ==, 3);
  g_free (line);
  g_assert_null (ps_lines_next (&lines, &error));
  g_assert_false (lines.refused);
  g_assert_no_error (error);

  /* A NUL byte and a byte that is not UTF-8 are refused with their line. */
  static const char nul[] = "ok\nn\0l\nafter\n";
  ps_lines_init (&lines, nul, sizeof nul - 1, "f", PS_ERROR_CONFIG);
  g_free (ps_lines_next (&lines, &error));
  g_assert_null (ps_lines_next (&lines, &error));
  g_assert_true (lines.refused);
  g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, "f:2: the line contains a NUL byte.");
  g_clear_error (&error);
  /* Nothing is read past a refused line. */
  g_assert_null (ps_lines_next (&lines, &error));
  g_assert_no_error (error);

  ps_lines_init (&lines, "\xff", 1, "f", PS_ERROR_DATA_FILE);
  g_assert_null (ps_lines_next (&lines, &error));
  g_assert_true (lines.refused);
  g_assert_error (error, PS_ERROR, PS_ERROR_DATA_FILE);
  g_assert_nonnull (strstr (error->message, "f:1: the line is not valid UTF-8"));
  g_clear_error (&error);

  ps_lines_init (&lines, NULL, 0, "f", PS_ERROR_DATA_FILE);
  g_assert_null (ps_lines_next (&lines, &error));
  g_assert_false (lines.refused);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/phrase", test_phrase);
  g_test_add_func ("/text/scan-clean", test_scan_clean);
  g_test_add_func ("/text/check-field", test_check_field);
  g_test_add_func ("/text/lines", test_lines);
  return g_test_run ();
}
