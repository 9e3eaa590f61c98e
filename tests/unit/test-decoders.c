/* test-decoders.c — the drivers' byte decoders on raw reports, and the
 * stable-weight detector. */
#include "parcelscreen/parcelscreen.h"
#include "ps-decoders.h"

#include <string.h>

#define MS (G_GINT64_CONSTANT (1000))

static void
test_scale_report (void)
{
  g_autoptr (GError) error = NULL;
  PsScaleReading reading;

  /* The DESIGN example: 30.0 oz, stable. */
  const guint8 ounces[] = { 0x03, 0x04, 0x0B, 0xFF, 0x2C, 0x01 };
  g_assert_true (ps_scale_report_decode (ounces, sizeof ounces, &reading, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reading.status, ==, PS_SCALE_STABLE);
  g_assert_cmpint (reading.unit, ==, PS_WEIGHT_UNIT_OUNCE);
  g_assert_cmpint (reading.exponent, ==, -1);
  g_assert_cmpuint (reading.raw, ==, 300);
  g_assert_cmpint (reading.milligrams, ==, 850486);

  /* Every status. */
  for (guint8 status = 1; status <= 8; status++)
    {
      const guint8 report[] = { 0x03, status, 0x02, 0x00, 0xE8, 0x03 };
      g_assert_true (ps_scale_report_decode (report, sizeof report, &reading, &error));
      g_assert_cmpint (reading.milligrams, ==, status == PS_SCALE_UNDER_ZERO ? -1000000 : 1000000);
      g_assert_nonnull (ps_scale_status_to_id (status));
    }

  /* Every unit, from 0.001 kg up. */
  for (guint8 unit = 1; unit <= 12; unit++)
    {
      const guint8 report[] = { 0x03, 0x04, unit, 0x00, 0x01, 0x00 };
      gint64 expected;
      g_assert_true (ps_weight_to_milligrams (1, 0, unit, &expected, NULL));
      g_assert_true (ps_scale_report_decode (report, sizeof report, &reading, &error));
      g_assert_cmpint (reading.milligrams, ==, expected);
    }

  /* An empty scale without a unit. */
  const guint8 empty[] = { 0x03, 0x02, 0x00, 0x00, 0x00, 0x00 };
  g_assert_true (ps_scale_report_decode (empty, sizeof empty, &reading, &error));
  g_assert_cmpint (reading.milligrams, ==, 0);
}

static void
test_scale_garbage (void)
{
  struct
  {
    guint8 bytes[8];
    gsize len;
    const char *message;
  } cases[] = {
    { { 0x03, 0x04, 0x02 }, 3, "report of 3 bytes" },
    { { 0x03, 0x04, 0x02, 0, 1, 0, 0 }, 7, "report of 7 bytes" },
    { { 0x04, 0x04, 0x02, 0, 1, 0 }, 6, "unknown report (id 4)" },
    { { 0x03, 0x00, 0x02, 0, 1, 0 }, 6, "unknown status (0)" },
    { { 0x03, 0x09, 0x02, 0, 1, 0 }, 6, "unknown status (9)" },
    { { 0x03, 0x04, 0x0D, 0, 1, 0 }, 6, "unknown weight unit (13)" },
    { { 0x03, 0x04, 0x03, 0x7F, 0xFF, 0xFF }, 6, "out of range" },
    { { 0 }, 0, "report of 0 bytes" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      PsScaleReading reading;
      g_assert_false (ps_scale_report_decode (cases[i].bytes, cases[i].len, &reading, &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: %s", i, error->message);
    }
}

static void
test_hid_descriptor (void)
{
  /* Usage Page (Scales) 1 byte; Usage Page (POS barcode scanner) 2 bytes. */
  const guint8 scale[] = { 0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01, 0xC0 };
  const guint8 scanner[] = { 0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0xC0 };
  const guint8 keyboard[] = { 0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0xC0 };
  const guint8 long_item[] = { 0xFE, 0x02, 0x10, 0xAA, 0xBB, 0x05, 0x8D };
  const guint8 truncated[] = { 0x06, 0x8D };

  g_assert_true (ps_hid_descriptor_has_usage_page (scale, sizeof scale, 0x8D));
  g_assert_false (ps_hid_descriptor_has_usage_page (scale, sizeof scale, 0x8C));
  g_assert_true (ps_hid_descriptor_has_usage_page (scanner, sizeof scanner, 0x8C));
  g_assert_false (ps_hid_descriptor_has_usage_page (keyboard, sizeof keyboard, 0x8D));
  g_assert_true (ps_hid_descriptor_has_usage_page (long_item, sizeof long_item, 0x8D));
  g_assert_false (ps_hid_descriptor_has_usage_page (truncated, sizeof truncated, 0x8D));
  g_assert_false (ps_hid_descriptor_has_usage_page (NULL, 0, 0x8D));
}

/* Feeds the reports of typing @text (press, release) into @decoder. */
static char *
type (PsKeyboardDecoder *decoder, const guint8 (*reports)[8], guint n, gint64 *now)
{
  char *text = NULL;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      char *out = NULL;
      PsScanResult result =
          ps_keyboard_decoder_feed (decoder, reports[i], 8, *now += MS, &out, &error);
      if (result == PS_SCAN_TEXT)
        {
          g_assert_null (text);
          text = out;
        }
      else
        g_assert_cmpint (result, ==, PS_SCAN_NONE);
    }
  return text;
}

static void
test_keyboard (void)
{
  g_autoptr (PsKeyboardDecoder) decoder = ps_keyboard_decoder_new (64, 150 * MS);
  gint64 now = 0;

  /* "Ab1" + Enter; shift on the left for A, "1" pressed twice with a release. */
  const guint8 ab11[][8] = {
    { 0x02, 0, 0x04 }, { 0 }, { 0, 0, 0x05 }, { 0 }, { 0, 0, 0x1E }, { 0 },
    { 0, 0, 0x1E },    { 0 }, { 0, 0, 0x28 }, { 0 },
  };
  g_autofree char *first = type (decoder, ab11, G_N_ELEMENTS (ab11), &now);
  g_assert_cmpstr (first, ==, "Ab11");

  /* A key held over two reports is one press; a second key in the same
   * report is a new one; right shift. */
  const guint8 held[][8] = {
    { 0, 0, 0x07 }, { 0, 0, 0x07 }, { 0, 0, 0x07, 0x08 }, { 0x20, 0, 0x38 }, { 0 }, { 0, 0, 0x2B },
  };
  g_autofree char *second = type (decoder, held, G_N_ELEMENTS (held), &now);
  g_assert_cmpstr (second, ==, "de?");

  /* Punctuation and the keypad: "|-/.0" as a CCCD or a URL might have. */
  const guint8 punct[][8] = {
    { 0x02, 0, 0x31 }, { 0 }, { 0, 0, 0x2D }, { 0 }, { 0, 0, 0x38 }, { 0 },
    { 0, 0, 0x37 },    { 0 }, { 0, 0, 0x62 }, { 0 }, { 0, 0, 0x58 },
  };
  g_autofree char *third = type (decoder, punct, G_N_ELEMENTS (punct), &now);
  g_assert_cmpstr (third, ==, "|-/.0");
}

static void
test_keyboard_gap_and_refusals (void)
{
  g_autoptr (PsKeyboardDecoder) decoder = ps_keyboard_decoder_new (5, 150 * MS);
  g_autoptr (GError) error = NULL;
  char *text = NULL;
  gint64 now = 0;

  /* No suffix: the gap ends the scan. */
  const guint8 ab[][8] = { { 0, 0, 0x04 }, { 0 }, { 0, 0, 0x05 }, { 0 } };
  g_assert_null (type (decoder, ab, G_N_ELEMENTS (ab), &now));
  g_assert_cmpint (ps_keyboard_decoder_tick (decoder, now + 100 * MS, &text, &error), ==,
                   PS_SCAN_NONE);
  g_assert_cmpint (ps_keyboard_decoder_tick (decoder, now + 200 * MS, &text, &error), ==,
                   PS_SCAN_TEXT);
  g_assert_cmpstr (text, ==, "ab");
  g_free (text);
  /* Nothing more to end. */
  g_assert_cmpint (ps_keyboard_decoder_tick (decoder, now + 900 * MS, &text, &error), ==,
                   PS_SCAN_NONE);

  /* Escape inside a scan: the whole scan is refused at its end. */
  now += G_USEC_PER_SEC;
  const guint8 escape[][8] = { { 0, 0, 0x04 }, { 0 }, { 0, 0, 0x29 }, { 0 },
                               { 0, 0, 0x05 }, { 0 }, { 0, 0, 0x28 } };
  PsScanResult last = PS_SCAN_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (escape); i++)
    last = ps_keyboard_decoder_feed (decoder, escape[i], 8, now += MS, &text, &error);
  g_assert_cmpint (last, ==, PS_SCAN_ERROR);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "control key"));
  g_clear_error (&error);

  /* Ctrl held with a letter: also refused. */
  const guint8 ctrl[][8] = { { 0x01, 0, 0x04 }, { 0 }, { 0, 0, 0x28 } };
  for (guint i = 0; i < G_N_ELEMENTS (ctrl); i++)
    last = ps_keyboard_decoder_feed (decoder, ctrl[i], 8, now += MS, &text, &error);
  g_assert_cmpint (last, ==, PS_SCAN_ERROR);
  g_clear_error (&error);

  /* Longer than the cap (5). */
  const guint8 longer[][8] = { { 0, 0, 4 }, { 0 },       { 0, 0, 5 },   { 0 },       { 0, 0, 6 },
                               { 0 },       { 0, 0, 7 }, { 0 },         { 0, 0, 8 }, { 0 },
                               { 0, 0, 9 }, { 0 },       { 0, 0, 0x28 } };
  for (guint i = 0; i < G_N_ELEMENTS (longer); i++)
    last = ps_keyboard_decoder_feed (decoder, longer[i], 8, now += MS, &text, &error);
  g_assert_cmpint (last, ==, PS_SCAN_ERROR);
  g_assert_nonnull (strstr (error->message, "too long"));
  g_clear_error (&error);

  /* A wrong report length; roll-over reports are ignored. */
  const guint8 short_report[4] = { 0 };
  g_assert_cmpint (ps_keyboard_decoder_feed (decoder, short_report, 4, now, &text, &error), ==,
                   PS_SCAN_ERROR);
  g_clear_error (&error);
  const guint8 rollover[8] = { 0, 0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01 };
  g_assert_cmpint (ps_keyboard_decoder_feed (decoder, rollover, 8, now, &text, &error), ==,
                   PS_SCAN_NONE);
  /* Enter alone is no scan. */
  const guint8 enter[8] = { 0, 0, 0x28 };
  g_assert_cmpint (ps_keyboard_decoder_feed (decoder, enter, 8, now, &text, &error), ==,
                   PS_SCAN_NONE);
}

