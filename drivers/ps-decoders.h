/* ps-decoders.h — the byte decoders of the drivers: pure functions and small
 * state machines over raw USB reports, unit-tested and fuzzed on bytes. No
 * libusb here. */
#pragma once

#include <glib.h>

#include "parcelscreen/ps-weight.h"

G_BEGIN_DECLS

/* ---- HID POS scale ------------------------------------------------------------ */

#define PS_SCALE_REPORT_ID     3
#define PS_SCALE_REPORT_LENGTH 6

typedef struct
{
  int status;        /* PsScaleStatus */
  int unit;          /* PsWeightUnit, 0 when the status has none */
  int exponent;      /* signed decimal exponent */
  guint16 raw;       /* the weight field */
  gint64 milligrams; /* negative under zero */
} PsScaleReading;

/**
 * ps_scale_report_decode:
 * Decodes `[report id 3][status][unit][exponent][weight LE16]`.
 * Returns: %TRUE, or %FALSE with a %PS_ERROR_INVALID_INPUT error for a short,
 *   long or garbage report
 */
gboolean ps_scale_report_decode (const guint8 *data, gsize len, PsScaleReading *reading,
                                 GError **error);

/* ---- HID report descriptors ------------------------------------------------------ */

#define PS_HID_USAGE_PAGE_POS_SCANNER 0x8C
#define PS_HID_USAGE_PAGE_SCALE       0x8D

/**
 * ps_hid_descriptor_has_usage_page:
 * Returns: %TRUE if the report descriptor declares usage page @page. A
 *   truncated or malformed descriptor is read as far as it is whole.
 */
gboolean ps_hid_descriptor_has_usage_page (const guint8 *descriptor, gsize len, guint16 page);

/* ---- Scanners ---------------------------------------------------------------------------- */

typedef enum
{
  PS_SCAN_NONE,  /* nothing complete yet */
  PS_SCAN_TEXT,  /* a complete scan */
  PS_SCAN_ERROR, /* a report or a scan was refused */
} PsScanResult;

/** Keyboard-mode scanners: 8-byte boot keyboard reports, US layout. */
typedef struct _PsKeyboardDecoder PsKeyboardDecoder;

/**
 * ps_keyboard_decoder_new:
 * @max_chars: the longest scan accepted
 * @gap_us: a pause this long ends a scan that has no Enter or Tab suffix
 */
PsKeyboardDecoder *ps_keyboard_decoder_new (guint max_chars, gint64 gap_us);
void ps_keyboard_decoder_free (PsKeyboardDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsKeyboardDecoder, ps_keyboard_decoder_free)

/**
 * ps_keyboard_decoder_feed:
 * @text: (out) (transfer full): the scan, for %PS_SCAN_TEXT
 * Returns: what the report completed
 */
PsScanResult ps_keyboard_decoder_feed (PsKeyboardDecoder *decoder, const guint8 *data, gsize len,
                                       gint64 now_us, char **text, GError **error);
/** Ends a scan without suffix after the gap; call it every few tens of ms. */
PsScanResult ps_keyboard_decoder_tick (PsKeyboardDecoder *decoder, gint64 now_us, char **text,
                                       GError **error);

/** HID POS scanners (usage page 0x8C), the Honeywell-style layout:
 * `[report id 2][data length][symbology: 3 bytes][data…][…][flags]`, bit 0
 * of the last byte meaning that more reports of the same scan follow. */
typedef struct _PsHidPosDecoder PsHidPosDecoder;

#define PS_HIDPOS_REPORT_ID 2

PsHidPosDecoder *ps_hidpos_decoder_new (guint max_bytes, gint64 timeout_us);
void ps_hidpos_decoder_free (PsHidPosDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsHidPosDecoder, ps_hidpos_decoder_free)

/**
 * ps_hidpos_decoder_feed:
 * @text: (out) (transfer full): the scan, valid UTF-8, for %PS_SCAN_TEXT
 * @symbology: (out) (transfer full) (nullable): its AIM identifier ("]Q1")
 */
PsScanResult ps_hidpos_decoder_feed (PsHidPosDecoder *decoder, const guint8 *data, gsize len,
                                     gint64 now_us, char **text, char **symbology, GError **error);
/** Drops a scan whose next report did not come in time. */
PsScanResult ps_hidpos_decoder_tick (PsHidPosDecoder *decoder, gint64 now_us, GError **error);

/**
 * ps_split_aim_prefix:
 * @text: (inout): a scan; its leading AIM identifier is removed
 * Returns: (transfer full) (nullable): the identifier ("]C0"), or %NULL
 */
char *ps_split_aim_prefix (char **text);

G_END_DECLS
