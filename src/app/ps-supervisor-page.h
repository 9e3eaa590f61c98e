/* ps-supervisor-page.h — held parcels: review, hand-over, release, closure. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

typedef struct _PsMainWindow PsMainWindow;

#define PS_TYPE_SUPERVISOR_PAGE (ps_supervisor_page_get_type ())
G_DECLARE_FINAL_TYPE (PsSupervisorPage, ps_supervisor_page, PS, SUPERVISOR_PAGE, GtkBox)

PsSupervisorPage *ps_supervisor_page_new (PsApplication *application, PsMainWindow *window);
void ps_supervisor_page_refresh (PsSupervisorPage *self);

G_END_DECLS
