/* ps-sender-section.h — the sender: scanned from the CCCD, or typed. */
#pragma once

#include "ps-counter-section.h"

G_BEGIN_DECLS

#define PS_TYPE_SENDER_SECTION (ps_sender_section_get_type ())
G_DECLARE_FINAL_TYPE (PsSenderSection, ps_sender_section, PS, SENDER_SECTION, GtkFrame)

/* The text of a scanned CCCD QR code: fills the fields from the card. */
void ps_sender_section_take_cccd_scan (PsSenderSection *self, const char *text);

G_END_DECLS
