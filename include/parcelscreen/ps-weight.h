/* ps-weight.h — weights as integer milligrams, converted exactly from scale units. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** Units of the HID POS scale data report, with their report values. */
typedef enum
{
  PS_WEIGHT_UNIT_MILLIGRAM = 1,
  PS_WEIGHT_UNIT_GRAM = 2,
  PS_WEIGHT_UNIT_KILOGRAM = 3,
  PS_WEIGHT_UNIT_CARAT = 4,
  PS_WEIGHT_UNIT_TAEL = 5,
  PS_WEIGHT_UNIT_GRAIN = 6,
  PS_WEIGHT_UNIT_PENNYWEIGHT = 7,
  PS_WEIGHT_UNIT_METRIC_TON = 8,
  PS_WEIGHT_UNIT_AVOIR_TON = 9,
  PS_WEIGHT_UNIT_TROY_OUNCE = 10,
  PS_WEIGHT_UNIT_OUNCE = 11,
  PS_WEIGHT_UNIT_POUND = 12,
} PsWeightUnit;

/** The heaviest weight handled: 1 000 tonnes, far above any parcel. */
#define PS_WEIGHT_MAX_MG G_GINT64_CONSTANT (1000000000000000)

/**
 * ps_weight_to_milligrams:
 * @value: the raw weight value
 * @exponent: the signed decimal exponent applied to @value
 * @unit: the unit as the scale reports it (1 to 12)
 * @milligrams: (out): the weight in milligrams, rounded half away from zero
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Converts exactly, in integer arithmetic: value × 10^exponent × unit.
 *
 * Returns: %TRUE, or %FALSE with @error set for an unknown unit or a weight
 *   beyond ±%PS_WEIGHT_MAX_MG
 */
gboolean ps_weight_to_milligrams (gint64 value, int exponent, int unit, gint64 *milligrams,
                                  GError **error);

/** Returns: (nullable): the symbol of @unit ("kg", "oz"), or %NULL if unknown. */
const char *ps_weight_unit_symbol (int unit);

/**
 * ps_weight_format:
 * @milligrams: a weight
 *
 * Returns: (transfer full): the weight for display: whole grams below one
 *   kilogram ("850 g"), kilograms with three decimals from one kilogram on
 *   ("1,250 kg" with the locale's decimal mark)
 */
char *ps_weight_format (gint64 milligrams);

/**
 * ps_weight_parse_grams:
 * @text: a typed weight in grams ("850", "1250,5", "1 250")
 * @milligrams: (out): the weight
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Returns: %TRUE if @text is a positive weight in grams with at most three decimals
 */
gboolean ps_weight_parse_grams (const char *text, gint64 *milligrams, GError **error);

/** The status byte of the HID POS scale data report. */
typedef enum
{
  PS_SCALE_FAULT = 1,
  PS_SCALE_ZERO = 2,
  PS_SCALE_MOTION = 3,
  PS_SCALE_STABLE = 4,
  PS_SCALE_UNDER_ZERO = 5,
  PS_SCALE_OVERLOAD = 6,
  PS_SCALE_CALIBRATE = 7,
  PS_SCALE_REZERO = 8,
} PsScaleStatus;

/** Returns: (nullable): "fault", "zero", "motion", "stable", "under-zero",
 * "overload", "calibrate" or "rezero", or %NULL for an unknown status. */
const char *ps_scale_status_to_id (int status);
/** Returns: what the status means for the clerk, translated. */
const char *ps_scale_status_label (int status);

/**
 * PsStableWeight:
 * Decides when a weight is stable enough to capture: the scale says
 * "stable", the value is above zero, and both have held for @hold_us.
 * Fed with every reading and ticked with the time; pure.
 */
typedef struct
{
  gint64 hold_us;
  gboolean have_reading;
  int status;
  gint64 milligrams;
  gint64 since_us;
  gboolean captured;
} PsStableWeight;

void ps_stable_weight_init (PsStableWeight *detector, gint64 hold_us);
/**
 * ps_stable_weight_feed:
 * @now_us: when the reading came
 * @captured: (out): the weight to capture, when this returns %TRUE
 *
 * Returns: %TRUE once for each stable weight, when it has held long enough
 */
gboolean ps_stable_weight_feed (PsStableWeight *detector, int status, gint64 milligrams,
                                gint64 now_us, gint64 *captured);
/** Like ps_stable_weight_feed() with the last reading: for scales that only
 * report changes. */
gboolean ps_stable_weight_tick (PsStableWeight *detector, gint64 now_us, gint64 *captured);

G_END_DECLS
