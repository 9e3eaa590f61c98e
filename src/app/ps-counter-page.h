/* ps-counter-page.h — the counter screen: one acceptance, step by step. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-weight.h"
#include "ps-application.h"
#include "ps-training-panel.h"

G_BEGIN_DECLS

#define PS_TYPE_COUNTER_PAGE (ps_counter_page_get_type ())
G_DECLARE_FINAL_TYPE (PsCounterPage, ps_counter_page, PS, COUNTER_PAGE, GtkBox)

/**
 * ps_counter_page_new:
 *
 * The page emits "recorded" once a decision is saved.
 */
PsCounterPage *ps_counter_page_new (PsApplication *application);

/* Starts a new acceptance for the user logged in. */
void ps_counter_page_start (PsCounterPage *self);
/* Drops the acceptance (logged out). */
void ps_counter_page_stop (PsCounterPage *self);
/* Returns: %TRUE if an acceptance is under way and not yet recorded. */
gboolean ps_counter_page_has_work (PsCounterPage *self);

/* A scan: a tracking number or the QR code of a CCCD. */
void ps_counter_page_handle_scan (PsCounterPage *self, const char *text, const char *symbology);
/* A reading of the scale. */
void ps_counter_page_handle_weight (PsCounterPage *self, PsScaleStatus status, gint64 milligrams);
/* Whether a scale is connected; without one the clerk types the weight. */
void ps_counter_page_set_scale_present (PsCounterPage *self, gboolean present);
/* The training panel (shown in training mode only). */
PsTrainingPanel *ps_counter_page_get_training_panel (PsCounterPage *self);

G_END_DECLS
