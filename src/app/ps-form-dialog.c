/* ps-form-dialog.c — reasons, fields and a note, in one modal dialog. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-checklist.h"
#include "ps-form-dialog.h"
#include "ps-pages.h"

struct _PsFormDialog
{
  GtkDialog parent_instance;

  PsFormDialogApply apply;
  GObject *owner;

  GtkLabel *heading_label;
  GtkBox *reasons_box;
  GtkGrid *fields_grid;
  GtkLabel *note_label;
  GtkScrolledWindow *note_scroller;
  GtkTextView *note_view;
  GtkLabel *error_label;
  guint n_fields;
};

G_DEFINE_FINAL_TYPE (PsFormDialog, ps_form_dialog, GTK_TYPE_DIALOG)

static void
ps_form_dialog_dispose (GObject *object)
{
  g_clear_object (&PS_FORM_DIALOG (object)->owner);
  G_OBJECT_CLASS (ps_form_dialog_parent_class)->dispose (object);
}

static void
ps_form_dialog_class_init (PsFormDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_form_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-form-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, fields_grid);
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, note_scroller);
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, note_view);
  gtk_widget_class_bind_template_child (widget_class, PsFormDialog, error_label);
}

static void
ps_form_dialog_init (PsFormDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PsFormDialog *
ps_form_dialog_new (GtkWindow *parent, const char *title, const char *heading, const char *ok_label)
{
  PsFormDialog *self =
      g_object_new (PS_TYPE_FORM_DIALOG, "transient-for", parent, "title", title, NULL);
  gtk_label_set_text (self->heading_label, heading);
  gtk_dialog_add_button (GTK_DIALOG (self), _ ("_Cancel"), GTK_RESPONSE_CANCEL);
  GtkWidget *ok = gtk_dialog_add_button (GTK_DIALOG (self), ok_label, GTK_RESPONSE_OK);
  gtk_style_context_add_class (gtk_widget_get_style_context (ok), "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  return self;
}

void
ps_form_dialog_add_reasons (PsFormDialog *self, const PsReasons *reasons, PsReasonKind kind,
                            gboolean multiple)
{
  const char *language = ps_current_language ();
  GtkRadioButton *group = NULL;

  if (!multiple)
    {
      /* A hidden member, active, so that no visible reason is chosen by default. */
      group = GTK_RADIO_BUTTON (gtk_radio_button_new (NULL));
      gtk_box_pack_start (self->reasons_box, GTK_WIDGET (group), FALSE, FALSE, 0);
    }
  for (guint i = 0; i < ps_reasons_get_n (reasons); i++)
    {
      const PsReason *reason = ps_reasons_get (reasons, i);
      if (reason->kind != kind)
        continue;
      const char *text = ps_pick_language (language, reason->text_vi, reason->text_en);
      g_autofree char *caption = reason->needs_note
                                     ? g_strdup_printf (_ ("%s (explain in the note)"), text)
                                     : g_strdup (text);
      GtkWidget *button = multiple ? gtk_check_button_new_with_label (caption)
                                   : gtk_radio_button_new_with_label_from_widget (group, caption);
      g_object_set_data_full (G_OBJECT (button), "reason-id", g_strdup (reason->id), g_free);
      gtk_widget_show (button);
      gtk_box_pack_start (self->reasons_box, button, FALSE, FALSE, 0);
    }
  gtk_widget_show (GTK_WIDGET (self->reasons_box));
}

GtkEntry *
ps_form_dialog_add_entry (PsFormDialog *self, const char *label, const char *text)
{
  GtkWidget *caption = gtk_label_new_with_mnemonic (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (caption), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), entry);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_hexpand (entry, TRUE);
  if (text != NULL)
    gtk_entry_set_text (GTK_ENTRY (entry), text);
  g_autofree char *name = g_strdup (gtk_label_get_text (GTK_LABEL (caption)));
  atk_object_set_name (gtk_widget_get_accessible (entry), name);
  gtk_grid_attach (self->fields_grid, caption, 0, (int) self->n_fields, 1, 1);
  gtk_grid_attach (self->fields_grid, entry, 1, (int) self->n_fields, 1, 1);
  gtk_widget_show (caption);
  gtk_widget_show (entry);
  if (self->n_fields++ == 0)
    gtk_widget_grab_focus (entry);
  return GTK_ENTRY (entry);
}

void
ps_form_dialog_hide_note (PsFormDialog *self)
{
  gtk_widget_hide (GTK_WIDGET (self->note_label));
  gtk_widget_hide (GTK_WIDGET (self->note_scroller));
}

GStrv
ps_form_dialog_get_reasons (PsFormDialog *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (self->reasons_box));

  for (GList *l = children; l != NULL; l = l->next)
    {
      const char *id = g_object_get_data (l->data, "reason-id");
      if (id != NULL && gtk_toggle_button_get_active (l->data))
        g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

char *
ps_form_dialog_get_note (PsFormDialog *self)
{
  return ps_page_text_view_text (self->note_view);
}

void
ps_form_dialog_set_error (PsFormDialog *self, const char *message)
{
  ps_page_set_error (self->error_label, message);
}

static void
response_cb (PsFormDialog *self, int response)
{
  if (response == GTK_RESPONSE_OK && self->apply != NULL && !self->apply (self, self->owner))
    return;
  gtk_widget_destroy (GTK_WIDGET (self));
}

void
ps_form_dialog_present (PsFormDialog *self, PsFormDialogApply apply, gpointer owner)
{
  self->apply = apply;
  self->owner = g_object_ref (owner);
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
  gtk_window_present (GTK_WINDOW (self));
}
