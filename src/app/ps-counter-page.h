/* ps-counter-page.h — the counter screen: one acceptance, step by step. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

typedef struct _PsMainWindow PsMainWindow;

#define PS_TYPE_COUNTER_PAGE (ps_counter_page_get_type ())
G_DECLARE_FINAL_TYPE (PsCounterPage, ps_counter_page, PS, COUNTER_PAGE, GtkBox)

PsCounterPage *ps_counter_page_new (PsApplication *application, PsMainWindow *window);

/* Starts a new acceptance for the user logged in. */
void ps_counter_page_start (PsCounterPage *self);
/* Drops the acceptance (logged out). */
void ps_counter_page_stop (PsCounterPage *self);
/* Returns: %TRUE if an acceptance is under way and not yet recorded. */
gboolean ps_counter_page_has_work (PsCounterPage *self);

/* A scan: a tracking number or the QR code of a CCCD. */
void ps_counter_page_handle_scan (PsCounterPage *self, const char *text, const char *symbology);
/* A scale reading (status 0: the scale is gone). */
void ps_counter_page_handle_weight (PsCounterPage *self, int status, gint64 milligrams);
void ps_counter_page_set_scale_present (PsCounterPage *self, gboolean present);

G_END_DECLS
