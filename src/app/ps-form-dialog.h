/* ps-form-dialog.h — a modal dialog asking for reasons, fields and a note. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-reasons.h"

G_BEGIN_DECLS

#define PS_TYPE_FORM_DIALOG (ps_form_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsFormDialog, ps_form_dialog, PS, FORM_DIALOG, GtkDialog)

/* A dialog over @parent with a Cancel button and @ok_label. */
PsFormDialog *ps_form_dialog_new (GtkWindow *parent, const char *title, const char *heading,
                                  const char *ok_label);
/* Radio buttons (@multiple: check buttons) for the reasons of @kind, none chosen. */
void ps_form_dialog_add_reasons (PsFormDialog *self, const PsReasons *reasons, PsReasonKind kind,
                                 gboolean multiple);
/* Returns: (transfer none): a new labelled entry. */
GtkEntry *ps_form_dialog_add_entry (PsFormDialog *self, const char *label, const char *text);
void ps_form_dialog_hide_note (PsFormDialog *self);
/* Returns: (transfer full): the chosen reason ids. */
GStrv ps_form_dialog_get_reasons (PsFormDialog *self);
char *ps_form_dialog_get_note (PsFormDialog *self);
void ps_form_dialog_set_error (PsFormDialog *self, const char *message);

/* Called when the person presses OK: returns %TRUE to close the dialog, or
 * %FALSE after ps_form_dialog_set_error () to keep it open. */
typedef gboolean (*PsFormDialogApply) (PsFormDialog *dialog, gpointer owner);

/* Shows the dialog without blocking (a nested main loop would stall the
 * accessibility bus); @owner (a GObject) is kept alive until it closes. */
void ps_form_dialog_present (PsFormDialog *self, PsFormDialogApply apply, gpointer owner);

G_END_DECLS
