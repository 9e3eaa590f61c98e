/* ps-declaration-section.h — the declaration of the contents. */
#pragma once

#include "ps-counter-section.h"

G_BEGIN_DECLS

#define PS_TYPE_DECLARATION_SECTION (ps_declaration_section_get_type ())
G_DECLARE_FINAL_TYPE (PsDeclarationSection, ps_declaration_section, PS, DECLARATION_SECTION,
                      GtkFrame)

/* The widget that takes the focus when the declaration is the next step. */
GtkWidget *ps_declaration_section_get_first_field (PsDeclarationSection *self);

G_END_DECLS
