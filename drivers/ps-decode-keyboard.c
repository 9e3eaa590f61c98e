/* ps-decode-keyboard.c — scans from a scanner in keyboard mode.
 *
 * A boot keyboard report is `[modifiers][reserved][six key codes]`; a key
 * counts when it appears in a report and was not in the one before, so a
 * press followed by an all-zero release, and the same key twice with a
 * release between, give the right characters. Enter or Tab ends a scan, and
 * so does a pause (the scanner may send no suffix). A control key (Escape,
 * arrows, Ctrl or Alt held) would do something to whatever window had the
 * focus: such a scan is refused whole.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-decoders.h"

#define BOOT_REPORT_LENGTH 8
#define MODIFIER_SHIFT     0x22 /* left and right Shift */
#define MODIFIER_CONTROL   0xDD /* Ctrl, Alt, GUI on either side */

struct _PsKeyboardDecoder
{
  guint max_chars;
  gint64 gap_us;
  guint8 previous[6];
  GString *text;
  gint64 last_key_us;
  gboolean refused; /* a control key or an overflow spoiled the scan */
  const char *why;  /* untranslated reason */
};

PsKeyboardDecoder *
ps_keyboard_decoder_new (guint max_chars, gint64 gap_us)
{
  PsKeyboardDecoder *decoder = g_new0 (PsKeyboardDecoder, 1);
  decoder->max_chars = max_chars;
  decoder->gap_us = gap_us;
  decoder->text = g_string_new (NULL);
  return decoder;
}

void
ps_keyboard_decoder_free (PsKeyboardDecoder *decoder)
{
  if (decoder == NULL)
    return;
  g_string_free (decoder->text, TRUE);
  g_free (decoder);
}

/* The character of @key on a US layout, 0 for Enter/Tab (end of scan), -1
 * for a key that is no character. */
static int
key_to_char (guint8 key, gboolean shift)
{
  static const char digits[] = "1234567890";
  static const char shifted_digits[] = "!@#$%^&*()";
  static const char punctuation[] = " -=[]\\#;'`,./";
  static const char shifted_punctuation[] = " _+{}|~:\"~<>?";

  if (key >= 0x04 && key <= 0x1D)
    return (shift ? 'A' : 'a') + (key - 0x04);
  if (key >= 0x1E && key <= 0x27)
    return shift ? shifted_digits[key - 0x1E] : digits[key - 0x1E];
  if (key == 0x28 || key == 0x2B || key == 0x58) /* Enter, Tab, keypad Enter */
    return 0;
  if (key >= 0x2C && key <= 0x38 && key != 0x32) /* 0x32: non-US # */
    return shift ? shifted_punctuation[key - 0x2C] : punctuation[key - 0x2C];
  if (key >= 0x59 && key <= 0x62) /* keypad 1–9, 0 */
    return digits[key - 0x59];
  return -1;
}

static void
reset_scan (PsKeyboardDecoder *decoder)
{
  g_string_truncate (decoder->text, 0);
  decoder->refused = FALSE;
  decoder->why = NULL;
}

/* Ends the current scan: its text, a refusal, or nothing if it was empty. */
static PsScanResult
finish_scan (PsKeyboardDecoder *decoder, char **text, GError **error)
{
  PsScanResult result = PS_SCAN_NONE;

  if (decoder->refused)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, "%s", _ (decoder->why));
      result = PS_SCAN_ERROR;
    }
  else if (decoder->text->len > 0)
    {
      *text = g_strdup (decoder->text->str);
      result = PS_SCAN_TEXT;
    }
  reset_scan (decoder);
  return result;
}

static void
refuse (PsKeyboardDecoder *decoder, const char *why)
{
  if (!decoder->refused)
    {
      decoder->refused = TRUE;
      decoder->why = why;
    }
}

PsScanResult
ps_keyboard_decoder_feed (PsKeyboardDecoder *decoder, const guint8 *data, gsize len, gint64 now_us,
                          char **text, GError **error)
{
  g_return_val_if_fail (decoder != NULL, PS_SCAN_NONE);
  g_return_val_if_fail (text != NULL, PS_SCAN_NONE);

  *text = NULL;
  if (len != BOOT_REPORT_LENGTH)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The scanner sent a keyboard report of %u bytes; one has 8."), (guint) len);
      return PS_SCAN_ERROR;
    }

  /* Roll-over and error codes: the keyboard lost track; ignore the report. */
  for (guint k = 2; k < BOOT_REPORT_LENGTH; k++)
    if (data[k] >= 0x01 && data[k] <= 0x03)
      return PS_SCAN_NONE;

  gboolean shift = (data[0] & MODIFIER_SHIFT) != 0;
  gboolean control = (data[0] & MODIFIER_CONTROL) != 0;
  PsScanResult result = PS_SCAN_NONE;

  for (guint k = 2; k < BOOT_REPORT_LENGTH; k++)
    {
      guint8 key = data[k];
      if (key == 0 || memchr (decoder->previous, key, sizeof decoder->previous) != NULL)
        continue;

      decoder->last_key_us = now_us;
      int c = key_to_char (key, shift);
      if (c == 0 && !control)
        {
          result = finish_scan (decoder, text, error);
          /* One report ends at most one scan. */
          break;
        }
      if (c < 0 || control)
        refuse (decoder, N_ ("The scanner sent a control key; the scan was refused. Check the "
                             "scanner's settings and scan again."));
      else if (decoder->text->len >= decoder->max_chars)
        refuse (decoder, N_ ("The scan is too long and was refused."));
      else
        g_string_append_c (decoder->text, (char) c);
    }

  memcpy (decoder->previous, data + 2, sizeof decoder->previous);
  return result;
}

PsScanResult
ps_keyboard_decoder_tick (PsKeyboardDecoder *decoder, gint64 now_us, char **text, GError **error)
{
  g_return_val_if_fail (decoder != NULL, PS_SCAN_NONE);
  g_return_val_if_fail (text != NULL, PS_SCAN_NONE);

  *text = NULL;
  if ((decoder->text->len == 0 && !decoder->refused) ||
      now_us - decoder->last_key_us < decoder->gap_us)
    return PS_SCAN_NONE;
  return finish_scan (decoder, text, error);
}
