/* ps-training-panel.h — simulated devices, in training mode only. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_TRAINING_PANEL (ps_training_panel_get_type ())
G_DECLARE_FINAL_TYPE (PsTrainingPanel, ps_training_panel, PS, TRAINING_PANEL, GtkRevealer)

G_END_DECLS
