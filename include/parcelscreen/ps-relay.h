/* ps-relay.h — what leaves the counter for the police: the counter's
 * signing key, the forwarder of the outbox, the nightly export.
 *
 * The signing key is an Ed25519 key pair (libsodium) in a file of mode 0600;
 * its public part is given to the police, who check with it that a report or
 * an export comes from this counter and was not changed on the way.
 */
#pragma once

#include <gio/gio.h>

#include "ps-config.h"
#include "ps-store.h"

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

/* ---- The forwarder ------------------------------------------------------------ */

typedef struct _PsForwarder PsForwarder;

/** The outcome of one pass over the outbox. */
typedef struct
{
  guint sent;
  guint retried; /* failed this time, tried again later */
  guint refused; /* refused for good by the receiver (4xx) */
  char *last_problem;
  /* The earliest time a row could really be sent (see
   * ps_store_outbox_next_due()), or 0 when none can until something changes. */
  gint64 next_due_us;
} PsForwardResult;

void ps_forward_result_clear (PsForwardResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsForwardResult, ps_forward_result_clear)

/**
 * ps_forwarder_new:
 * @config: the [relay] settings and the counter's identity
 * @database: the counter's database; the forwarder opens its own connection
 *
 * Refuses a training database, a missing receiver address and a missing
 * signing key, each with a message for the technician.
 */
PsForwarder *ps_forwarder_new (const PsConfig *config, const char *database, GError **error);
void ps_forwarder_free (PsForwarder *forwarder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsForwarder, ps_forwarder_free)

/**
 * ps_forwarder_run_once:
 * @cancellable: stops the pass at once, the request under way included; the
 *   rows not finished stay pending as they were
 *
 * Tries each row that is due when the pass begins once; a row that fails is
 * scheduled again with exponential back-off and full jitter (or the
 * receiver's Retry-After), for a later pass.
 * Returns: %FALSE only on a database failure.
 */
gboolean ps_forwarder_run_once (PsForwarder *forwarder, GCancellable *cancellable,
                                PsForwardResult *result, GError **error);

/**
 * ps_forwarder_watch:
 * Runs passes until @cancellable is cancelled, sleeping until a row can
 * really be sent, or until another connection changes the database (looked
 * at every @poll_ms: a cheap PRAGMA, no query of the outbox). A database that
 * is busy or failing is logged once and tried again: the rows stay queued.
 * Returns: %TRUE once cancelled
 */
gboolean ps_forwarder_watch (PsForwarder *forwarder, guint poll_ms, GCancellable *cancellable,
                             GError **error);

G_END_DECLS
