/* ps-application.h — the counter application. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-config.h"

G_BEGIN_DECLS

#define PS_TYPE_APPLICATION (ps_application_get_type ())
G_DECLARE_FINAL_TYPE (PsApplication, ps_application, PS, APPLICATION, GtkApplication)

/**
 * ps_application_new:
 * @config: (transfer full) (nullable): the configuration, or %NULL if it is broken
 * @config_error: (nullable): why the configuration could not be loaded
 * @database_path: (nullable): a database given on the command line
 *
 * The configuration is loaded by main() before the application exists,
 * because it chooses the language, and GLib decides once, at its first
 * translated string, whether to translate at all.
 */
PsApplication *ps_application_new (PsConfig *config, const char *config_error,
                                   const char *database_path);

/**
 * ps_application_scan_arguments:
 * @argc: argument count
 * @argv: arguments
 * @config_path: (out) (transfer full): the value of --config/-c, or %NULL
 * @database_path: (out) (transfer full): the value of --database/-d, or %NULL
 *
 * Finds the options needed before GTK starts; GApplication parses them again
 * (and reports errors) for --help.
 */
void ps_application_scan_arguments (int argc, char **argv, char **config_path,
                                    char **database_path);
/** Returns: (transfer none): the loaded configuration. */
const PsConfig *ps_application_get_config (PsApplication *self);
/** Returns: the database path in use (the configuration's, or --database). */
const char *ps_application_get_database_path (PsApplication *self);

/** Returns: %TRUE if the application could not start (a broken configuration). */
gboolean ps_application_has_failed (PsApplication *self);

G_END_DECLS
