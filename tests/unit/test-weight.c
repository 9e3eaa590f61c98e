/* test-weight.c — exact unit conversion and display. */
#include "parcelscreen/parcelscreen.h"

#include <locale.h>
#include <string.h>

static gint64
to_mg (gint64 value, int exponent, int unit)
{
  g_autoptr (GError) error = NULL;
  gint64 mg = -1;
  g_assert_true (ps_weight_to_milligrams (value, exponent, unit, &mg, &error));
  g_assert_no_error (error);
  return mg;
}

static void
test_every_unit (void)
{
  /* One of each unit, exactly (rounded half away from zero to a milligram). */
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_MILLIGRAM), ==, 1);
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_GRAM), ==, 1000);
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_KILOGRAM), ==, 1000000);
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_CARAT), ==, 200);
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_TAEL), ==, 37799);       /* 37 799.36375 */
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_GRAIN), ==, 65);         /* 64.79891 */
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_PENNYWEIGHT), ==, 1555); /* 1 555.17384 */
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_METRIC_TON), ==, 1000000000);
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_AVOIR_TON), ==, 907184740);
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_TROY_OUNCE), ==, 31103); /* 31 103.4768 */
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_OUNCE), ==, 28350);      /* 28 349.523125 */
  g_assert_cmpint (to_mg (1, 0, PS_WEIGHT_UNIT_POUND), ==, 453592);     /* 453 592.37 */

  /* Exactness at scale: sums that floating point gets wrong. */
  g_assert_cmpint (to_mg (100000, 0, PS_WEIGHT_UNIT_GRAIN), ==, 6479891);
  g_assert_cmpint (to_mg (1000000, 0, PS_WEIGHT_UNIT_OUNCE), ==, 28349523125);
  g_assert_cmpint (to_mg (16, 0, PS_WEIGHT_UNIT_TAEL), ==, 604790); /* a catty: 604.78982 g */
}

static void
test_exponent (void)
{
  /* The DESIGN example: 03 04 0B FF 2C 01 = 300 × 10^-1 oz = 30.0 oz. */
  g_assert_cmpint (to_mg (300, -1, PS_WEIGHT_UNIT_OUNCE), ==, 850486); /* 850 485.69 */
  g_assert_cmpint (to_mg (1000, 0, PS_WEIGHT_UNIT_GRAM), ==, 1000000);
  g_assert_cmpint (to_mg (125, -2, PS_WEIGHT_UNIT_KILOGRAM), ==, 1250000);
  g_assert_cmpint (to_mg (5, 3, PS_WEIGHT_UNIT_GRAM), ==, 5000000);
  g_assert_cmpint (to_mg (15, -1, PS_WEIGHT_UNIT_MILLIGRAM), ==, 2);   /* 1.5 → 2 */
  g_assert_cmpint (to_mg (-15, -1, PS_WEIGHT_UNIT_MILLIGRAM), ==, -2); /* half away from zero */
  g_assert_cmpint (to_mg (14, -1, PS_WEIGHT_UNIT_MILLIGRAM), ==, 1);
  g_assert_cmpint (to_mg (-250, -1, PS_WEIGHT_UNIT_GRAM), ==, -25000); /* under zero */
  g_assert_cmpint (to_mg (0, 127, PS_WEIGHT_UNIT_POUND), ==, 0);
  g_assert_cmpint (to_mg (65535, -128, PS_WEIGHT_UNIT_POUND), ==, 0);
  g_assert_cmpint (to_mg (65535, -31, PS_WEIGHT_UNIT_METRIC_TON), ==, 0);
}

static void
test_out_of_range (void)
{
  g_autoptr (GError) error = NULL;
  gint64 mg = 42;

  g_assert_false (ps_weight_to_milligrams (1, 127, PS_WEIGHT_UNIT_GRAM, &mg, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ps_weight_to_milligrams (G_MAXINT64, 0, PS_WEIGHT_UNIT_POUND, &mg, &error));
  g_clear_error (&error);
  g_assert_false (ps_weight_to_milligrams (G_MININT64, 30, PS_WEIGHT_UNIT_OUNCE, &mg, &error));
  g_clear_error (&error);
  g_assert_false (ps_weight_to_milligrams (1, 0, 0, &mg, &error));
  g_assert_nonnull (strstr (error->message, "unknown weight unit"));
  g_clear_error (&error);
  g_assert_false (ps_weight_to_milligrams (1, 0, 13, &mg, &error));
  g_clear_error (&error);
  g_assert_cmpint (mg, ==, 42);
  g_assert_null (ps_weight_unit_symbol (13));
  g_assert_cmpstr (ps_weight_unit_symbol (PS_WEIGHT_UNIT_OUNCE), ==, "oz");
}

static void
test_format (void)
{
  setlocale (LC_NUMERIC, "C.UTF-8");
  struct
  {
    gint64 mg;
    const char *text;
  } cases[] = {
    { 0, "0 g" },        { 499, "0 g" },         { 500, "1 g" },          { 850000, "850 g" },
    { 999499, "999 g" }, { 999500, "1.000 kg" }, { 1250000, "1.250 kg" }, { 30000000, "30.000 kg" },
    { -25000, "-25 g" }, { -400, "0 g" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ps_weight_format (cases[i].mg);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_parse_grams (void)
{
  g_autoptr (GError) error = NULL;
  gint64 mg = 0;

  g_assert_true (ps_weight_parse_grams ("1250", &mg, &error));
  g_assert_cmpint (mg, ==, 1250000);
  g_assert_true (ps_weight_parse_grams (" 1 250 ", &mg, &error));
  g_assert_cmpint (mg, ==, 1250000);
  g_assert_no_error (error);

  const char *bad[] = { "", "0", "1.250", "1,25", "-5", "abc", "12345678901", NULL };
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_false (ps_weight_parse_grams (bad[i], &mg, &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
}

/* Amounts of đồng as a clerk types them (ps-declaration.h). */
static void
test_money_vnd (void)
{
  static const struct
  {
    const char *text;
    gint64 value; /* -1: refused */
  } cases[] = {
    { "1.500.000", 1500000 },
    { "1 500 000", 1500000 },
    { "1500000", 1500000 },
    { "1,500,000", 1500000 },
    { "0", 0 },
    { "999999999999999", 999999999999999 },
    { "1000000000000000", -1 },
    { "", -1 },
    { " . ", -1 },
    { "1.5e6", -1 },
    { "-5", -1 },
    { "100đ", -1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 value = -1;
      gboolean ok = ps_money_parse_vnd (cases[i].text, &value, &error);
      if (cases[i].value < 0)
        {
          g_assert_false (ok);
          g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value, ==, cases[i].value);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/weight/every-unit", test_every_unit);
  g_test_add_func ("/weight/exponent", test_exponent);
  g_test_add_func ("/weight/out-of-range", test_out_of_range);
  g_test_add_func ("/weight/format", test_format);
  g_test_add_func ("/weight/parse-grams", test_parse_grams);
  g_test_add_func ("/weight/money-vnd", test_money_vnd);
  return g_test_run ();
}
