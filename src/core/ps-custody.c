/* ps-custody.c — the report's state machine and the instructions' rules
 * (ps-custody.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "parcelscreen/ps-custody.h"
#include "parcelscreen/ps-enums.h"
#include "parcelscreen/ps-error.h"

static const char *const status_labels[] = {
  [PS_REPORT_OPEN] = N_ ("Open"),
  [PS_REPORT_ASSESSED] = N_ ("Assessed"),
  [PS_REPORT_HANDED_OVER] = N_ ("Handed over to the police"),
  [PS_REPORT_RELEASED] = N_ ("Released"),
  [PS_REPORT_CLOSED] = N_ ("Closed"),
};

static const char *const instruction_labels[] = {
  [PS_INSTRUCTION_RECEIVED] = N_ ("Received by the police"),
  [PS_INSTRUCTION_REQUEST_INFO] = N_ ("Request for information"),
  [PS_INSTRUCTION_KEEP_HOLDING] = N_ ("Keep holding"),
  [PS_INSTRUCTION_RELEASE] = N_ ("Release"),
  [PS_INSTRUCTION_SEIZE] = N_ ("Seizure"),
  [PS_INSTRUCTION_CLOSE_CASE] = N_ ("Close the case"),
  [PS_INSTRUCTION_WATCHLIST] = N_ ("New watch list"),
  [PS_INSTRUCTION_CANCEL] = N_ ("Cancellation"),
};

const char *
ps_report_status_to_id (PsReportStatus status)
{
  return ps_enum_to_id (PS_TYPE_REPORT_STATUS, status);
}

int
ps_report_status_from_id (const char *id)
{
  return ps_enum_from_id (PS_TYPE_REPORT_STATUS, id);
}

const char *
ps_report_status_label (PsReportStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_labels), NULL);
  return _ (status_labels[status]);
}

const char *
ps_custody_kind_to_id (PsCustodyKind kind)
{
  return ps_enum_to_id (PS_TYPE_CUSTODY_KIND, kind);
}

int
ps_custody_kind_from_id (const char *id)
{
  return ps_enum_from_id (PS_TYPE_CUSTODY_KIND, id);
}

const char *
ps_instruction_kind_to_id (PsInstructionKind kind)
{
  return ps_enum_to_id (PS_TYPE_INSTRUCTION_KIND, kind);
}

int
ps_instruction_kind_from_id (const char *id)
{
  return ps_enum_from_id (PS_TYPE_INSTRUCTION_KIND, id);
}

const char *
ps_instruction_kind_label (PsInstructionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (instruction_labels), NULL);
  return _ (instruction_labels[kind]);
}

const char *
ps_instruction_state_to_id (PsInstructionState state)
{
  return ps_enum_to_id (PS_TYPE_INSTRUCTION_STATE, state);
}

int
ps_instruction_state_from_id (const char *id)
{
  return ps_enum_from_id (PS_TYPE_INSTRUCTION_STATE, id);
}

PsInstructionState
ps_instruction_initial_state (PsInstructionKind kind)
{
  switch (kind)
    {
      case PS_INSTRUCTION_RECEIVED:
      case PS_INSTRUCTION_WATCHLIST:
      case PS_INSTRUCTION_CANCEL:
        return PS_INSTRUCTION_DONE; /* taken note of, installed, applied */
      case PS_INSTRUCTION_REQUEST_INFO:
      case PS_INSTRUCTION_KEEP_HOLDING:
      case PS_INSTRUCTION_RELEASE:
      case PS_INSTRUCTION_SEIZE:
      case PS_INSTRUCTION_CLOSE_CASE:
        return PS_INSTRUCTION_OPEN;
    }
  return PS_INSTRUCTION_OPEN;
}

int
ps_report_next_status (PsReportStatus status, PsCustodyKind kind)
{
  switch (kind)
    {
      case PS_CUSTODY_ASSESSMENT:
        if (status == PS_REPORT_CLOSED)
          return -1;
        return status == PS_REPORT_OPEN ? PS_REPORT_ASSESSED : (int) status;
      case PS_CUSTODY_HANDOVER:
      case PS_CUSTODY_RELEASE:
        if (status != PS_REPORT_OPEN && status != PS_REPORT_ASSESSED)
          return -1;
        return kind == PS_CUSTODY_HANDOVER ? PS_REPORT_HANDED_OVER : PS_REPORT_RELEASED;
      case PS_CUSTODY_CLOSE:
        return status == PS_REPORT_HANDED_OVER || status == PS_REPORT_RELEASED ? PS_REPORT_CLOSED
                                                                               : -1;
      case PS_CUSTODY_CREATED:
        return -1;
    }
  return -1;
}

