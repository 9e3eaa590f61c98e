/* ps-pages.h — what the pages of the main window share: running a database
 * job on behalf of a widget, and showing an error next to a control. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

/* Runs @job on the store worker; @callback gets @widget (kept alive until
 * then) as its user data. @cancellable is the page's own, cancelled when
 * the page is disposed. */
void ps_page_run (PsApplication *application, GtkWidget *widget, GCancellable *cancellable,
                  const char *name, PsStoreJob job, gpointer data, GDestroyNotify data_free,
                  GAsyncReadyCallback callback);

/* Whether a job's @error says that its page went away: then the callback
 * does nothing. */
gboolean ps_page_cancelled (const GError *error);

/* The pointer a job returned, or NULL: the job was cancelled (its page went
 * away: nothing to do), or it failed, and its message is shown in
 * @error_label. */
gpointer ps_page_job_result (GAsyncResult *result, GtkLabel *error_label);

/* Cancels the jobs run with *@cancellable and puts a new one in its place. */
void ps_page_renew_cancellable (GCancellable **cancellable);

/* Marks a status label "ok", "warning" or "error" (style.css colours them). */
void ps_page_set_status_class (GtkWidget *widget, const char *status);

/* Shows @message (or hides the label when %NULL) in an error label. */
void ps_page_set_error (GtkLabel *label, const char *message);

/* Returns: (transfer full): the text of an entry without leading and trailing blanks. */
char *ps_page_entry_text (GtkEntry *entry);

/* A local time as "2026-11-28 14:05". */
char *ps_page_format_time (gint64 time_us);

/* The text of a GtkTextView. */
char *ps_page_text_view_text (GtkTextView *view);

/* Takes @detail as the page's *@slot (freeing the one before) and shows its
 * description, with its report, in @label. */
void ps_page_show_detail (PsApplication *application, GtkLabel *label, PsParcelDetail **slot,
                          PsParcelDetail *detail);

/* A write a page asks of the store for the signed-in user: who acts, on
 * what (@id), and what else the write needs (@data, freed with @data_free). */
typedef struct
{
  PsActor *actor;
  gint64 id;
  gpointer data;
  GDestroyNotify data_free;
} PsPageWrite;

PsPageWrite *ps_page_write_new (const PsActor *actor, gint64 id, gpointer data,
                                GDestroyNotify data_free);
void ps_page_write_free (PsPageWrite *write);

/* The detail of parcel @parcel_id or, when it is 0, of the parcel of
 * report @report_id. Runs on the store worker. */
PsParcelDetail *ps_page_read_detail (PsStore *store, gint64 parcel_id, gint64 report_id,
                                     GError **error);

/* Reads that detail on the store worker; @callback gets a PsParcelDetail
 * (ps_page_job_result) and @widget. */
void ps_page_load_detail (PsApplication *application, GtkWidget *widget, GCancellable *cancellable,
                          gint64 parcel_id, gint64 report_id, GAsyncReadyCallback callback);

/* A resizable text column showing model column @column. */
void ps_page_add_text_column (GtkTreeView *view, const char *title, int column);

G_END_DECLS
