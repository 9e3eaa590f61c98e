/* ps-history-page.c — decided parcels, found by tracking number or day.
 *
 * A decision is never edited: a correction is a new entry, audited, linked
 * to the parcel and shown under it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "parcelscreen/ps-date.h"
#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-weight.h"
#include "ps-form-dialog.h"
#include "ps-history-page.h"
#include "ps-main-window.h"
#include "ps-pages.h"
#include "ps-parcel-text.h"

#define DAY_LIMIT 1000

enum
{
  COLUMN_PARCEL_ID,
  COLUMN_TRACKING,
  COLUMN_DECISION,
  COLUMN_TIME,
  COLUMN_CLERK,
  COLUMN_WEIGHT,
  N_COLUMNS
};

struct _PsHistoryPage
{
  GtkBox parent_instance;

  PsApplication *application;
  PsMainWindow *window;
  GCancellable *cancellable; /* the page's reads, cancelled in dispose */
  GtkListStore *store;
  PsParcelDetail *detail;
  gint64 selected_parcel;

  GtkEntry *search_entry;
  GtkTreeView *parcels_view;
  GtkLabel *detail_label;
  GtkLabel *action_error;
  GtkButton *correction_button;
  GtkButton *reprint_button;
};

G_DEFINE_FINAL_TYPE (PsHistoryPage, ps_history_page, GTK_TYPE_BOX)

static gboolean
looks_like_day (const char *text)
{
  int year, month, day;
  char rest;
  return sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &rest) == 3;
}

static void
search_job (GTask *task, PsStore *store, gpointer data)
{
  const char *query = data;
  GError *error = NULL;
  GPtrArray *parcels = looks_like_day (query)
                           ? ps_store_list_day (store, query, DAY_LIMIT, 0, &error)
                           : ps_store_find_parcels (store, query, &error);
  ps_store_task_return (task, parcels, (GDestroyNotify) g_ptr_array_unref, error);
}

static void
search_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsHistoryPage) self = user_data;
  g_autoptr (GPtrArray) parcels = ps_page_job_result (result, self->action_error);

  (void) source;
  if (parcels == NULL)
    return;
  ps_page_set_error (self->action_error, NULL);
  gtk_list_store_clear (self->store);
  for (guint i = 0; i < parcels->len; i++)
    {
      const PsParcelSummary *parcel = g_ptr_array_index (parcels, i);
      g_autofree char *time = ps_page_format_time (parcel->decided_us);
      g_autofree char *weight =
          parcel->weight_mg > 0 ? ps_weight_format (parcel->weight_mg) : g_strdup ("—");
      gtk_list_store_insert_with_values (
          self->store, NULL, -1, COLUMN_PARCEL_ID, parcel->parcel_id, COLUMN_TRACKING,
          parcel->tracking, COLUMN_DECISION, ps_decision_label (parcel->decision), COLUMN_TIME,
          time, COLUMN_CLERK, parcel->clerk_login, COLUMN_WEIGHT, weight, -1);
    }
  if (parcels->len == 0)
    gtk_label_set_text (self->detail_label, _ ("Nothing found."));
  else
    {
      GtkTreePath *first = gtk_tree_path_new_first ();
      gtk_tree_selection_select_path (gtk_tree_view_get_selection (self->parcels_view), first);
      gtk_tree_path_free (first);
    }
}

static void
search_clicked_cb (PsHistoryPage *self)
{
  g_autofree char *query = ps_page_entry_text (self->search_entry);
  if (*query == '\0')
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_free (query);
      query = g_date_time_format (now, "%Y-%m-%d");
      gtk_entry_set_text (self->search_entry, query);
    }
  else if (!looks_like_day (query))
    {
      char *upper = g_ascii_strup (query, -1);
      g_free (query);
      query = upper;
    }
  ps_page_run (self->application, GTK_WIDGET (self), self->cancellable, "search the history",
               search_job, g_steal_pointer (&query), g_free, search_done_cb);
}

void
ps_history_page_refresh (PsHistoryPage *self)
{
  g_return_if_fail (PS_IS_HISTORY_PAGE (self));
  if (ps_application_get_session (self->application) != NULL)
    search_clicked_cb (self);
}

static void
show_detail (PsHistoryPage *self, PsParcelDetail *detail)
{
  ps_page_show_detail (self->application, self->detail_label, &self->detail, detail);
  gtk_widget_set_sensitive (GTK_WIDGET (self->correction_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reprint_button),
                            detail->decision != PS_DECISION_REFUSED && !detail->purged);
}

static void
detail_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsHistoryPage) self = user_data;
  PsParcelDetail *detail = ps_page_job_result (result, self->action_error);

  (void) source;
  if (detail == NULL)
    return;
  if (detail->parcel_id != self->selected_parcel)
    {
      ps_parcel_detail_free (detail);
      return;
    }
  show_detail (self, detail);
}

