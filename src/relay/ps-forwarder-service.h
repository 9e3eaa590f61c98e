/* ps-forwarder-service.h — the forwarder of a running program:
 * `parcelscreenctl forward --watch` as a child process, started and stopped
 * like the device manager. */
#pragma once

#include <gio/gio.h>

#include "ps-config.h"

G_BEGIN_DECLS

#define PS_TYPE_FORWARDER_SERVICE (ps_forwarder_service_get_type ())
G_DECLARE_FINAL_TYPE (PsForwarderService, ps_forwarder_service, PS, FORWARDER_SERVICE, GObject)

/**
 * ps_forwarder_service_new:
 * @config: the configuration; the service keeps a reference (a new one the
 *   program loads later does not change a running forwarder)
 * @config_path: (nullable): the --config file the program was given
 * @database: the database file; the forwarder opens its own connection
 *
 * The "error" property (a string, or %NULL) says why the service does not
 * forward: no receiver configured, a forwarder that could not start, or one
 * that stopped (it is started again after 5 s, then 10, 20… up to 5 min).
 * It is notified in the main context of the thread that made the service.
 */
PsForwarderService *ps_forwarder_service_new (PsConfig *config, const char *config_path,
                                              const char *database);
/* Starts the child, unless [relay] url is empty (then "error" says so). */
void ps_forwarder_service_start (PsForwarderService *self);
/* Sends the child SIGTERM and waits for it to end (it is killed after 15 s);
 * a request under way is abandoned and its row kept for the next start. */
void ps_forwarder_service_stop (PsForwarderService *self);
const char *ps_forwarder_service_get_error (PsForwarderService *self);

G_END_DECLS
