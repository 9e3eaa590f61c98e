/* ps-export.h — the nightly export of a day's reports for the police liaison. */
#pragma once

#include "ps-signing.h"
#include "parcelscreen/ps-reasons.h"
#include "ps-store.h"

G_BEGIN_DECLS

/**
 * ps_export_day:
 * @day: "YYYY-MM-DD", Vietnam time
 * @out_dir: where the export's folder is made
 * @reasons: the reasons file: the reasons are written in words beside their codes
 * @seal_to: (nullable): the liaison's public key file; each data file is
 *   then sealed to it
 *
 * Returns: (transfer full): the folder written, or %NULL with @error set
 */
char *ps_export_day (PsStore *store, const char *day, const char *out_dir, const PsSigningKey *key,
                     const PsCounterIdentity *counter, const PsReasons *reasons,
                     const char *seal_to, GError **error);

/**
 * ps_export_verify:
 * @problems: (element-type utf8): filled with what does not match, one
 *   sentence each naming the file
 *
 * Returns: %FALSE only if the key cannot be read (@error); an export is
 *   sound when @problems stays empty
 */
gboolean ps_export_verify (const char *folder, const char *public_key_file, GPtrArray *problems,
                           GError **error);

G_END_DECLS
