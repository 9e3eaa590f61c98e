/* ps-weight.c — exact conversion of scale readings to integer milligrams.
 *
 * Each HID POS unit is an exact rational number of milligrams; a reading is
 * value × 10^exponent units, computed in 128-bit integers and rounded once,
 * half away from zero.
 */
#include "ps-core-private.h"

#include <locale.h>
#include <string.h>

__extension__ typedef __int128 PsInt128;

typedef struct
{
  const char *symbol;
  gint64 num; /* milligrams per unit = num / den */
  gint64 den;
} PsUnitFactor;

/* Indexed by the report's unit value. The tael is the Hong Kong tael (a
 * sixteenth of the catty of 604.78982 g); the "avoir ton" is the US short ton
 * of 2000 pounds; the pound is 453.59237 g exactly. */
static const PsUnitFactor unit_factors[] = {
  [PS_WEIGHT_UNIT_MILLIGRAM] = { "mg", 1, 1 },
  [PS_WEIGHT_UNIT_GRAM] = { "g", 1000, 1 },
  [PS_WEIGHT_UNIT_KILOGRAM] = { "kg", 1000000, 1 },
  [PS_WEIGHT_UNIT_CARAT] = { "ct", 200, 1 },
  [PS_WEIGHT_UNIT_TAEL] = { "tael", 3779936375, 100000 },
  [PS_WEIGHT_UNIT_GRAIN] = { "gr", 6479891, 100000 },
  [PS_WEIGHT_UNIT_PENNYWEIGHT] = { "dwt", 155517384, 100000 },
  [PS_WEIGHT_UNIT_METRIC_TON] = { "t", 1000000000, 1 },
  [PS_WEIGHT_UNIT_AVOIR_TON] = { "ton", 907184740, 1 },
  [PS_WEIGHT_UNIT_TROY_OUNCE] = { "ozt", 311034768, 10000 },
  [PS_WEIGHT_UNIT_OUNCE] = { "oz", 28349523125, 1000000 },
  [PS_WEIGHT_UNIT_POUND] = { "lb", 45359237, 100 },
};

const char *
ps_weight_unit_symbol (int unit)
{
  if (unit < PS_WEIGHT_UNIT_MILLIGRAM || unit > PS_WEIGHT_UNIT_POUND)
    return NULL;
  return unit_factors[unit].symbol;
}

gboolean
ps_weight_to_milligrams (gint64 value, int exponent, int unit, gint64 *milligrams, GError **error)
{
  g_return_val_if_fail (milligrams != NULL, FALSE);

  if (unit < PS_WEIGHT_UNIT_MILLIGRAM || unit > PS_WEIGHT_UNIT_POUND)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scale reports an unknown weight unit (%d)."), unit);
      return FALSE;
    }

  const PsUnitFactor *factor = &unit_factors[unit];
  gboolean negative = value < 0;
  PsInt128 magnitude = negative ? -(PsInt128) value : (PsInt128) value;
  PsInt128 numerator = magnitude * factor->num; /* < 2^63 × 2^35: no overflow */
  PsInt128 denominator = factor->den;

  if (value == 0)
    {
      *milligrams = 0;
      return TRUE;
    }

  if (exponent > 0)
    {
      for (int i = 0; i < exponent; i++)
        if (__builtin_mul_overflow (numerator, 10, &numerator))
          goto out_of_range;
    }
  else if (exponent < 0)
    {
      /* Below 10^-30 any value rounds to zero milligrams. */
      if (exponent < -30)
        {
          *milligrams = 0;
          return TRUE;
        }
      for (int i = 0; i < -exponent; i++)
        denominator *= 10;
    }

  PsInt128 quotient = numerator / denominator;
  PsInt128 remainder = numerator % denominator;
  if (remainder * 2 >= denominator)
    quotient++;
  if (quotient > PS_WEIGHT_MAX_MG)
    goto out_of_range;

  *milligrams = (gint64) (negative ? -quotient : quotient);
  return TRUE;

out_of_range:
  g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
               _ ("The scale reports a weight out of range."));
  return FALSE;
}

