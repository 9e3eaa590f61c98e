/* ps-custody-dialog.c — a supervisor's step in a held parcel's custody:
 * assessment, release, closure or hand-over, the police instruction it
 * carries out (or the override), and the note. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "parcelscreen/ps-error.h"
#include "ps-custody-dialog.h"
#include "ps-pages.h"

struct _PsCustodyDialog
{
  GtkDialog parent_instance;

  PsCustodyKind kind;

  /* Template widgets */
  GtkLabel *heading_label;
  GtkWidget *name_label, *unit_label, *badge_label, *time_label, *instruction_label,
      *override_label;
  GtkEntry *name_entry, *unit_entry, *badge_entry, *time_entry, *instruction_entry, *override_entry;
  GtkTextView *note_view;
  GtkLabel *error_label;
  GtkButton *ok_button;
};

G_DEFINE_FINAL_TYPE (PsCustodyDialog, ps_custody_dialog, GTK_TYPE_DIALOG)

void
ps_custody_request_free (PsCustodyRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->note);
  g_free (request->officer_name);
  g_free (request->officer_unit);
  g_free (request->officer_badge);
  g_free (request->instruction_id);
  g_free (request->override_reason);
  g_free (request);
}

static void
show_row (GtkWidget *label, GtkEntry *entry, gboolean visible)
{
  gtk_widget_set_visible (label, visible);
  gtk_widget_set_visible (GTK_WIDGET (entry), visible);
}

PsCustodyDialog *
ps_custody_dialog_new (GtkWindow *parent, PsCustodyKind kind, const char *title,
                       const char *heading, const char *ok_label)
{
  PsCustodyDialog *self =
      g_object_new (PS_TYPE_CUSTODY_DIALOG, "transient-for", parent, "title", title, NULL);
  gboolean handover = kind == PS_CUSTODY_HANDOVER;

  self->kind = kind;
  gtk_label_set_text (self->heading_label, heading);
  gtk_button_set_label (self->ok_button, ok_label);
  show_row (self->name_label, self->name_entry, handover);
  show_row (self->unit_label, self->unit_entry, handover);
  show_row (self->badge_label, self->badge_entry, handover);
  show_row (self->time_label, self->time_entry, handover);
  if (handover)
    {
      g_autofree char *now = ps_page_format_time (g_get_real_time ());
      gtk_entry_set_text (self->time_entry, now);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->note_view));
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
  return self;
}

void
ps_custody_dialog_offer_instruction (PsCustodyDialog *self, const char *open_id,
                                     gboolean can_override)
{
  g_return_if_fail (PS_IS_CUSTODY_DIALOG (self));
  show_row (self->instruction_label, self->instruction_entry, TRUE);
  show_row (self->override_label, self->override_entry, can_override);
  gtk_entry_set_text (self->instruction_entry, open_id != NULL ? open_id : "");
}

void
ps_custody_dialog_set_officer (PsCustodyDialog *self, const char *name, const char *unit,
                               const char *badge)
{
  g_return_if_fail (PS_IS_CUSTODY_DIALOG (self));
  gtk_entry_set_text (self->name_entry, name != NULL ? name : "");
  gtk_entry_set_text (self->unit_entry, unit != NULL ? unit : "");
  gtk_entry_set_text (self->badge_entry, badge != NULL ? badge : "");
}

static gboolean
parse_local_time (const char *text, gint64 *time_us)
{
  int year, month, day, hour, minute;
  if (sscanf (text, "%d-%d-%d %d:%d", &year, &month, &day, &hour, &minute) != 5)
    return FALSE;
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GDateTime) time = g_date_time_new (zone, year, month, day, hour, minute, 0);
  if (time == NULL)
    return FALSE;
  *time_us = g_date_time_to_unix (time) * G_USEC_PER_SEC;
  return TRUE;
}

/* The text of @entry if it is shown, else NULL. */
static char *
shown_text (GtkEntry *entry)
{
  return gtk_widget_get_visible (GTK_WIDGET (entry)) ? ps_page_entry_text (entry) : NULL;
}

PsCustodyRequest *
ps_custody_dialog_read (PsCustodyDialog *self, GError **error)
{
  g_return_val_if_fail (PS_IS_CUSTODY_DIALOG (self), NULL);
  g_autoptr (PsCustodyRequest) request = g_new0 (PsCustodyRequest, 1);

  request->kind = self->kind;
  request->note = ps_page_text_view_text (self->note_view);
  if (self->kind == PS_CUSTODY_HANDOVER)
    {
      g_autofree char *time_text = ps_page_entry_text (self->time_entry);
      request->officer_name = ps_page_entry_text (self->name_entry);
      request->officer_unit = ps_page_entry_text (self->unit_entry);
      request->officer_badge = ps_page_entry_text (self->badge_entry);
      if (!parse_local_time (time_text, &request->officer_time_us))
        {
          g_set_error_literal (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                               _ ("Write the time as 2026-11-28 14:05."));
          return NULL;
        }
      if (*request->officer_name == '\0' || *request->officer_unit == '\0' ||
          *request->officer_badge == '\0')
        {
          g_set_error_literal (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                               _ ("The officer’s name, unit and badge number are all needed."));
          return NULL;
        }
    }
  else if (*request->note == '\0')
    {
      g_set_error_literal (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                           _ ("Write the note: it goes into the record."));
      return NULL;
    }
  request->instruction_id = shown_text (self->instruction_entry);
  request->override_reason = shown_text (self->override_entry);
  /* An override typed beside a pre-filled instruction means: no instruction. */
  if (request->override_reason != NULL && *request->override_reason != '\0')
    g_clear_pointer (&request->instruction_id, g_free);
  return g_steal_pointer (&request);
}

void
ps_custody_dialog_set_error (PsCustodyDialog *self, const char *message)
{
  g_return_if_fail (PS_IS_CUSTODY_DIALOG (self));
  ps_page_set_error (self->error_label, message);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsCustodyDialog, name)

static void
ps_custody_dialog_class_init (PsCustodyDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-custody-dialog.ui");
  BIND (heading_label);
  BIND (name_label);
  BIND (unit_label);
  BIND (badge_label);
  BIND (time_label);
  BIND (instruction_label);
  BIND (override_label);
  BIND (name_entry);
  BIND (unit_entry);
  BIND (badge_entry);
  BIND (time_entry);
  BIND (instruction_entry);
  BIND (override_entry);
  BIND (note_view);
  BIND (error_label);
  BIND (ok_button);
}

static void
ps_custody_dialog_init (PsCustodyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