static void
hidpos_report (guint8 *report, const char *aim, const char *data, gboolean more)
{
  memset (report, 0, 64);
  report[0] = 2;
  report[1] = (guint8) strlen (data);
  memcpy (report + 2, aim, 3);
  memcpy (report + 5, data, strlen (data));
  report[63] = more ? 1 : 0;
}

static void
test_hidpos (void)
{
  g_autoptr (PsHidPosDecoder) decoder = ps_hidpos_decoder_new (100, 500 * MS);
  g_autoptr (GError) error = NULL;
  guint8 report[64];
  char *text = NULL, *symbology = NULL;

  /* One report. */
  hidpos_report (report, "]C0", "EE471108151FR", FALSE);
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, report, 64, 0, &text, &symbology, &error), ==,
                   PS_SCAN_TEXT);
  g_assert_cmpstr (text, ==, "EE471108151FR");
  g_assert_cmpstr (symbology, ==, "]C0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&symbology, g_free);

  /* Three parts, UTF-8 split across reports. */
  const char *whole = "001090012345||Nguyễn Văn An|15031990";
  hidpos_report (report, "]Q1", "001090012345||Nguy\xe1", TRUE);
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, report, 64, MS, &text, &symbology, &error), ==,
                   PS_SCAN_NONE);
  hidpos_report (report, "]Q1", "\xbb\x85n Văn An|", TRUE);
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, report, 64, 2 * MS, &text, &symbology, &error),
                   ==, PS_SCAN_NONE);
  hidpos_report (report, "]Q1", "15031990", FALSE);
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, report, 64, 3 * MS, &text, &symbology, &error),
                   ==, PS_SCAN_TEXT);
  g_assert_cmpstr (text, ==, whole);
  g_assert_cmpstr (symbology, ==, "]Q1");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&symbology, g_free);

  /* A part that never comes. */
  hidpos_report (report, "]Q1", "partial", TRUE);
  ps_hidpos_decoder_feed (decoder, report, 64, 10 * MS, &text, &symbology, &error);
  g_assert_cmpint (ps_hidpos_decoder_tick (decoder, 100 * MS, &error), ==, PS_SCAN_NONE);
  g_assert_cmpint (ps_hidpos_decoder_tick (decoder, 600 * MS, &error), ==, PS_SCAN_ERROR);
  g_assert_nonnull (strstr (error->message, "never came"));
  g_clear_error (&error);

  /* Garbage. */
  guint8 bad[64] = { 5, 3 };
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, bad, 64, 0, &text, &symbology, &error), ==,
                   PS_SCAN_ERROR);
  g_assert_nonnull (strstr (error->message, "unknown report (id 5)"));
  g_clear_error (&error);
  bad[0] = 2;
  bad[1] = 200;
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, bad, 64, 0, &text, &symbology, &error), ==,
                   PS_SCAN_ERROR);
  g_clear_error (&error);
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, bad, 3, 0, &text, &symbology, &error), ==,
                   PS_SCAN_ERROR);
  g_clear_error (&error);
  hidpos_report (report, "]Q1", "\xff\xfe", FALSE);
  g_assert_cmpint (ps_hidpos_decoder_feed (decoder, report, 64, 0, &text, &symbology, &error), ==,
                   PS_SCAN_ERROR);
  g_assert_nonnull (strstr (error->message, "not valid text"));
  g_clear_error (&error);

  /* Longer than the cap, over several reports. */
  for (int i = 0; i < 3; i++)
    {
      hidpos_report (report, "]Q1", "0123456789012345678901234567890123456789", TRUE);
      PsScanResult result =
          ps_hidpos_decoder_feed (decoder, report, 64, 0, &text, &symbology, &error);
      g_assert_cmpint (result, ==, i < 2 ? PS_SCAN_NONE : PS_SCAN_ERROR);
    }
  g_assert_nonnull (strstr (error->message, "too long"));

  g_autofree char *aim = g_strdup ("]C0EE471108151FR");
  g_autofree char *split = ps_split_aim_prefix (&aim);
  g_assert_cmpstr (split, ==, "]C0");
  g_assert_cmpstr (aim, ==, "EE471108151FR");
  g_autofree char *plain = g_strdup ("EE471108151FR");
  g_assert_null (ps_split_aim_prefix (&plain));
}

