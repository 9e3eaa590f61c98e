/* ps-application.h — the counter application. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-config.h"

G_BEGIN_DECLS

#define PS_TYPE_APPLICATION (ps_application_get_type ())
G_DECLARE_FINAL_TYPE (PsApplication, ps_application, PS, APPLICATION, GtkApplication)

PsApplication *ps_application_new (void);
/** Returns: (transfer none): the loaded configuration. */
const PsConfig *ps_application_get_config (PsApplication *self);
/** Returns: the database path in use (the configuration's, or --database). */
const char *ps_application_get_database_path (PsApplication *self);

/** Returns: %TRUE if the application could not start (a broken configuration). */
gboolean ps_application_has_failed (PsApplication *self);

G_END_DECLS
