/* ps-main-window.h — the main window of the counter. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

#define PS_TYPE_MAIN_WINDOW (ps_main_window_get_type ())
G_DECLARE_FINAL_TYPE (PsMainWindow, ps_main_window, PS, MAIN_WINDOW, GtkApplicationWindow)

PsMainWindow *ps_main_window_new (PsApplication *application);

G_END_DECLS
