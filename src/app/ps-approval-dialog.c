/* ps-approval-dialog.c — a supervisor's approval of a high-risk acceptance. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-approval-dialog.h"
#include "ps-pages.h"

struct _PsApprovalDialog
{
  GtkDialog parent_instance;

  /* Template widgets */
  GtkLabel *heading_label;
  GtkEntry *login_entry, *pin_entry;
};

G_DEFINE_FINAL_TYPE (PsApprovalDialog, ps_approval_dialog, GTK_TYPE_DIALOG)

static void
ps_approval_dialog_class_init (PsApprovalDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-approval-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsApprovalDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, PsApprovalDialog, login_entry);
  gtk_widget_class_bind_template_child (widget_class, PsApprovalDialog, pin_entry);
}

static void
ps_approval_dialog_init (PsApprovalDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PsApprovalDialog *
ps_approval_dialog_new (GtkWindow *parent, guint score, guint threshold)
{
  PsApprovalDialog *self = g_object_new (PS_TYPE_APPROVAL_DIALOG, "transient-for", parent, NULL);
  g_autofree char *heading = g_strdup_printf (
      _ ("The risk score is %u, at or above %u. A supervisor who has seen the parcel approves "
         "its acceptance with their own PIN."),
      score, threshold);
  gtk_label_set_text (self->heading_label, heading);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
  return self;
}

char *
ps_approval_dialog_get_login (PsApprovalDialog *self)
{
  g_return_val_if_fail (PS_IS_APPROVAL_DIALOG (self), NULL);
  return ps_page_entry_text (self->login_entry);
}

char *
ps_approval_dialog_take_pin (PsApprovalDialog *self)
{
  g_return_val_if_fail (PS_IS_APPROVAL_DIALOG (self), NULL);
  char *pin = g_strdup (gtk_entry_get_text (self->pin_entry));
  gtk_entry_set_text (self->pin_entry, "");
  return pin;
}
