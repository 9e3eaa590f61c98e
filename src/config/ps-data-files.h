/* ps-data-files.h — loading the checklist, reasons, rules and watch list
 * files named by the configuration. */
#pragma once

#include <glib.h>
#include "parcelscreen/ps-checklist.h"
#include "ps-config.h"
#include "parcelscreen/ps-reasons.h"
#include "parcelscreen/ps-rules.h"

G_BEGIN_DECLS

/** The largest data file accepted. */
#define PS_DATA_FILE_MAX_BYTES (16 * 1024 * 1024)

/**
 * ps_file_read:
 * @max: the most bytes the file may have
 *
 * Reads a regular file of at most @max bytes, checking before it reads: a
 * device (/dev/zero), a FIFO or a folder is refused at once, a larger file
 * too. Errors are in G_FILE_ERROR (G_FILE_ERROR_NOENT for a missing file).
 *
 * Returns: (transfer full): the contents, NUL-terminated, or %NULL
 */
char *ps_file_read (const char *path, gsize max, gsize *len, GError **error);

PsChecklist *ps_load_checklist (const PsConfig *config, GError **error);
PsReasons *ps_load_reasons (const PsConfig *config, GError **error);
PsRules *ps_load_rules (const PsConfig *config, GError **error);
/** Returns: the configured watch list, or an empty one when none is configured. */
PsWatchlist *ps_load_watchlist (const PsConfig *config, GError **error);

G_END_DECLS
