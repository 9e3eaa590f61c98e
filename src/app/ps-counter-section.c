/* ps-counter-section.c — the interface of the counter page's sections. */
#include "config.h"

#include "ps-counter-section.h"

G_DEFINE_INTERFACE (PsCounterSection, ps_counter_section, GTK_TYPE_WIDGET)

static guint completed_signal;

static void
ps_counter_section_default_init (PsCounterSectionInterface *iface)
{
  /**
   * PsCounterSection::completed:
   *
   * The clerk finished the section's step.
   */
  completed_signal = g_signal_new ("completed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

void
ps_counter_section_setup (PsCounterSection *self, PsApplication *application)
{
  g_return_if_fail (PS_IS_COUNTER_SECTION (self));
  PsCounterSectionInterface *iface = PS_COUNTER_SECTION_GET_IFACE (self);
  if (iface->setup != NULL)
    iface->setup (self, application);
}

void
ps_counter_section_set_acceptance (PsCounterSection *self, PsAcceptance *acceptance)
{
  g_return_if_fail (PS_IS_COUNTER_SECTION (self));
  g_return_if_fail (acceptance == NULL || PS_IS_ACCEPTANCE (acceptance));
  PS_COUNTER_SECTION_GET_IFACE (self)->set_acceptance (self, acceptance);
}

void
ps_counter_section_refresh (PsCounterSection *self)
{
  g_return_if_fail (PS_IS_COUNTER_SECTION (self));
  PsCounterSectionInterface *iface = PS_COUNTER_SECTION_GET_IFACE (self);
  if (iface->refresh != NULL)
    iface->refresh (self);
}

void
ps_counter_section_completed (PsCounterSection *self)
{
  g_return_if_fail (PS_IS_COUNTER_SECTION (self));
  g_signal_emit (self, completed_signal, 0);
}

gboolean
ps_counter_section_is_open (PsAcceptance *acceptance)
{
  return acceptance != NULL && ps_acceptance_get_decision (acceptance) == PS_DECISION_NONE;
}
