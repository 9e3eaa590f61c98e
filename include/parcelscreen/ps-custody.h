/* ps-custody.h — what happens to a held parcel after the hold: the report's
 * state machine and the police's instructions that govern it.
 *
 * A report moves open → assessed → handed-over or released → closed. A
 * hand-over or a release is carried out only under a matching instruction of
 * the police (a seizure, a release), or by a supervisor's explicit override
 * with a reason, which the police see flagged. A keep-holding order or an
 * open request for information blocks a release, override or not; a
 * cancelled instruction cannot be carried out. The answer to a request for
 * information is an assessment that names it; a closure may name the
 * close-case instruction it carries out.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_REPORT_OPEN,
  PS_REPORT_ASSESSED,
  PS_REPORT_HANDED_OVER,
  PS_REPORT_RELEASED,
  PS_REPORT_CLOSED,
} PsReportStatus;

typedef enum
{
  PS_CUSTODY_CREATED,
  PS_CUSTODY_ASSESSMENT,
  PS_CUSTODY_HANDOVER,
  PS_CUSTODY_RELEASE,
  PS_CUSTODY_CLOSE,
} PsCustodyKind;

const char *ps_report_status_to_id (PsReportStatus status);
/** Returns: the status with that id, or -1. */
int ps_report_status_from_id (const char *id);
const char *ps_report_status_label (PsReportStatus status);
const char *ps_custody_kind_to_id (PsCustodyKind kind);
/** Returns: the custody kind with that id, or -1. */
int ps_custody_kind_from_id (const char *id);

/** The report's status after @kind, or -1 if @kind cannot happen now. */
int ps_report_next_status (PsReportStatus status, PsCustodyKind kind);

typedef enum
{
  PS_INSTRUCTION_RECEIVED,     /* the police have the report (a case number) */
  PS_INSTRUCTION_REQUEST_INFO, /* a question for the supervisor */
  PS_INSTRUCTION_KEEP_HOLDING, /* until a date */
  PS_INSTRUCTION_RELEASE,      /* return to the sender, or accept for delivery */
  PS_INSTRUCTION_SEIZE,        /* an officer will collect it */
  PS_INSTRUCTION_CLOSE_CASE,
  PS_INSTRUCTION_WATCHLIST, /* a signed watch list to install */
  PS_INSTRUCTION_CANCEL,    /* withdraws an earlier instruction */
} PsInstructionKind;

#define PS_INSTRUCTION_N_KINDS (PS_INSTRUCTION_CANCEL + 1)

typedef enum
{
  PS_INSTRUCTION_OPEN,
  PS_INSTRUCTION_DONE,
  PS_INSTRUCTION_CANCELLED,
} PsInstructionState;

const char *ps_instruction_kind_to_id (PsInstructionKind kind);
/** Returns: the kind with that id ("request_info"…), or -1. */
int ps_instruction_kind_from_id (const char *id);
const char *ps_instruction_kind_label (PsInstructionKind kind);
const char *ps_instruction_state_to_id (PsInstructionState state);
int ps_instruction_state_from_id (const char *id);

/** What the rules need to know of an instruction the counter holds. */
typedef struct
{
  const char *id;
  PsInstructionKind kind;
  gint64 report_id; /* 0: none */
  PsInstructionState state;
  gint64 until_us; /* keep_holding: until when (0: until further notice) */
} PsInstructionView;

/** The state an instruction is in on arrival: informational ones are done
 * at once; the others wait to be carried out. */
PsInstructionState ps_instruction_initial_state (PsInstructionKind kind);

/**
 * ps_custody_check:
 * @status: the report's status now
 * @kind: what the supervisor wants to record
 * @report_id: the report
 * @instructions: (array length=n): the counter's instructions for this report
 * @instruction_id: (nullable): the instruction the event carries out
 * @override_reason: (nullable): instead, the supervisor's reason to act
 *   without one (at least 10 characters; flagged to the police)
 * @now_us: the time now, for keep-holding dates
 * @status_after: (out): the report's status afterwards
 *
 * Returns: %TRUE if the event may be recorded; else %FALSE with
 *   %PS_ERROR_NOT_ALLOWED, %PS_ERROR_NOT_FOUND or %PS_ERROR_INVALID_INPUT and
 *   a message for the supervisor
 */
gboolean ps_custody_check (PsReportStatus status, PsCustodyKind kind, gint64 report_id,
                           const PsInstructionView *instructions, guint n,
                           const char *instruction_id, const char *override_reason, gint64 now_us,
                           PsReportStatus *status_after, GError **error);

/** The shortest override reason accepted, in characters. */
#define PS_OVERRIDE_MIN_CHARS 10

G_END_DECLS
