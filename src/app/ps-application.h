/* ps-application.h — the counter application. */
#pragma once

#include <gtk/gtk.h>

#include "ps-config.h"
#include "ps-data-files.h"
#include "ps-devices.h"
#include "ps-store.h"
#include "ps-printout.h"
#include "ps-store-worker.h"

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
                                   const char *config_path, const char *database_path);

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

/** Returns: %TRUE with --exit-when-ready (the start-up benchmark's). */
gboolean ps_application_exits_when_ready (PsApplication *self);
/** Returns: %TRUE in training mode (--training): a separate, marked database. */
gboolean ps_application_is_training (PsApplication *self);

/** Returns: (transfer none): the thread that runs every database query. */
PsStoreWorker *ps_application_get_worker (PsApplication *self);
/** Returns: (transfer none) (nullable): the USB devices, or %NULL if libusb failed. */
PsDeviceManager *ps_application_get_devices (PsApplication *self);
/**
 * ps_application_start_forwarder:
 * Starts delivering the outbox on a thread of its own; called once the
 * database is open (and migrated), so that two connections never race to
 * create it.
 */
void ps_application_start_forwarder (PsApplication *self);
/** Returns: why reports are not being forwarded (no receiver, no key…), or %NULL. */
const char *ps_application_get_forwarder_error (PsApplication *self);
/** Returns: why there is no device manager, or %NULL. */
const char *ps_application_get_devices_error (PsApplication *self);

PsChecklist *ps_application_get_checklist (PsApplication *self);
PsReasons *ps_application_get_reasons (PsApplication *self);
PsRules *ps_application_get_rules (PsApplication *self);
PsWatchlist *ps_application_get_watchlist (PsApplication *self);
void ps_application_get_lockout_policy (PsApplication *self, PsLockoutPolicy *policy);
/** Fills @context for a printout (strings owned by the configuration). */
void ps_application_get_printout_context (PsApplication *self, PsPrintoutContext *context);

/** Returns: (transfer none) (nullable): the user logged in, or %NULL. */
const PsSession *ps_application_get_session (PsApplication *self);
/** Takes @session (transfer full, nullable: logged out). */
void ps_application_set_session (PsApplication *self, PsSession *session);

/**
 * ps_application_save_identity:
 * Writes the office code and counter id to the user's configuration file and
 * reloads the configuration (first run).
 */
gboolean ps_application_save_identity (PsApplication *self, const char *office_code,
                                       const char *counter_id, GError **error);

/**
 * ps_application_save_pdf:
 * Saves @printout as PDF in the configured folder (printing.pdf-folder) under
 * @name; does nothing without a folder. Returns: the path written, or %NULL
 * (with @error set on failure).
 */
char *ps_application_save_pdf (PsApplication *self, PsPrintout *printout, const char *name,
                               GError **error);

G_END_DECLS
