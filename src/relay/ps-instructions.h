/* ps-instructions.h — the police's instructions fetched by the counter
 * (ps-instructions.c; docs/relay.md, "Instructions"). */
#pragma once

#include <gio/gio.h>

#include "ps-config.h"
#include "ps-store.h"

G_BEGIN_DECLS

typedef struct _PsInstructionPuller PsInstructionPuller;

/** Refuses (PS_ERROR_CONFIG) without [relay] police-key and url. */
PsInstructionPuller *ps_instruction_puller_new (const PsConfig *config, const char *database,
                                                GError **error);
void ps_instruction_puller_free (PsInstructionPuller *puller);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsInstructionPuller, ps_instruction_puller_free)

/**
 * ps_instruction_puller_run_once:
 * @wait_s: how long the hub may hold the request when there is nothing new
 * @stored: (out) (optional): how many were stored
 *
 * Fetches, checks, stores and acknowledges the instructions after the last
 * one stored. A refused one stops the pass with %PS_ERROR_NOT_ALLOWED (it is
 * recorded for the supervisors); stopped by @cancellable at once.
 */
gboolean ps_instruction_puller_run_once (PsInstructionPuller *puller, guint wait_s,
                                         GCancellable *cancellable, guint *stored, GError **error);
/** Fetches until @cancellable is cancelled, backing off while the hub is out
 * of reach. */
gboolean ps_instruction_puller_watch (PsInstructionPuller *puller, GCancellable *cancellable);

G_END_DECLS