static void
selection_changed_cb (GtkTreeSelection *selection, PsHistoryPage *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return;
  gtk_tree_model_get (model, &iter, COLUMN_PARCEL_ID, &self->selected_parcel, -1);
  ps_page_load_detail (self->application, GTK_WIDGET (self), self->cancellable,
                       self->selected_parcel, 0, detail_done_cb);
}

static void
correction_job (GTask *task, PsStore *store, gpointer data)
{
  PsPageWrite *job = data; /* the parcel, and the note */
  GError *error = NULL;
  PsParcelDetail *detail = NULL;
  if (ps_store_add_correction (store, job->actor, job->id, job->data, g_get_real_time (), &error) >
      0)
    detail = ps_store_get_parcel (store, job->id, &error);
  ps_store_task_return (task, detail, (GDestroyNotify) ps_parcel_detail_free, error);
}

static void
correction_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsHistoryPage) self = user_data;
  PsParcelDetail *detail = ps_page_job_result (result, self->action_error);

  (void) source;
  if (detail == NULL)
    return;
  ps_page_set_error (self->action_error, NULL);
  show_detail (self, detail);
}

static gboolean
correction_apply (PsFormDialog *dialog, gpointer owner)
{
  PsHistoryPage *self = owner;
  const PsSession *session = ps_application_get_session (self->application);
  g_autofree char *note = ps_form_dialog_get_note (dialog);

  if (self->detail == NULL || session == NULL)
    return TRUE;
  if (*note == '\0')
    {
      ps_form_dialog_set_error (dialog, _ ("Write what is wrong and what is right."));
      return FALSE;
    }
  PsPageWrite *job =
      ps_page_write_new (session->actor, self->detail->parcel_id, g_steal_pointer (&note), g_free);
  /* A write is never cancelled: once asked for, it is saved. */
  ps_page_run (self->application, GTK_WIDGET (self), NULL, "add a correction", correction_job, job,
               (GDestroyNotify) ps_page_write_free, correction_done_cb);
  return TRUE;
}

static void
correction_clicked_cb (PsHistoryPage *self)
{
  const PsSession *session = ps_application_get_session (self->application);
  if (self->detail == NULL || session == NULL)
    return;
  g_autofree char *heading = g_strdup_printf (
      _ ("A correction to the record of %s. The decision itself stays as it was; the correction "
         "is added under it, with your name and the time."),
      self->detail->tracking);
  PsFormDialog *dialog = ps_form_dialog_new (GTK_WINDOW (self->window), _ ("Correction"), heading,
                                             _ ("_Add the correction"));
  ps_form_dialog_present (dialog, correction_apply, self);
}

static void
reprint_clicked_cb (PsHistoryPage *self)
{
  g_autoptr (GError) error = NULL;
  if (self->detail == NULL)
    return;
  PsPrintoutContext context;
  ps_application_get_printout_context (self->application, &context);
  g_autoptr (PsPrintout) printout = self->detail->decision == PS_DECISION_HELD
                                        ? ps_printout_new_holding_record (self->detail, &context)
                                        : ps_printout_new_receipt (self->detail, &context);
  if (!ps_printout_print (printout, GTK_WINDOW (self->window), &error))
    ps_page_set_error (self->action_error, error->message);
}

static void
ps_history_page_dispose (GObject *object)
{
  PsHistoryPage *self = PS_HISTORY_PAGE (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->detail, ps_parcel_detail_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ps_history_page_parent_class)->dispose (object);
}

static void
ps_history_page_class_init (PsHistoryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_history_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PsHistoryPage, parcels_view);
  gtk_widget_class_bind_template_child (widget_class, PsHistoryPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PsHistoryPage, action_error);
  gtk_widget_class_bind_template_child (widget_class, PsHistoryPage, correction_button);
  gtk_widget_class_bind_template_child (widget_class, PsHistoryPage, reprint_button);
  gtk_widget_class_bind_template_callback (widget_class, search_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, correction_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reprint_clicked_cb);
}

static void
ps_history_page_init (PsHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->store = gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  gtk_tree_view_set_model (self->parcels_view, GTK_TREE_MODEL (self->store));
  ps_page_add_text_column (self->parcels_view, _ ("Tracking number"), COLUMN_TRACKING);
  ps_page_add_text_column (self->parcels_view, _ ("Decision"), COLUMN_DECISION);
  ps_page_add_text_column (self->parcels_view, _ ("Time"), COLUMN_TIME);
  ps_page_add_text_column (self->parcels_view, _ ("Clerk"), COLUMN_CLERK);
  ps_page_add_text_column (self->parcels_view, _ ("Weight"), COLUMN_WEIGHT);
  g_signal_connect (gtk_tree_view_get_selection (self->parcels_view), "changed",
                    G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_clicked_cb), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->correction_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reprint_button), FALSE);
}

PsHistoryPage *
ps_history_page_new (PsApplication *application, PsMainWindow *window)
{
  PsHistoryPage *self = g_object_new (PS_TYPE_HISTORY_PAGE, NULL);
  self->application = application;
  self->window = window;
  gtk_label_set_text (self->detail_label,
                      _ ("Type a tracking number or a day (YYYY-MM-DD) and press Enter."));
  return self;
}
