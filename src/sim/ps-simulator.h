/* ps-simulator.h — acceptances with varied, valid data, run through the real
 * core state machine and the real store: demo and training databases, and
 * the load, crash and benchmark tests. */
#pragma once

#include <glib.h>
#include "ps-store.h"

G_BEGIN_DECLS

typedef struct _PsSimulator PsSimulator;

/**
 * ps_simulator_new:
 * @store: the database; it must be new, or one the simulator made before
 *   (it creates the users sim-admin, sim-clerk and sim-supervisor)
 * @checklist, @rules, @reasons: the data files the acceptances use
 * @seed: the same seed gives the same parcels
 * @hold_rate: the share of parcels held (0 to 1)
 *
 * Returns: (transfer full): the simulator, or %NULL with @error set
 */
PsSimulator *ps_simulator_new (PsStore *store, PsChecklist *checklist, PsRules *rules,
                               PsReasons *reasons, guint32 seed, double hold_rate, GError **error);
void ps_simulator_free (PsSimulator *simulator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSimulator, ps_simulator_free)

/**
 * ps_simulator_run_one:
 * @now_us: when the acceptance starts; it lasts a few simulated seconds
 * @tracking: (out) (transfer full) (optional): the tracking number committed
 *
 * Runs one acceptance from scan to decision and records it.
 * Returns: the decision, or %PS_DECISION_NONE with @error set
 */
PsDecision ps_simulator_run_one (PsSimulator *simulator, gint64 now_us, char **tracking,
                                 GError **error);

G_END_DECLS
