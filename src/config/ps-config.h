/* ps-config.h — the counter's configuration.
 *
 * GKeyFile files read in order, later ones overriding earlier ones: the
 * system file (/etc/parcelscreen/parcelscreen.conf), the user's file
 * ($XDG_CONFIG_HOME/parcelscreen/parcelscreen.conf), then a file named on the
 * command line. A missing file means built-in defaults; a broken one is
 * refused with its name, the line and the reason. Unknown groups and keys are
 * refused too: a misspelt key must not be silently ignored.
 */
#pragma once

#include <glib.h>
#include "parcelscreen/ps-tracking.h"

G_BEGIN_DECLS

typedef struct _PsConfig PsConfig;

/**
 * ps_config_load:
 * @explicit_path: (nullable): a file named on the command line; it must exist
 * @error: return location for a %PS_ERROR_CONFIG error
 *
 * Loads the system file, the user's file and @explicit_path. The system
 * file's location can be changed with the PARCELSCREEN_SYSTEM_CONFIG
 * environment variable (for tests and packaging).
 *
 * Returns: (transfer full): the configuration, or %NULL with @error set
 */
PsConfig *ps_config_load (const char *explicit_path, GError **error);

/**
 * ps_config_load_files:
 * @paths: (array zero-terminated=1): files in order; missing ones are skipped
 * @error: return location for a %PS_ERROR_CONFIG error
 *
 * Returns: (transfer full): the configuration, or %NULL with @error set
 */
PsConfig *ps_config_load_files (const char *const *paths, GError **error);

/* A configuration is never changed once loaded; a thread or an object that
 * keeps one holds a reference. */
PsConfig *ps_config_ref (PsConfig *config);
void ps_config_unref (PsConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsConfig, ps_config_unref)

/** Returns: the value of a string or path key (a path is absolute), never %NULL. */
const char *ps_config_get_string (const PsConfig *config, const char *group, const char *key);
/** Returns: the value of an integer key. */
gint64 ps_config_get_int (const PsConfig *config, const char *group, const char *key);
/** Returns: (transfer full): where a key's value comes from: "FILE:LINE" or "default". */
char *ps_config_get_origin (const PsConfig *config, const char *group, const char *key);
/** Returns: (transfer none): the files that were read, in order. */
const char *const *ps_config_get_files (const PsConfig *config);
/** Returns: (transfer none): the operator tracking formats. */
const PsTrackingFormats *ps_config_get_tracking_formats (const PsConfig *config);

/** Returns: (transfer full): every setting with its origin, one a line, for `config show`. */
char *ps_config_describe (const PsConfig *config);

/**
 * ps_data_path:
 * @name: a file name in the data directory ("checklist.txt")
 *
 * Returns: (transfer full): its path in the installed data directory, or in
 *   $PARCELSCREEN_DATADIR when that is set (running from the source tree)
 */
char *ps_data_path (const char *name);

G_END_DECLS

G_BEGIN_DECLS

/**
 * ps_i18n_init:
 * @language: (nullable): "vi", "en", or %NULL/"" for the system's language
 *
 * Sets the locale from the environment and binds the message catalogue
 * (from $PARCELSCREEN_LOCALEDIR when set, for running from the build tree).
 * With @language, that language is used whatever the system's.
 */
void ps_i18n_init (const char *language);

G_END_DECLS
