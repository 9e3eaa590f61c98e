/* ps-custody-dialog.h — a supervisor's step in a held parcel's custody. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-custody.h"

G_BEGIN_DECLS

#define PS_TYPE_CUSTODY_DIALOG (ps_custody_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsCustodyDialog, ps_custody_dialog, PS, CUSTODY_DIALOG, GtkDialog)

/**
 * PsCustodyRequest:
 * What the supervisor asked for, checked for completeness (the store and
 * the core check the rest). The officer's fields are set for a hand-over;
 * at most one of @instruction_id and @override_reason is set.
 */
typedef struct
{
  PsCustodyKind kind;
  char *note;
  char *officer_name, *officer_unit, *officer_badge;
  gint64 officer_time_us;
  char *instruction_id;
  char *override_reason;
} PsCustodyRequest;

void ps_custody_request_free (PsCustodyRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCustodyRequest, ps_custody_request_free)

/**
 * ps_custody_dialog_new:
 * @kind: the step; a hand-over shows the officer's fields
 *
 * Responds %GTK_RESPONSE_OK when the supervisor confirms; then
 * ps_custody_dialog_read() says what was asked, or what is missing.
 */
PsCustodyDialog *ps_custody_dialog_new (GtkWindow *parent, PsCustodyKind kind, const char *title,
                                        const char *heading, const char *ok_label);
/* Offers the police instruction the step carries out, pre-filled with
 * @open_id, and with @can_override the override instead. */
void ps_custody_dialog_offer_instruction (PsCustodyDialog *self, const char *open_id,
                                          gboolean can_override);
/* Pre-fills the officer who collects (from a seizure order). */
void ps_custody_dialog_set_officer (PsCustodyDialog *self, const char *name, const char *unit,
                                    const char *badge);
/* Returns: (transfer full): the request, or %NULL with @error saying what is missing */
PsCustodyRequest *ps_custody_dialog_read (PsCustodyDialog *self, GError **error);
void ps_custody_dialog_set_error (PsCustodyDialog *self, const char *message);

G_END_DECLS