static void
test_stable_weight (void)
{
  PsStableWeight detector;
  gint64 captured = 0;

  ps_stable_weight_init (&detector, 800 * MS);
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_MOTION, 1040000, 0, &captured));
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_STABLE, 1000000, 100 * MS, &captured));
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_STABLE, 1000000, 800 * MS, &captured));
  g_assert_true (ps_stable_weight_feed (&detector, PS_SCALE_STABLE, 1000000, 900 * MS, &captured));
  g_assert_cmpint (captured, ==, 1000000);
  /* Once. */
  g_assert_false (ps_stable_weight_tick (&detector, 2000 * MS, &captured));

  /* A change starts over; a scale that reports only changes needs the tick. */
  g_assert_false (
      ps_stable_weight_feed (&detector, PS_SCALE_STABLE, 1500000, 3000 * MS, &captured));
  g_assert_true (ps_stable_weight_tick (&detector, 3800 * MS, &captured));
  g_assert_cmpint (captured, ==, 1500000);

  /* Zero, under zero and faults are never captured. */
  ps_stable_weight_init (&detector, 0);
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_ZERO, 0, 0, &captured));
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_STABLE, 0, 0, &captured));
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_UNDER_ZERO, -5000, 0, &captured));
  g_assert_false (ps_stable_weight_feed (&detector, PS_SCALE_FAULT, 1000, 0, &captured));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decoders/scale-report", test_scale_report);
  g_test_add_func ("/decoders/scale-garbage", test_scale_garbage);
  g_test_add_func ("/decoders/hid-descriptor", test_hid_descriptor);
  g_test_add_func ("/decoders/keyboard", test_keyboard);
  g_test_add_func ("/decoders/keyboard-gap-and-refusals", test_keyboard_gap_and_refusals);
  g_test_add_func ("/decoders/hidpos", test_hidpos);
  g_test_add_func ("/decoders/stable-weight", test_stable_weight);
  return g_test_run ();
}
