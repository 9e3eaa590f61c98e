/* ps-weight-section.h — the weight: from the scale once stable, or typed. */
#pragma once

#include "parcelscreen/ps-weight.h"
#include "ps-counter-section.h"

G_BEGIN_DECLS

#define PS_TYPE_WEIGHT_SECTION (ps_weight_section_get_type ())
G_DECLARE_FINAL_TYPE (PsWeightSection, ps_weight_section, PS, WEIGHT_SECTION, GtkFrame)

/* A reading of the scale. */
void ps_weight_section_handle_weight (PsWeightSection *self, PsScaleStatus status,
                                      gint64 milligrams);
/* Whether a scale is connected; without one the clerk types the weight. */
void ps_weight_section_set_scale_present (PsWeightSection *self, gboolean present);
/* Gives the acceptance the weight captured before its tracking number was
 * known (the parcel was put on the scale first). */
void ps_weight_section_apply_captured (PsWeightSection *self);
/* A decision was saved: a weight captured before now belongs to that parcel. */
void ps_weight_section_mark_decided (PsWeightSection *self);

G_END_DECLS
