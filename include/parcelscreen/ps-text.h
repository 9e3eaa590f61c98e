/* ps-text.h — cleaning scanner input and matching Vietnamese text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ps_scan_clean:
 * @input: bytes as a scanner or a keyboard delivered them
 * @len: length of @input in bytes, or -1 if it is NUL-terminated
 * @max_chars: the longest result accepted, in characters
 * @symbology: (out) (optional): the AIM symbology identifier (e.g. "]C0"), or %NULL
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Checks that @input is valid UTF-8 without NUL bytes, strips surrounding
 * blanks and control characters and a leading AIM symbology identifier, and
 * refuses control characters inside the text.
 *
 * Returns: (transfer full): the cleaned text in NFC, or %NULL with @error set
 */
char *ps_scan_clean (const char *input, gssize len, guint max_chars, char **symbology,
                     GError **error);

/**
 * ps_text_fold:
 * @text: valid UTF-8
 *
 * Folds @text for matching: NFC, case folding, removal of diacritics (đ → d),
 * punctuation to blanks and runs of blanks to one space, trimmed. "TRÀ  KHÔ!"
 * and "tra kho" fold to the same string.
 *
 * Returns: (transfer full): the folded text, or %NULL if @text is not valid UTF-8
 */
char *ps_text_fold (const char *text);

/**
 * ps_text_has_phrase:
 * @folded_text: a string returned by ps_text_fold()
 * @folded_phrase: a non-empty string returned by ps_text_fold()
 *
 * Returns: %TRUE if @folded_phrase occurs in @folded_text as whole words
 * ("tra" is found in "goi tra xanh" but not in "trang phuc").
 */
gboolean ps_text_has_phrase (const char *folded_text, const char *folded_phrase);

/**
 * ps_text_digits_only:
 * @text: UTF-8 text
 *
 * Returns: (transfer full): the ASCII digits of @text in order ("+84 912-345" → "84912345")
 */
char *ps_text_digits_only (const char *text);

/**
 * ps_text_check:
 * @text: (nullable): a value typed by a person
 * @label: what the value is, for the message (already translated)
 * @required: whether an empty value is an error
 * @max_chars: the longest value accepted
 * @out: (out) (transfer full) (nullable): the value trimmed and in NFC, or
 *   %NULL when it is empty and not @required
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * ps_text_check_field() with an answer that cannot be mistaken: %FALSE only
 * when the value is refused.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean ps_text_check (const char *text, const char *label, gboolean required, guint max_chars,
                        char **out, GError **error);

/**
 * ps_text_check_field:
 * @text: (nullable): a value typed by a person
 * @label: what the value is, for the message (already translated)
 * @required: whether an empty value is an error
 * @max_chars: the longest value accepted
 * @error: return location for a %PS_ERROR_INVALID_INPUT error
 *
 * Checks a typed free-text field: valid UTF-8, no control characters but
 * newline and tab, not longer than @max_chars, not blank when @required.
 *
 * Returns: (transfer full) (nullable): the value trimmed and in NFC, %NULL if
 *   it is empty and not required (without @error), or %NULL with @error set;
 *   for an optional value, ps_text_check() says which
 */
char *ps_text_check_field (const char *text, const char *label, gboolean required, guint max_chars,
                           GError **error);

/**
 * ps_usb_id_parse:
 * @text: "vvvv:pppp", vendor and product in hexadecimal
 * Returns: %TRUE and the ids, or %FALSE if @text is malformed
 */
gboolean ps_usb_id_parse (const char *text, guint16 *vendor, guint16 *product);

/**
 * ps_json_too_deep:
 * Returns: %TRUE if the JSON text @text (@len bytes) nests objects and arrays
 *   deeper than @max_depth (counted outside strings). JSON parsers recurse:
 *   a hostile file checked with this first cannot exhaust the stack.
 */
gboolean ps_json_too_deep (const char *text, gsize len, guint max_depth);

/**
 * ps_aim_is_symbology:
 * Returns: whether @text (@len bytes at least 3) begins with an AIM
 *   symbology identifier, such as "]C0" or "]Q1"
 */
gboolean ps_aim_is_symbology (const char *text, gsize len);

/**
 * PsLines:
 *
 * Reads a text file's contents line by line, for the data and configuration
 * files: a leading byte-order mark (which some Windows editors write) is
 * skipped, a line ends at "\n" or "\r\n", and a line with a NUL byte or one
 * that is not UTF-8 is refused with its number.
 */
typedef struct
{
  const char *next;
  const char *end;
  const char *source;
  int code;
  guint number;     /* of the line last read, from 1 */
  gboolean refused; /* the reading stopped at a refused line */
} PsLines;

/* @source names the file in errors, whose #PsError code is @code. */
void ps_lines_init (PsLines *lines, const char *data, gsize len, const char *source, int code);
/**
 * ps_lines_next:
 *
 * Returns: the next line without its end, newly allocated; %NULL after the
 *   last line, or at a refused line: then @lines->refused is %TRUE and
 *   @error says "SOURCE:N: what is wrong".
 */
char *ps_lines_next (PsLines *lines, GError **error);

G_END_DECLS
