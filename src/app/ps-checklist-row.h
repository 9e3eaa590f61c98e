/* ps-checklist-row.h — one inspection item: the question, "Yes" and "No". */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-acceptance.h"

G_BEGIN_DECLS

#define PS_TYPE_CHECKLIST_ROW (ps_checklist_row_get_type ())
G_DECLARE_FINAL_TYPE (PsChecklistRow, ps_checklist_row, PS, CHECKLIST_ROW, GtkBox)

/**
 * ps_checklist_row_new:
 * @index: the item's place in the checklist, from 0
 * @n_items: how many items the checklist has
 * @text: the question, in the clerk's language
 *
 * The row emits "answered" (a #PsAnswer) when the clerk chooses an answer;
 * it shows what ps_checklist_row_set_answer() last gave it.
 */
PsChecklistRow *ps_checklist_row_new (guint index, guint n_items, const char *text);
guint ps_checklist_row_get_index (PsChecklistRow *self);
void ps_checklist_row_set_answer (PsChecklistRow *self, PsAnswer answer);
/* Focuses the "Yes" button. */
void ps_checklist_row_focus (PsChecklistRow *self);

G_END_DECLS
