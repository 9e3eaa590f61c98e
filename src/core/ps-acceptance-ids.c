/* ps-acceptance-ids.c — the stable identifiers and translated labels of
 * the acceptance's enumerations (steps, decisions, reasons for a typed
 * weight): their ids are the nicks of their GEnum types (ps-enums.c), their
 * labels are here. */
#include "ps-core-private.h"

#include <string.h>

static const char *const step_labels[] = {
  [PS_STEP_ITEM] = N_ ("Item"),
  [PS_STEP_SENDER] = N_ ("Sender"),
  [PS_STEP_RECIPIENT] = N_ ("Recipient"),
  [PS_STEP_WEIGHT] = N_ ("Weight"),
  [PS_STEP_DECLARATION] = N_ ("Declaration"),
  [PS_STEP_INSPECTION] = N_ ("Inspection"),
  [PS_STEP_DECISION] = N_ ("Decision"),
  [PS_STEP_DONE] = N_ ("Done"),
};

/* Lower case: they stand in lists and after "Decision:". */
static const char *const decision_labels[] = {
  [PS_DECISION_NONE] = "—",
  [PS_DECISION_ACCEPTED] = N_ ("accepted"),
  [PS_DECISION_REFUSED] = N_ ("refused"),
  [PS_DECISION_HELD] = N_ ("held"),
};

static const char *const manual_weight_reason_labels[] = {
  [PS_MANUAL_WEIGHT_NO_SCALE] = N_ ("No scale at this counter"),
  [PS_MANUAL_WEIGHT_SCALE_FAULT] = N_ ("The scale is faulty"),
  [PS_MANUAL_WEIGHT_OVER_CAPACITY] = N_ ("The parcel is over the scale's capacity"),
  [PS_MANUAL_WEIGHT_OTHER] = N_ ("Other (explain in the note)"),
};

const char *
ps_step_to_id (PsStep step)
{
  return ps_enum_to_id (PS_TYPE_STEP, step);
}

const char *
ps_step_label (PsStep step)
{
  g_return_val_if_fail ((guint) step < G_N_ELEMENTS (step_labels), NULL);
  return _ (step_labels[step]);
}

const char *
ps_decision_label (PsDecision decision)
{
  g_return_val_if_fail ((guint) decision < G_N_ELEMENTS (decision_labels), NULL);
  return decision == PS_DECISION_NONE ? decision_labels[decision] : _ (decision_labels[decision]);
}

const char *
ps_decision_to_id (PsDecision decision)
{
  return ps_enum_to_id (PS_TYPE_DECISION, decision);
}

const char *
ps_manual_weight_reason_to_id (PsManualWeightReason reason)
{
  return ps_enum_to_id (PS_TYPE_MANUAL_WEIGHT_REASON, reason);
}

gboolean
ps_manual_weight_reason_from_id (const char *id, PsManualWeightReason *out)
{
  g_return_val_if_fail (id != NULL, FALSE);
  int value = ps_enum_from_id (PS_TYPE_MANUAL_WEIGHT_REASON, id);
  if (value >= 0 && out != NULL)
    *out = (PsManualWeightReason) value;
  return value >= 0;
}

const char *
ps_manual_weight_reason_label (PsManualWeightReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (manual_weight_reason_labels), NULL);
  return _ (manual_weight_reason_labels[reason]);
}
