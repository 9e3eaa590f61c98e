/* ps-counter-section.h — one section of the counter page.
 *
 * The counter page is a column of sections (sender, recipient, weight,
 * declaration, inspection, decision), each a template widget of its own
 * that reads and writes one part of the PsAcceptance. The page gives every
 * section the acceptance, tells it when the acceptance changed, and moves
 * the focus on when a section says its step is done. Shaped like
 * gnome-calendar's event editor sections.
 */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

#define PS_TYPE_COUNTER_SECTION (ps_counter_section_get_type ())
G_DECLARE_INTERFACE (PsCounterSection, ps_counter_section, PS, COUNTER_SECTION, GtkWidget)

struct _PsCounterSectionInterface
{
  GTypeInterface parent_iface;

  /* Once, before the first acceptance; @application outlives the section. */
  void (*setup) (PsCounterSection *self, PsApplication *application);
  /* A new acceptance, or %NULL for none: the section's fields are cleared. */
  void (*set_acceptance) (PsCounterSection *self, PsAcceptance *acceptance);
  /* The acceptance changed: show its state. */
  void (*refresh) (PsCounterSection *self);
};

void ps_counter_section_setup (PsCounterSection *self, PsApplication *application);
void ps_counter_section_set_acceptance (PsCounterSection *self, PsAcceptance *acceptance);
void ps_counter_section_refresh (PsCounterSection *self);

/* Emits "completed": the section's step was done by the clerk, and the page
 * moves the focus to the next step. */
void ps_counter_section_completed (PsCounterSection *self);

/* Whether an acceptance is open for changes: present and not decided. */
gboolean ps_counter_section_is_open (PsAcceptance *acceptance);

G_END_DECLS
