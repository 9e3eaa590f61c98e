/* ps-acceptance-decide.c — the decision on one parcel: accepting (every
 * step done, every inspection answer passing, and a supervisor's approval
 * from the risk threshold on), refusing or holding, each with its reasons. */
#include "ps-acceptance-private.h"

#include <string.h>

static const PsChecklistItem *
failed_item (PsAcceptance *self, gboolean any, PsFailAction action)
{
  for (guint i = 0; i < ps_checklist_get_n_items (self->checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (self->checklist, i);
      PsAnswer given = self->record.answers[i];
      if (given != PS_ANSWER_NONE && given != item->passes && (any || item->on_fail == action))
        return item;
    }
  return NULL;
}

gboolean
ps_acceptance_needs_override (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);
  return self->record.risk_score >= self->record.risk_threshold;
}

gboolean
ps_acceptance_can_accept (PsAcceptance *self, const PsActor *override_by, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  const char *language = ps_current_language ();
  const PsAcceptanceRecord *record = &self->record;

  if (!ps_acceptance_ensure_tracking (self, error))
    return FALSE;

  switch (ps_acceptance_get_step (self))
    {
      case PS_STEP_ITEM: /* handled by ps_acceptance_ensure_tracking () */
      case PS_STEP_DECISION:
      case PS_STEP_DONE:
        break;
      case PS_STEP_SENDER:
        g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                     _ ("Identify the sender before accepting."));
        return FALSE;
      case PS_STEP_RECIPIENT:
        g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                     _ ("Enter the recipient before accepting."));
        return FALSE;
      case PS_STEP_WEIGHT:
        g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                     _ ("Weigh the parcel before accepting."));
        return FALSE;
      case PS_STEP_DECLARATION:
        g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                     _ ("Record the declaration before accepting."));
        return FALSE;
      case PS_STEP_INSPECTION:
        for (guint i = 0; i < ps_checklist_get_n_items (self->checklist); i++)
          if (record->answers[i] == PS_ANSWER_NONE)
            {
              const PsChecklistItem *item = ps_checklist_get_item (self->checklist, i);
              g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                           _ ("Answer every inspection item before accepting; not answered yet: "
                              "“%s”"),
                           ps_pick_language (language, item->text_vi, item->text_en));
              return FALSE;
            }
        g_assert_not_reached ();
    }

  const PsChecklistItem *failed = failed_item (self, TRUE, PS_FAIL_REFUSE);
  if (failed != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   failed->on_fail == PS_FAIL_HOLD
                       ? _ ("The parcel cannot be accepted: the inspection item “%s” did not pass. "
                            "Hold the parcel.")
                       : _ ("The parcel cannot be accepted: the inspection item “%s” did not pass. "
                            "Refuse the parcel."),
                   ps_pick_language (language, failed->text_vi, failed->text_en));
      return FALSE;
    }

  if (ps_acceptance_needs_override (self))
    {
      if (override_by == NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_NEEDS_APPROVAL,
                       _ ("The risk score is %u, at or above the threshold of %u: a supervisor "
                          "must approve this acceptance with their PIN, or hold the parcel."),
                       record->risk_score, record->risk_threshold);
          return FALSE;
        }
      if (override_by->role != PS_ROLE_SUPERVISOR)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                       _ ("Only a supervisor can approve a high-risk acceptance."));
          return FALSE;
        }
      if (override_by->user_id == record->clerk->user_id)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                       _ ("A supervisor cannot approve their own acceptance; ask another "
                          "supervisor."));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
