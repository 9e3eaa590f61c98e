/* ps-pages.c — helpers shared by the pages of the main window. */
#include "config.h"

#include "ps-pages.h"
#include "ps-parcel-text.h"

void
ps_page_run (PsApplication *application, GtkWidget *widget, GCancellable *cancellable,
             const char *name, PsStoreJob job, gpointer data, GDestroyNotify data_free,
             GAsyncReadyCallback callback)
{
  ps_store_worker_run (ps_application_get_worker (application), name, job, data, data_free,
                       cancellable, callback, g_object_ref (widget));
}

gboolean
ps_page_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

gpointer
ps_page_job_result (GAsyncResult *result, GtkLabel *error_label)
{
  g_autoptr (GError) error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value == NULL && !ps_page_cancelled (error))
    ps_page_set_error (error_label, error->message);
  return value;
}

void
ps_page_renew_cancellable (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

void
ps_page_set_status_class (GtkWidget *widget, const char *status)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  gtk_style_context_remove_class (style, "ok");
  gtk_style_context_remove_class (style, "warning");
  gtk_style_context_remove_class (style, "error");
  gtk_style_context_add_class (style, status);
}

void
ps_page_set_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

char *
ps_page_entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (entry)));
}

char *
ps_page_format_time (gint64 time_us)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("?");
  g_autoptr (GDateTime) local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
ps_page_text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

void
ps_page_add_text_column (GtkTreeView *view, const char *title, int column)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
  GtkTreeViewColumn *tree_column =
      gtk_tree_view_column_new_with_attributes (title, renderer, "text", column, NULL);
  gtk_tree_view_column_set_resizable (tree_column, TRUE);
  gtk_tree_view_append_column (view, tree_column);
}

PsPageWrite *
ps_page_write_new (const PsActor *actor, gint64 id, gpointer data, GDestroyNotify data_free)
{
  PsPageWrite *write = g_new0 (PsPageWrite, 1);
  write->actor = ps_actor_copy (actor);
  write->id = id;
  write->data = data;
  write->data_free = data_free;
  return write;
}

void
ps_page_write_free (PsPageWrite *write)
{
  ps_actor_free (write->actor);
  if (write->data_free != NULL)
    write->data_free (write->data);
  g_free (write);
}

PsParcelDetail *
ps_page_read_detail (PsStore *store, gint64 parcel_id, gint64 report_id, GError **error)
{
  if (parcel_id == 0)
    parcel_id = ps_store_report_parcel (store, report_id, error);
  if (parcel_id <= 0)
    return NULL;
  return ps_store_get_parcel (store, parcel_id, error);
}

typedef struct
{
  gint64 parcel_id;
  gint64 report_id;
} DetailRequest;

static void
detail_job (GTask *task, PsStore *store, gpointer data)
{
  const DetailRequest *request = data;
  GError *error = NULL;
  PsParcelDetail *detail =
      ps_page_read_detail (store, request->parcel_id, request->report_id, &error);
  ps_store_task_return (task, detail, (GDestroyNotify) ps_parcel_detail_free, error);
}

void
ps_page_load_detail (PsApplication *application, GtkWidget *widget, GCancellable *cancellable,
                     gint64 parcel_id, gint64 report_id, GAsyncReadyCallback callback)
{
  DetailRequest *request = g_new (DetailRequest, 1);
  request->parcel_id = parcel_id;
  request->report_id = report_id;
  ps_page_run (application, widget, cancellable, "parcel detail", detail_job, request, g_free,
               callback);
}

void
ps_page_show_detail (PsApplication *application, GtkLabel *label, PsParcelDetail **slot,
                     PsParcelDetail *detail)
{
  g_clear_pointer (slot, ps_parcel_detail_free);
  *slot = detail;
  g_autofree char *text =
      ps_parcel_detail_describe (detail, ps_application_get_reasons (application), TRUE);
  gtk_label_set_markup (label, text);
}
