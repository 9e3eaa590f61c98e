/* ps-main-window.h — the counter's main window. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-weight.h"
#include "ps-application.h"

G_BEGIN_DECLS

#define PS_TYPE_MAIN_WINDOW (ps_main_window_get_type ())
G_DECLARE_FINAL_TYPE (PsMainWindow, ps_main_window, PS, MAIN_WINDOW, GtkApplicationWindow)

PsMainWindow *ps_main_window_new (PsApplication *application);

/** A scan, from a scanner or the training panel: goes to the counter page. */
void ps_main_window_scan (PsMainWindow *self, const char *text, const char *symbology);
/** A scale reading, from the scale or the training panel. */
void ps_main_window_weight (PsMainWindow *self, PsScaleStatus status, gint64 milligrams);

/** Shows @message in the bar under the header until closed. */
void ps_main_window_show_message (PsMainWindow *self, GtkMessageType type, const char *message);
void ps_main_window_refresh_outbox (PsMainWindow *self);
/** Reloads what the visible page shows from the database. */
void ps_main_window_refresh_pages (PsMainWindow *self);
void ps_main_window_update_identity (PsMainWindow *self);
void ps_main_window_lock (PsMainWindow *self);
void ps_main_window_log_out (PsMainWindow *self);

G_END_DECLS
