/* ps-reasons.h — reason codes for refusing and holding a parcel, from a data file. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_REASON_REFUSE,
  PS_REASON_HOLD,
} PsReasonKind;

/**
 * PsReason:
 * @kind: whether the code refuses or holds
 * @id: the code ("suspected-drugs")
 * @text_vi: Vietnamese text
 * @text_en: English text
 * @needs_note: a decision with this code needs a note
 * @after_hold_item: refuse only: the code may refuse a parcel although a
 *   checklist item that leads to a hold failed (prohibited goods that are
 *   not to be held, such as an aerosol the sender takes back)
 */
typedef struct
{
  PsReasonKind kind;
  char *id;
  char *text_vi;
  char *text_en;
  gboolean needs_note;
  gboolean after_hold_item;
} PsReason;

typedef struct _PsReasons PsReasons;

/**
 * ps_reasons_parse:
 * @data: the file's contents
 * @len: length of @data in bytes
 * @source: the file name, for messages
 * @error: return location for a %PS_ERROR_DATA_FILE error
 *
 * Stanzas with `kind` (refuse or hold), `id`, `vi`, `en` and optionally
 * `note` (required or optional) and `after-hold-item` (yes or no).
 *
 * Returns: (transfer full): the reasons, or %NULL with @error set
 */
PsReasons *ps_reasons_parse (const char *data, gsize len, const char *source, GError **error);
PsReasons *ps_reasons_ref (PsReasons *reasons);
void ps_reasons_unref (PsReasons *reasons);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsReasons, ps_reasons_unref)

guint ps_reasons_get_n (const PsReasons *reasons);
const PsReason *ps_reasons_get (const PsReasons *reasons, guint index);
const PsReason *ps_reasons_find (const PsReasons *reasons, PsReasonKind kind, const char *id);
/**
 * ps_reasons_describe:
 * @codes: reason ids as recorded, comma-separated ("suspected-drugs,concealment")
 * Returns: (transfer full): the reasons in words a person reads, in
 *   Vietnamese or English, "; " between them (a code the file no longer
 *   knows is kept as it is)
 */
char *ps_reasons_describe (const PsReasons *reasons, PsReasonKind kind, const char *codes,
                           gboolean vietnamese);

G_END_DECLS
