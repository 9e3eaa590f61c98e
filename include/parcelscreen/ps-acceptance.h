/* ps-acceptance.h — the acceptance of one parcel as a state machine.
 *
 * A PsAcceptance is fed the events of the counter flow (tracking scanned,
 * sender identified, weighed, declared, inspected) and refuses an event that
 * is not allowed at that point with a PS_ERROR_NOT_ALLOWED or
 * PS_ERROR_INVALID_INPUT error. It is pure: it does no I/O and reads no clock;
 * every event carries the time it happened.
 */
#pragma once

#include <glib-object.h>
#include "ps-actor.h"
#include "ps-cccd.h"
#include "ps-checklist.h"
#include "ps-declaration.h"
#include "ps-reasons.h"
#include "ps-rules.h"
#include "ps-tracking.h"

G_BEGIN_DECLS

/** The steps of the flow, in the order the counter screen shows them. */
typedef enum
{
  PS_STEP_ITEM,
  PS_STEP_SENDER,
  PS_STEP_RECIPIENT,
  PS_STEP_WEIGHT,
  PS_STEP_DECLARATION,
  PS_STEP_INSPECTION,
  PS_STEP_DECISION,
  PS_STEP_DONE,
} PsStep;

typedef enum
{
  PS_DECISION_NONE,
  PS_DECISION_ACCEPTED,
  PS_DECISION_REFUSED,
  PS_DECISION_HELD,
} PsDecision;

typedef enum
{
  PS_WEIGHT_SOURCE_NONE,
  PS_WEIGHT_SOURCE_SCALE,
  PS_WEIGHT_SOURCE_MANUAL,
} PsWeightSource;

/** Why a weight was typed instead of read from the scale. */
typedef enum
{
  PS_MANUAL_WEIGHT_NO_SCALE,
  PS_MANUAL_WEIGHT_SCALE_FAULT,
  PS_MANUAL_WEIGHT_OVER_CAPACITY,
  PS_MANUAL_WEIGHT_OTHER,
} PsManualWeightReason;

typedef enum
{
  PS_SENDER_FROM_CCCD_SCAN,
  PS_SENDER_TYPED,
} PsSenderSource;

/** The longest free-text note, in characters. */
#define PS_NOTE_MAX_CHARS 2000

/**
 * PsAcceptanceRecord:
 * What the acceptance has gathered; read-only for callers. Strings are %NULL
 * until set. Owned by the #PsAcceptance.
 */
typedef struct
{
  gint64 started_us;
  PsActor *clerk;
  PsTracking *tracking;

  PsSenderSource sender_source;
  char *sender_id;
  char *sender_old_id;
  char *sender_name;
  char *sender_address;
  char *sender_phone;
  PsDate sender_birth_date;
  PsSex sender_sex;

  char *recipient_name;
  char *recipient_address;
  char *recipient_phone;
  char *destination_country;

  PsWeightSource weight_source;
  gint64 weight_mg;
  PsManualWeightReason manual_weight_reason;
  char *manual_weight_note;

  gboolean has_declaration;
  PsCategory category;
  char *description;
  guint quantity;
  gint64 value_vnd;

  /* One entry a checklist item, in checklist order. */
  PsAnswer *answers;
  gint64 *answered_us;

  PsDecision decision;
  gint64 decided_us;
  char *refuse_reason;
  GStrv hold_reasons;
  char *decision_note;
  PsActor *override_by;
  guint risk_score;
  guint risk_threshold;
} PsAcceptanceRecord;

/**
 * PsAcceptanceEvent:
 * One line of the acceptance's timeline: when, which event, and a short
 * summary without personal data (it may go to logs and the audit payload).
 */
typedef struct
{
  gint64 time_us;
  char *kind;
  char *summary;
} PsAcceptanceEvent;

#define PS_TYPE_ACCEPTANCE (ps_acceptance_get_type ())
G_DECLARE_FINAL_TYPE (PsAcceptance, ps_acceptance, PS, ACCEPTANCE, GObject)

/**
 * ps_acceptance_new:
 * @checklist: the inspection checklist
 * @rules: the risk rules
 * @reasons: the refusal and hold reasons
 * @watchlist: (nullable): the watch list
 * @clerk: the clerk at the counter (role clerk, supervisor or admin)
 * @now_us: the time the acceptance starts
 *
 * Returns: (transfer full): a new acceptance at %PS_STEP_ITEM
 */
PsAcceptance *ps_acceptance_new (PsChecklist *checklist, PsRules *rules, PsReasons *reasons,
                                 PsWatchlist *watchlist, const PsActor *clerk, gint64 now_us);

gboolean ps_acceptance_set_tracking (PsAcceptance *self, const PsTracking *tracking, gint64 now_us,
                                     GError **error);
