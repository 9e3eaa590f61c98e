/* ps-acceptance-private.h — what the acceptance's files share: its state,
 * and the few steps every change goes through. ps-acceptance.c holds the
 * steps before the decision, ps-acceptance-decide.c the decision, and
 * ps-acceptance-ids.c the identifiers and labels of its enumerations. */
#pragma once

#include "ps-core-private.h"

G_BEGIN_DECLS

struct _PsAcceptance
{
  GObject parent_instance;

  PsChecklist *checklist;
  PsRules *rules;
  PsReasons *reasons;
  PsWatchlist *watchlist;

  PsAcceptanceRecord record;
  GStrv history_recipients;
  GPtrArray *hits;   /* PsRiskHit */
  GPtrArray *events; /* PsAcceptanceEvent */
};

/* Adds an event to the acceptance's timeline. */
G_GNUC_PRINTF (4, 5)
void ps_acceptance_add_event (PsAcceptance *self, gint64 now_us, const char *kind,
                              const char *format, ...);
/* Fails with the reason unless the acceptance has its tracking number and
 * is not decided. */
gboolean ps_acceptance_ensure_tracking (PsAcceptance *self, GError **error);
/* Emits "changed" (the risk is already up to date). */
void ps_acceptance_emit_changed (PsAcceptance *self);

G_END_DECLS
