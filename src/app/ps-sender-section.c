/* ps-sender-section.c — the sender: scanned from the CCCD, or typed.
 *
 * A scanned card fills the name, number and address; the clerk asks for the
 * phone and confirms. Typing over the scanned number makes the sender typed.
 * Once the sender is set, the store is asked for what this sender sent
 * lately (the repeat-sender rule).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-pages.h"
#include "ps-sender-section.h"

struct _PsSenderSection
{
  GtkFrame parent_instance;

  /* Borrowed */
  PsApplication *application;

  /* Owned */
  PsAcceptance *acceptance;
  GCancellable *cancellable;
  PsCccd *scanned_cccd; /* the card behind the fields, if scanned */

  /* Template widgets */
  GtkLabel *sender_hint;
  GtkEntry *sender_id_entry, *sender_name_entry, *sender_address_entry, *sender_phone_entry;
  GtkLabel *sender_error;
  GtkButton *sender_button;
};

static void ps_sender_section_iface_init (PsCounterSectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsSenderSection, ps_sender_section, GTK_TYPE_FRAME,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_COUNTER_SECTION,
                                                      ps_sender_section_iface_init))

static void
show_scan_hint (PsSenderSection *self)
{
  gtk_label_set_text (self->sender_hint, _ ("Scan the QR code of the sender’s citizen ID card "
                                            "(CCCD), or type the details."));
}

/* ---- The sender's history ---------------------------------------------------- */

typedef struct
{
  char *sender_id;
  gint64 since_us;
} HistoryQuery;

static void
history_query_free (HistoryQuery *query)
{
  g_free (query->sender_id);
  g_free (query);
}

static void
history_job (GTask *task, PsStore *store, gpointer data)
{
  HistoryQuery *query = data;
  GError *error = NULL;
  char **history = ps_store_sender_history (store, query->sender_id, query->since_us, &error);
  if (history == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, history, (GDestroyNotify) g_strfreev);
}

static void
history_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsSenderSection) self = user_data;
  g_auto (GStrv) history = ps_page_job_result (result, self->sender_error);

  (void) source;
  if (history == NULL)
    return;
  if (ps_counter_section_is_open (self->acceptance))
    ps_acceptance_set_sender_history (self->acceptance, (const char *const *) history);
}

static void
load_history (PsSenderSection *self)
{
  guint hours = ps_rules_get_repeat_window_hours (ps_application_get_rules (self->application));
  HistoryQuery *query = g_new0 (HistoryQuery, 1);
  query->sender_id = g_strdup (ps_acceptance_get_record (self->acceptance)->sender_id);
  query->since_us = g_get_real_time () - (gint64) hours * 3600 * G_USEC_PER_SEC;
  ps_page_run (self->application, GTK_WIDGET (self), self->cancellable, "sender history",
               history_job, query, (GDestroyNotify) history_query_free, history_done_cb);
}

/* ---- The clerk's actions ----------------------------------------------------- */

static void
sender_clicked_cb (PsSenderSection *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = ps_page_entry_text (self->sender_id_entry);
  g_autofree char *name = ps_page_entry_text (self->sender_name_entry);
  g_autofree char *address = ps_page_entry_text (self->sender_address_entry);
  g_autofree char *phone = ps_page_entry_text (self->sender_phone_entry);
  gint64 now = g_get_real_time ();
  gboolean ok;

  if (self->acceptance == NULL)
    return;
  if (self->scanned_cccd != NULL && g_strcmp0 (id, self->scanned_cccd->id_number) == 0)
    ok = ps_acceptance_set_sender_cccd (self->acceptance, self->scanned_cccd, phone, now, &error);
  else
    ok = ps_acceptance_set_sender_typed (self->acceptance, id, name, address, phone, now, &error);
  ps_page_set_error (self->sender_error, ok ? NULL : error->message);
  if (!ok)
    return;
  load_history (self);
  ps_counter_section_completed (PS_COUNTER_SECTION (self));
}

static void
sender_id_changed_cb (PsSenderSection *self)
{
  if (self->scanned_cccd != NULL &&
      g_strcmp0 (gtk_entry_get_text (self->sender_id_entry), self->scanned_cccd->id_number) != 0)
    {
      g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
      show_scan_hint (self);
    }
}

void
ps_sender_section_take_cccd_scan (PsSenderSection *self, const char *text)
{
  g_return_if_fail (PS_IS_SENDER_SECTION (self));
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  PsDate today = { .year = g_date_time_get_year (now),
                   .month = g_date_time_get_month (now),
                   .day = g_date_time_get_day_of_month (now) };
  g_autoptr (PsCccd) cccd = ps_cccd_parse (text, -1, &today, &error);

  if (cccd == NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The ID card could not be read: %s Scan it again or type the "
                              "details."),
                           error->message);
      ps_page_set_error (self->sender_error, message);
      return;
    }
  if (self->acceptance == NULL || !ps_acceptance_step_is_done (self->acceptance, PS_STEP_ITEM))
    {
      ps_page_set_error (self->sender_error, _ ("Scan the parcel’s tracking number first, then "
                                                "the sender’s ID card."));
      return;
    }
  gtk_entry_set_text (self->sender_id_entry, cccd->id_number);
  gtk_entry_set_text (self->sender_name_entry, cccd->full_name);
  gtk_entry_set_text (self->sender_address_entry, cccd->address);
  g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
  self->scanned_cccd = g_steal_pointer (&cccd);
  ps_page_set_error (self->sender_error, NULL);
  gtk_label_set_text (self->sender_hint,
                      _ ("Read from the ID card. Ask for the sender’s phone number and confirm."));
  gtk_widget_grab_focus (GTK_WIDGET (self->sender_phone_entry));
}

/* ---- PsCounterSection ------------------------------------------------------- */

static void
setup (PsCounterSection *section, PsApplication *application)
{
  PS_SENDER_SECTION (section)->application = application;
}

static void
set_acceptance (PsCounterSection *section, PsAcceptance *acceptance)
{
  PsSenderSection *self = PS_SENDER_SECTION (section);
  GtkEntry *entries[] = { self->sender_id_entry, self->sender_name_entry,
                          self->sender_address_entry, self->sender_phone_entry };

  /* An answer still on its way belongs to the last acceptance. */
  ps_page_renew_cancellable (&self->cancellable);
  g_set_object (&self->acceptance, acceptance);
  g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_entry_set_text (entries[i], "");
  ps_page_set_error (self->sender_error, NULL);
  show_scan_hint (self);
}

static void
ps_sender_section_iface_init (PsCounterSectionInterface *iface)
{
  iface->setup = setup;
  iface->set_acceptance = set_acceptance;
}

static void
ps_sender_section_dispose (GObject *object)
{
  PsSenderSection *self = PS_SENDER_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->acceptance);
  g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
  G_OBJECT_CLASS (ps_sender_section_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsSenderSection, name)

static void
ps_sender_section_class_init (PsSenderSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_sender_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-sender-section.ui");
  BIND (sender_hint);
  BIND (sender_id_entry);
  BIND (sender_name_entry);
  BIND (sender_address_entry);
  BIND (sender_phone_entry);
  BIND (sender_error);
  BIND (sender_button);
  gtk_widget_class_bind_template_callback (widget_class, sender_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sender_id_changed_cb);
}

static void
ps_sender_section_init (PsSenderSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