gboolean ps_acceptance_set_sender_cccd (PsAcceptance *self, const PsCccd *cccd, const char *phone,
                                        gint64 now_us, GError **error);
gboolean ps_acceptance_set_sender_typed (PsAcceptance *self, const char *id_number,
                                         const char *name, const char *address, const char *phone,
                                         gint64 now_us, GError **error);
gboolean ps_acceptance_set_recipient (PsAcceptance *self, const char *name, const char *address,
                                      const char *phone, const char *country, gint64 now_us,
                                      GError **error);
gboolean ps_acceptance_set_stable_weight (PsAcceptance *self, gint64 milligrams, gint64 now_us,
                                          GError **error);
gboolean ps_acceptance_set_manual_weight (PsAcceptance *self, gint64 milligrams,
                                          PsManualWeightReason reason, const char *note,
                                          gint64 now_us, GError **error);
gboolean ps_acceptance_set_declaration (PsAcceptance *self, PsCategory category,
                                        const char *description, guint quantity, gint64 value_vnd,
                                        gint64 now_us, GError **error);
/**
 * ps_acceptance_set_sender_history:
 * @history_recipients: (array zero-terminated=1): recipient keys of the
 *   sender's earlier parcels in the repeat-sender window
 *
 * Gives the repeat-sender rule what the store knows. Not an event of the flow.
 */
void ps_acceptance_set_sender_history (PsAcceptance *self, const char *const *history_recipients);
gboolean ps_acceptance_answer (PsAcceptance *self, const char *item_id, PsAnswer answer,
                               gint64 now_us, GError **error);

/**
 * ps_acceptance_can_accept:
 * @self: the acceptance
 * @override_by: (nullable): a supervisor who approves a high-risk accept
 * @error: return location for why not, for the clerk
 *
 * Returns: %TRUE if ps_acceptance_accept() would succeed now with @override_by;
 *   without one, a high-risk parcel that only lacks a supervisor's approval
 *   fails with %PS_ERROR_NEEDS_APPROVAL
 */
gboolean ps_acceptance_can_accept (PsAcceptance *self, const PsActor *override_by, GError **error);
gboolean ps_acceptance_can_refuse (PsAcceptance *self, GError **error);
gboolean ps_acceptance_can_hold (PsAcceptance *self, GError **error);
/** Returns: %TRUE if the risk score needs a supervisor's override to accept. */
gboolean ps_acceptance_needs_override (PsAcceptance *self);

gboolean ps_acceptance_accept (PsAcceptance *self, const PsActor *override_by, gint64 now_us,
                               GError **error);
gboolean ps_acceptance_refuse (PsAcceptance *self, const char *reason_id, const char *note,
                               gint64 now_us, GError **error);
gboolean ps_acceptance_hold (PsAcceptance *self, const char *const *reason_ids, const char *note,
                             gint64 now_us, GError **error);

/**
 * ps_acceptance_can_inspect:
 * Returns: %TRUE if the inspection items may be answered now (the sender is
 *   identified and the declaration recorded), or %FALSE with @error set
 */
gboolean ps_acceptance_can_inspect (PsAcceptance *self, GError **error);
/**
 * ps_acceptance_step_is_done:
 * Returns: whether @step has what it asks for; the decision step is done
 *   once a decision is taken (saving it is the program's affair)
 */
gboolean ps_acceptance_step_is_done (PsAcceptance *self, PsStep step);
PsStep ps_acceptance_get_step (PsAcceptance *self);
PsDecision ps_acceptance_get_decision (PsAcceptance *self);
const PsAcceptanceRecord *ps_acceptance_get_record (PsAcceptance *self);
PsChecklist *ps_acceptance_get_checklist (PsAcceptance *self);
PsReasons *ps_acceptance_get_reasons (PsAcceptance *self);
/** Returns: (transfer none) (element-type PsRiskHit): the current risk hits. */
GPtrArray *ps_acceptance_get_risk_hits (PsAcceptance *self);
guint ps_acceptance_get_risk_score (PsAcceptance *self);
/** Returns: (transfer none) (element-type PsAcceptanceEvent): the timeline. */
GPtrArray *ps_acceptance_get_events (PsAcceptance *self);

const char *ps_step_to_id (PsStep step);
const char *ps_step_label (PsStep step);
const char *ps_decision_to_id (PsDecision decision);
/** Returns: the decision in words, lower case ("accepted"); "—" for none. */
const char *ps_decision_label (PsDecision decision);
const char *ps_manual_weight_reason_to_id (PsManualWeightReason reason);
gboolean ps_manual_weight_reason_from_id (const char *id, PsManualWeightReason *out);
const char *ps_manual_weight_reason_label (PsManualWeightReason reason);

G_END_DECLS
