/* ps-setup-page.h — the first run: the counter's identity and the first administrator. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

#define PS_TYPE_SETUP_PAGE (ps_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (PsSetupPage, ps_setup_page, PS, SETUP_PAGE, GtkBox)

/* Signal "done" (): the administrator exists and the identity is saved. */
PsSetupPage *ps_setup_page_new (PsApplication *application);

G_END_DECLS
