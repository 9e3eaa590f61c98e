/* ps-outbox-indicator.h — the header's police status: reports waiting,
 * refused, and the police's instructions to carry out. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

#define PS_TYPE_OUTBOX_INDICATOR (ps_outbox_indicator_get_type ())
G_DECLARE_FINAL_TYPE (PsOutboxIndicator, ps_outbox_indicator, PS, OUTBOX_INDICATOR, GtkLabel)

/* Starts showing @application's outbox, asked again every few seconds. */
void ps_outbox_indicator_start (PsOutboxIndicator *self, PsApplication *application);
/* Asks now (a decision was saved, a message sent again). */
void ps_outbox_indicator_refresh (PsOutboxIndicator *self);

G_END_DECLS
