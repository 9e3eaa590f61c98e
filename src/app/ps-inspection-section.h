/* ps-inspection-section.h — the mandatory inspection. */
#pragma once

#include "ps-counter-section.h"

G_BEGIN_DECLS

#define PS_TYPE_INSPECTION_SECTION (ps_inspection_section_get_type ())
G_DECLARE_FINAL_TYPE (PsInspectionSection, ps_inspection_section, PS, INSPECTION_SECTION, GtkFrame)

/* Focuses the first item not answered yet; %FALSE if every item is. */
gboolean ps_inspection_section_focus_unanswered (PsInspectionSection *self);

G_END_DECLS
