/* ps-history-page.h — decided parcels by tracking number or day; corrections. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

typedef struct _PsMainWindow PsMainWindow;

#define PS_TYPE_HISTORY_PAGE (ps_history_page_get_type ())
G_DECLARE_FINAL_TYPE (PsHistoryPage, ps_history_page, PS, HISTORY_PAGE, GtkBox)

PsHistoryPage *ps_history_page_new (PsApplication *application, PsMainWindow *window);
void ps_history_page_refresh (PsHistoryPage *self);

G_END_DECLS
