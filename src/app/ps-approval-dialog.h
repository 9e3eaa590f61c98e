/* ps-approval-dialog.h — a supervisor's approval of a high-risk acceptance. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_APPROVAL_DIALOG (ps_approval_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsApprovalDialog, ps_approval_dialog, PS, APPROVAL_DIALOG, GtkDialog)

/**
 * ps_approval_dialog_new:
 * @score: the parcel's risk score
 * @threshold: the score from which an accept needs approval
 *
 * Responds %GTK_RESPONSE_OK when the supervisor approves.
 */
PsApprovalDialog *ps_approval_dialog_new (GtkWindow *parent, guint score, guint threshold);
/* Returns: (transfer full): the login typed, without surrounding blanks. */
char *ps_approval_dialog_get_login (PsApprovalDialog *self);
/* Returns: (transfer full): the PIN typed; the entry is emptied. Wipe it
 * with sodium_memzero() once used. */
char *ps_approval_dialog_take_pin (PsApprovalDialog *self);

G_END_DECLS
