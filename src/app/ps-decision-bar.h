/* ps-decision-bar.h — the decision: accept, refuse or hold, then the paper. */
#pragma once

#include "ps-counter-section.h"

G_BEGIN_DECLS

#define PS_TYPE_DECISION_BAR (ps_decision_bar_get_type ())
G_DECLARE_FINAL_TYPE (PsDecisionBar, ps_decision_bar, PS, DECISION_BAR, GtkFrame)

/* Whether the decision is saved in the database. */
gboolean ps_decision_bar_is_saved (PsDecisionBar *self);
/* Whether a decision is being saved, or was taken and could not be saved:
 * then the acceptance must not be thrown away. */
gboolean ps_decision_bar_has_unsaved (PsDecisionBar *self);
/* Shows @message under the buttons (%NULL hides it). */
void ps_decision_bar_show_error (PsDecisionBar *self, const char *message);
/* The button the clerk most likely presses next. */
GtkWidget *ps_decision_bar_get_focus_target (PsDecisionBar *self);

G_END_DECLS
