/* ps-tracking.h — parcel tracking numbers: UPU S10 and configured operator formats. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** The longest tracking number accepted from a scan, in characters. */
#define PS_TRACKING_MAX_CHARS 40

typedef enum
{
  PS_TRACKING_KIND_S10,
  PS_TRACKING_KIND_OPERATOR,
} PsTrackingKind;

/**
 * PsTracking:
 * @kind: S10 or an operator format from the configuration
 * @code: the normalised number, upper case, no blanks ("EE471108151FR")
 * @symbology: (nullable): the AIM symbology identifier the scanner sent ("]C0")
 * @service: S10 only: the two-letter service indicator
 * @serial: S10 only: the eight-digit serial number
 * @check_digit: S10 only: the check digit
 * @country: S10 only: the ISO 3166-1 alpha-2 code of the issuing country
 * @format_name: operator formats only: the name of the matching format
 */
typedef struct
{
  PsTrackingKind kind;
  char *code;
  char *symbology;
  char service[3];
  char serial[9];
  guint check_digit;
  char country[3];
  char *format_name;
  gboolean scanned; /* read by a scanner (any mode), not typed by the clerk */
} PsTracking;

void ps_tracking_free (PsTracking *tracking);
PsTracking *ps_tracking_copy (const PsTracking *tracking);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsTracking, ps_tracking_free)

/** PsTrackingFormats: operator tracking formats from the configuration. */
typedef struct _PsTrackingFormats PsTrackingFormats;

PsTrackingFormats *ps_tracking_formats_new (void);
void ps_tracking_formats_free (PsTrackingFormats *formats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsTrackingFormats, ps_tracking_formats_free)

/**
 * ps_tracking_formats_add:
 * @formats: the formats
 * @name: a short name shown to the clerk ("vnpost-domestic")
 * @pattern: a regular expression the whole normalised number must match
 * @error: return location for a %PS_ERROR_CONFIG error
 *
 * Returns: %TRUE, or %FALSE with @error set if @pattern does not compile
 */
gboolean ps_tracking_formats_add (PsTrackingFormats *formats, const char *name, const char *pattern,
                                  GError **error);
guint ps_tracking_formats_get_n (const PsTrackingFormats *formats);

/**
 * ps_tracking_parse:
 * @input: what the scanner or the clerk delivered
 * @len: length of @input in bytes, or -1 if NUL-terminated
 * @formats: (nullable): further operator formats
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Normalises @input (blanks, case, AIM prefix, control characters) and
 * validates it as a UPU S10 identifier or, failing that, against @formats.
 * The error says exactly what is wrong ("check digit is 2, expected 1").
 *
 * Returns: (transfer full): the parsed number, or %NULL with @error set
 */
PsTracking *ps_tracking_parse (const char *input, gssize len, const PsTrackingFormats *formats,
                               GError **error);

/**
 * ps_tracking_input_is_complete:
 * @input: what the clerk has typed so far
 * @formats: (nullable): the configured operator formats
 *
 * Whether @input is worth judging while the clerk types: it holds
 * characters no tracking number has, or it is as long as a UPU S10 number
 * and no operator format could still match with more characters typed.
 *
 * Returns: %TRUE if a parse error of @input should be shown now
 */
gboolean ps_tracking_input_is_complete (const char *input, const PsTrackingFormats *formats);

/**
 * ps_s10_compute_check_digit:
 * @serial: eight ASCII digits
 *
 * Returns: the S10 check digit of @serial (weights 8 6 4 2 3 5 9 7, modulo 11)
 */
guint ps_s10_compute_check_digit (const char *serial);

/**
 * ps_s10_service_describe:
 * @service: a two-letter service indicator
 *
 * Returns: (nullable): what the service indicator means, translated, or
 *   %NULL if S10 does not assign it
 */
const char *ps_s10_service_describe (const char *service);

G_END_DECLS
