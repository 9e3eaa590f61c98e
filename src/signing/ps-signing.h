/* ps-signing.h — Ed25519 keys and signatures (libsodium): the counter's
 * signing key, the checks of the police's signed files. Used by the counter
 * (relay, export, ctl) and by the hub, so it needs neither the counter's
 * store nor the network.
 *
 * The signing key is an Ed25519 key pair in a file of mode 0600; its public
 * part is given to the police, who check with it that a report or an export
 * comes from this counter and was not changed on the way.
 */
#pragma once

#include <glib.h>

#include "ps-config.h"

G_BEGIN_DECLS

/* ---- Keys -------------------------------------------------------------------- */

typedef struct _PsSigningKey PsSigningKey;

/** Writes a new key pair to @path (mode 0600); refuses to overwrite one. */
gboolean ps_signing_key_generate (const char *path, GError **error);
/** Reads the key pair at @path; refuses a file readable by others. */
PsSigningKey *ps_signing_key_load (const char *path, GError **error);
void ps_signing_key_free (PsSigningKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSigningKey, ps_signing_key_free)
/** Returns: the public key, base64 (what the police receive). */
const char *ps_signing_key_public (const PsSigningKey *key);
/** Returns: (transfer full): the detached Ed25519 signature of @data, base64. */
char *ps_signing_key_sign (const PsSigningKey *key, const void *data, gsize len);

/** Reads a public key file (the base64 line written by "keys show --public"). */
gboolean ps_public_key_load (const char *path, guint8 key[32], GError **error);
/** Returns: %TRUE if @signature (base64) is @key's signature of @data. */
gboolean ps_signature_verify (const guint8 key[32], const void *data, gsize len,
                              const char *signature);

/**
 * ps_watchlist_check_signature:
 * Checks the installed watch list ([data] watchlist) against the signature
 * installed beside it (FILE.sig) with the police's key ([data]
 * watchlist-key), each time it is used: a list changed after its import is
 * refused. No watch list configured: %TRUE.
 */
gboolean ps_watchlist_check_signature (const PsConfig *config, GError **error);
/** The version a signed watch list states ("# version: N"), 0 if none. */
guint64 ps_watchlist_version (const char *data, gsize len);

G_END_DECLS
