/* ps-checklist.h — the mandatory inspection checklist, loaded from a data file. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_ANSWER_NONE,
  PS_ANSWER_YES,
  PS_ANSWER_NO,
} PsAnswer;

/** What a failing answer leads to. */
typedef enum
{
  PS_FAIL_REFUSE,
  PS_FAIL_HOLD,
} PsFailAction;

typedef struct
{
  char *id;
  char *text_vi;
  char *text_en;
  PsAnswer passes;
  PsFailAction on_fail;
} PsChecklistItem;

typedef struct _PsChecklist PsChecklist;

/**
 * ps_checklist_parse:
 * @data: the file's contents
 * @len: length of @data in bytes
 * @source: the file name, for messages
 * @error: return location for a %PS_ERROR_DATA_FILE error naming @source and the line
 *
 * Parses the checklist format: stanzas of `key: value` lines separated by
 * blank lines, one stanza an item with the keys `id`, `vi`, `en`, `passes`
 * (yes or no) and `on-fail` (refuse or hold).
 *
 * Returns: (transfer full): the checklist, or %NULL with @error set
 */
PsChecklist *ps_checklist_parse (const char *data, gsize len, const char *source, GError **error);

PsChecklist *ps_checklist_ref (PsChecklist *checklist);
void ps_checklist_unref (PsChecklist *checklist);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsChecklist, ps_checklist_unref)

guint ps_checklist_get_n_items (const PsChecklist *checklist);
const PsChecklistItem *ps_checklist_get_item (const PsChecklist *checklist, guint index);
/** Returns: (nullable): the item with @id, and its index in @index_out. */
const PsChecklistItem *ps_checklist_find (const PsChecklist *checklist, const char *id,
                                          guint *index_out);
/** Returns: the SHA-256 (hex) of the file the checklist was read from, for the record. */
const char *ps_checklist_get_digest (const PsChecklist *checklist);

/** Returns: @text_vi when @language starts with "vi", else @text_en. */
const char *ps_pick_language (const char *language, const char *text_vi, const char *text_en);

/** Returns: the current UI language ("vi" or "en"), from the message locale. */
const char *ps_current_language (void);

G_END_DECLS
