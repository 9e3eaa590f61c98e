/* ps-acceptance-ids.c — the stable identifiers and translated labels of
 * the acceptance's enumerations (steps, decisions, reasons for a typed
 * weight): what the store, the exports and the screen say. */
#include "ps-core-private.h"

#include <string.h>

static const char *const step_ids[] = {
  [PS_STEP_ITEM] = "item",
  [PS_STEP_SENDER] = "sender",
  [PS_STEP_RECIPIENT] = "recipient",
  [PS_STEP_WEIGHT] = "weight",
  [PS_STEP_DECLARATION] = "declaration",
  [PS_STEP_INSPECTION] = "inspection",
  [PS_STEP_DECISION] = "decision",
  [PS_STEP_DONE] = "done",
};

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

static const struct
{
  const char *id;
  const char *label;
} manual_weight_reasons[] = {
  [PS_MANUAL_WEIGHT_NO_SCALE] = { "no-scale", N_ ("No scale at this counter") },
  [PS_MANUAL_WEIGHT_SCALE_FAULT] = { "scale-fault", N_ ("The scale is faulty") },
  [PS_MANUAL_WEIGHT_OVER_CAPACITY] = { "over-capacity",
                                       N_ ("The parcel is over the scale's capacity") },
  [PS_MANUAL_WEIGHT_OTHER] = { "other", N_ ("Other (explain in the note)") },
};

const char *
ps_step_to_id (PsStep step)
{
  g_return_val_if_fail ((guint) step < G_N_ELEMENTS (step_ids), NULL);
  return step_ids[step];
}

const char *
ps_step_label (PsStep step)
{
  g_return_val_if_fail ((guint) step < G_N_ELEMENTS (step_labels), NULL);
  return _ (step_labels[step]);
}

const char *
ps_decision_to_id (PsDecision decision)
{
  switch (decision)
    {
      case PS_DECISION_NONE:
        return "none";
      case PS_DECISION_ACCEPTED:
        return "accepted";
      case PS_DECISION_REFUSED:
        return "refused";
      case PS_DECISION_HELD:
        return "held";
    }
  g_return_val_if_reached (NULL);
}

const char *
ps_manual_weight_reason_to_id (PsManualWeightReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (manual_weight_reasons), NULL);
  return manual_weight_reasons[reason].id;
}

gboolean
ps_manual_weight_reason_from_id (const char *id, PsManualWeightReason *out)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (manual_weight_reasons); i++)
    if (strcmp (manual_weight_reasons[i].id, id) == 0)
      {
        if (out != NULL)
          *out = (PsManualWeightReason) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ps_manual_weight_reason_label (PsManualWeightReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (manual_weight_reasons), NULL);
  return _ (manual_weight_reasons[reason].label);
}
