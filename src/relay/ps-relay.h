/* ps-relay.h — the forwarder of the outbox: sends each queued report to the
 * police receiver (docs/relay.md), signed with the counter's key
 * (ps-signing.h).
 */
#pragma once

#include <gio/gio.h>

#include "ps-config.h"
#include "ps-signing.h"
#include "ps-store.h"

G_BEGIN_DECLS

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
 * It fails in no other way: it returns once @cancellable is cancelled.
 */
void ps_forwarder_watch (PsForwarder *forwarder, guint poll_ms, GCancellable *cancellable);

/**
 * ps_forwarder_pull_instructions:
 * @wait_s: how long the hub may hold the request when there is nothing new
 *
 * Fetches the police's instructions once (ps-instructions.h), when [relay]
 * police-key is configured; without it: %TRUE, none.
 */
gboolean ps_forwarder_pull_instructions (PsForwarder *forwarder, guint wait_s,
                                         GCancellable *cancellable, guint *stored, GError **error);

/**
 * ps_watchlist_install:
 * @target: [data] watchlist
 * @key: the police's public key
 * @signature: the list's signature (base64)
 * @source: the list's name, for messages
 *
 * Installs a watch list at @target with its signature beside it,
 * only when the signature holds, the list parses and its version is newer
 * than the installed one; the audit trail records it. Nothing changes
 * otherwise.
 */
gboolean ps_watchlist_install (const char *target, PsStore *store, const guint8 key[32],
                               const char *data, gsize len, const char *signature,
                               const char *source, guint *entries, GError **error);

G_END_DECLS
