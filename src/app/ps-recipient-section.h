/* ps-recipient-section.h — the recipient. */
#pragma once

#include "ps-counter-section.h"

G_BEGIN_DECLS

#define PS_TYPE_RECIPIENT_SECTION (ps_recipient_section_get_type ())
G_DECLARE_FINAL_TYPE (PsRecipientSection, ps_recipient_section, PS, RECIPIENT_SECTION, GtkFrame)

G_END_DECLS
