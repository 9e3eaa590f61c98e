/* ps-pages.h — what the pages of the main window share: running a database
 * job on behalf of a widget, and showing an error next to a control. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

/* Runs @job on the store worker; @callback gets @widget (kept alive until
 * then) as its user data. */
void ps_page_run (PsApplication *application, GtkWidget *widget, const char *name, PsStoreJob job,
                  gpointer data, GDestroyNotify data_free, GDestroyNotify result_free,
                  GAsyncReadyCallback callback);

/* Shows @message (or hides the label when %NULL) in an error label. */
void ps_page_set_error (GtkLabel *label, const char *message);

/* Returns: (transfer full): the text of an entry without leading and trailing blanks. */
char *ps_page_entry_text (GtkEntry *entry);

/* A local time as "2026-11-28 14:05". */
char *ps_page_format_time (gint64 time_us);

/* The text of a GtkTextView. */
char *ps_page_text_view_text (GtkTextView *view);

/* A resizable text column showing model column @column. */
void ps_page_add_text_column (GtkTreeView *view, const char *title, int column);

G_END_DECLS