/* An open instruction that blocks a release now, or NULL. */
static const PsInstructionView *
blocking_release (gint64 report_id, const PsInstructionView *instructions, guint n, gint64 now_us)
{
  for (guint i = 0; i < n; i++)
    {
      const PsInstructionView *view = &instructions[i];
      if (view->state != PS_INSTRUCTION_OPEN || view->report_id != report_id)
        continue;
      if (view->kind == PS_INSTRUCTION_REQUEST_INFO)
        return view;
      if (view->kind == PS_INSTRUCTION_KEEP_HOLDING &&
          (view->until_us == 0 || view->until_us > now_us))
        return view;
    }
  return NULL;
}

/* The instruction kind that may carry out @kind, or -1 for none. */
static int
carried_out_by (PsCustodyKind kind)
{
  switch (kind)
    {
      case PS_CUSTODY_HANDOVER:
        return PS_INSTRUCTION_SEIZE;
      case PS_CUSTODY_RELEASE:
        return PS_INSTRUCTION_RELEASE;
      case PS_CUSTODY_ASSESSMENT:
        return PS_INSTRUCTION_REQUEST_INFO; /* the answer */
      case PS_CUSTODY_CLOSE:
        return PS_INSTRUCTION_CLOSE_CASE;
      case PS_CUSTODY_CREATED:
        return -1;
    }
  return -1;
}

gboolean
ps_custody_check (PsReportStatus status, PsCustodyKind kind, gint64 report_id,
                  const PsInstructionView *instructions, guint n, const char *instruction_id,
                  const char *override_reason, gint64 now_us, PsReportStatus *status_after,
                  GError **error)
{
  g_return_val_if_fail (n == 0 || instructions != NULL, FALSE);

  int after = ps_report_next_status (status, kind);
  if (after < 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("This cannot be recorded while the report is ‘%s’."),
                   ps_report_status_label (status));
      return FALSE;
    }
  if (instruction_id != NULL && *instruction_id == '\0')
    instruction_id = NULL;
  if (override_reason != NULL && *override_reason == '\0')
    override_reason = NULL;
  if (instruction_id != NULL && override_reason != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("Either carry out an instruction of the police or override with a reason, "
                      "not both."));
      return FALSE;
    }
  if (override_reason != NULL && g_utf8_strlen (override_reason, -1) < PS_OVERRIDE_MIN_CHARS)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("An override needs a reason of at least %d characters: the police will "
                      "read it."),
                   PS_OVERRIDE_MIN_CHARS);
      return FALSE;
    }

  if (kind == PS_CUSTODY_RELEASE)
    {
      const PsInstructionView *blocker = blocking_release (report_id, instructions, n, now_us);
      if (blocker != NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                       blocker->kind == PS_INSTRUCTION_KEEP_HOLDING
                           ? _ ("The police ordered to keep holding this parcel (instruction %s): "
                                "it cannot be released.")
                           : _ ("The police's request for information (instruction %s) is not "
                                "answered yet: answer it before a release."),
                       blocker->id);
          return FALSE;
        }
    }

  const PsInstructionView *named = NULL;
  for (guint i = 0; instruction_id != NULL && i < n; i++)
    if (g_strcmp0 (instructions[i].id, instruction_id) == 0)
      named = &instructions[i];
  if (instruction_id != NULL)
    {
      int expected = carried_out_by (kind);
      if (named == NULL || named->report_id != report_id)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND,
                       _ ("There is no instruction %s of the police for this report."),
                       instruction_id);
          return FALSE;
        }
      if (named->state == PS_INSTRUCTION_CANCELLED)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                       _ ("The police cancelled instruction %s: it cannot be carried out."),
                       instruction_id);
          return FALSE;
        }
      if (named->state == PS_INSTRUCTION_DONE)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                       _ ("Instruction %s was carried out already."), instruction_id);
          return FALSE;
        }
      if (expected < 0 || (int) named->kind != expected)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                       _ ("Instruction %s is a ‘%s’: it does not order this."), instruction_id,
                       ps_instruction_kind_label (named->kind));
          return FALSE;
        }
    }
  else if ((kind == PS_CUSTODY_HANDOVER || kind == PS_CUSTODY_RELEASE) && override_reason == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   kind == PS_CUSTODY_HANDOVER
                       ? _ ("A hand-over needs the police's seizure instruction, or an override "
                            "with a reason.")
                       : _ ("A release needs the police's release instruction, or an override "
                            "with a reason."));
      return FALSE;
    }
  else if (override_reason != NULL && kind != PS_CUSTODY_HANDOVER && kind != PS_CUSTODY_RELEASE)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("Only a hand-over or a release is overridden."));
      return FALSE;
    }
  if (status_after != NULL)
    *status_after = (PsReportStatus) after;
  return TRUE;
}