ps_acceptance_accept (PsAcceptance *self, const PsActor *override_by, gint64 now_us, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_can_accept (self, override_by, error))
    return FALSE;

  PsAcceptanceRecord *record = &self->record;
  gboolean overridden = ps_acceptance_needs_override (self);
  record->decision = PS_DECISION_ACCEPTED;
  record->decided_us = now_us;
  if (overridden)
    record->override_by = ps_actor_copy (override_by);

  if (overridden)
    ps_acceptance_add_event (self, now_us, "accepted",
                             "risk %u/%u, approved by supervisor %" G_GINT64_FORMAT,
                             record->risk_score, record->risk_threshold, override_by->user_id);
  else
    ps_acceptance_add_event (self, now_us, "accepted", "risk %u/%u", record->risk_score,
                             record->risk_threshold);
  ps_acceptance_emit_changed (self);
  return TRUE;
}

gboolean
ps_acceptance_can_refuse (PsAcceptance *self, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);
  return ps_acceptance_ensure_tracking (self, error);
}

/* Holding needs what refusing needs: a tracking number, and no decision. */
gboolean
ps_acceptance_can_hold (PsAcceptance *self, GError **error)
{
  return ps_acceptance_can_refuse (self, error);
}

gboolean
ps_acceptance_refuse (PsAcceptance *self, const char *reason_id, const char *note, gint64 now_us,
                      GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_can_refuse (self, error))
    return FALSE;

  const PsReason *reason =
      reason_id != NULL ? ps_reasons_find (self->reasons, PS_REASON_REFUSE, reason_id) : NULL;
  if (reason == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("Choose a reason for the refusal."));
      return FALSE;
    }

  const PsChecklistItem *hold_item = failed_item (self, FALSE, PS_FAIL_HOLD);
  if (hold_item != NULL && !reason->after_hold_item)
    {
      g_set_error (
          error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
          _ ("The inspection item “%s” did not pass, so the parcel must be held, not "
             "returned to the sender; refuse it only for prohibited goods that are not "
             "to be held."),
          ps_pick_language (ps_current_language (), hold_item->text_vi, hold_item->text_en));
      return FALSE;
    }

  g_autofree char *checked_note = NULL;
  if (!ps_text_check (note, _ ("The note"), reason->needs_note, PS_NOTE_MAX_CHARS, &checked_note,
                      error))
    return FALSE;

  PsAcceptanceRecord *record = &self->record;
  record->decision = PS_DECISION_REFUSED;
  record->decided_us = now_us;
  record->refuse_reason = g_strdup (reason->id);
  record->decision_note = g_steal_pointer (&checked_note);

  ps_acceptance_add_event (self, now_us, "refused", "%s", reason->id);
  ps_acceptance_emit_changed (self);
  return TRUE;
}

gboolean
ps_acceptance_hold (PsAcceptance *self, const char *const *reason_ids, const char *note,
                    gint64 now_us, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_can_hold (self, error))
    return FALSE;

  if (reason_ids == NULL || reason_ids[0] == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("Choose at least one reason for holding the parcel."));
      return FALSE;
    }

  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean needs_note = FALSE;
  for (const char *const *id = reason_ids; *id != NULL; id++)
    {
      const PsReason *reason = ps_reasons_find (self->reasons, PS_REASON_HOLD, *id);
      if (reason == NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("‘%s’ is not a reason for holding a parcel."), *id);
          return FALSE;
        }
      if (!g_ptr_array_find_with_equal_func (ids, reason->id, g_str_equal, NULL))
        g_ptr_array_add (ids, g_strdup (reason->id));
      needs_note |= reason->needs_note;
    }

  g_autofree char *checked_note = NULL;
  if (!ps_text_check (note, _ ("The note"), needs_note, PS_NOTE_MAX_CHARS, &checked_note, error))
    return FALSE;

  g_ptr_array_add (ids, NULL);
  PsAcceptanceRecord *record = &self->record;
  record->decision = PS_DECISION_HELD;
  record->decided_us = now_us;
  record->hold_reasons = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  record->decision_note = g_steal_pointer (&checked_note);

  g_autofree char *joined = g_strjoinv (",", record->hold_reasons);
  ps_acceptance_add_event (self, now_us, "held", "%s", joined);
  ps_acceptance_emit_changed (self);
  return TRUE;
}