char *
ps_weight_format (gint64 milligrams)
{
  gboolean negative = milligrams < 0;
  guint64 magnitude = negative ? (guint64) 0 - (guint64) milligrams : (guint64) milligrams;
  guint64 grams = (magnitude + 500) / 1000;
  const char *sign = negative && grams > 0 ? "-" : "";

  if (grams < 1000)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT " g", sign, grams);

  const char *decimal_point = localeconv ()->decimal_point;
  if (decimal_point == NULL || *decimal_point == '\0')
    decimal_point = ".";
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s%03" G_GUINT64_FORMAT " kg", sign, grams / 1000,
                          decimal_point, grams % 1000);
}

gboolean
ps_weight_parse_grams (const char *text, gint64 *milligrams, GError **error)
{
  g_return_val_if_fail (milligrams != NULL, FALSE);

  guint64 grams = 0;
  guint n_digits = 0;

  /* Whole grams only: "1.250" is 1250 g to a Vietnamese reader and 1.25 g to
   * an English one, so neither mark is accepted. */
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == ' ')
        continue;
      if (!g_ascii_isdigit (*p) || n_digits >= 10)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("Type the weight in whole grams, digits only (for example 1250)."));
          return FALSE;
        }
      grams = grams * 10 + (guint64) (*p - '0');
      n_digits++;
    }

  if (n_digits == 0 || grams == 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("Type the weight in whole grams, digits only (for example 1250)."));
      return FALSE;
    }
  if (grams * 1000 > (guint64) PS_WEIGHT_MAX_MG)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("The weight is out of range."));
      return FALSE;
    }

  *milligrams = (gint64) grams * 1000;
  return TRUE;
}

static const char *const scale_status_labels[] = {
  [PS_SCALE_FAULT] = N_ ("Scale fault"),
  [PS_SCALE_ZERO] = N_ ("Empty (zero)"),
  [PS_SCALE_MOTION] = N_ ("In motion"),
  [PS_SCALE_STABLE] = N_ ("Stable"),
  [PS_SCALE_UNDER_ZERO] = N_ ("Under zero: re-zero the scale"),
  [PS_SCALE_OVERLOAD] = N_ ("Over the scale's capacity"),
  [PS_SCALE_CALIBRATE] = N_ ("The scale needs calibrating"),
  [PS_SCALE_REZERO] = N_ ("The scale needs re-zeroing"),
};

const char *
ps_scale_status_to_id (int status)
{
  return ps_enum_to_id (PS_TYPE_SCALE_STATUS, status);
}

const char *
ps_scale_status_label (int status)
{
  if (status < PS_SCALE_FAULT || status > PS_SCALE_REZERO)
    return _ ("Unknown scale status");
  return _ (scale_status_labels[status]);
}

void
ps_stable_weight_init (PsStableWeight *detector, gint64 hold_us)
{
  g_return_if_fail (detector != NULL);
  memset (detector, 0, sizeof *detector);
  detector->hold_us = hold_us;
}

gboolean
ps_stable_weight_feed (PsStableWeight *detector, int status, gint64 milligrams, gint64 now_us,
                       gint64 *captured)
{
  g_return_val_if_fail (detector != NULL, FALSE);

  if (!detector->have_reading || status != detector->status || milligrams != detector->milligrams)
    {
      /* A new reading starts a new wait; a new stable value may be captured
       * again (the clerk put another parcel on the scale). */
      detector->have_reading = TRUE;
      detector->status = status;
      detector->milligrams = milligrams;
      detector->since_us = now_us;
      detector->captured = FALSE;
    }
  return ps_stable_weight_tick (detector, now_us, captured);
}

gboolean
ps_stable_weight_tick (PsStableWeight *detector, gint64 now_us, gint64 *captured)
{
  g_return_val_if_fail (detector != NULL, FALSE);

  if (!detector->have_reading || detector->captured || detector->status != PS_SCALE_STABLE ||
      detector->milligrams <= 0 || now_us - detector->since_us < detector->hold_us)
    return FALSE;
  detector->captured = TRUE;
  if (captured != NULL)
    *captured = detector->milligrams;
  return TRUE;
}
