/* ps-acceptance.c — the acceptance of one parcel, as a state machine.
 *
 * The steps after the tracking number (sender, recipient, weight,
 * declaration) may be done in any order, as a clerk works with what is in
 * front of them; the inspection needs the sender and the declaration, since
 * the sender consents and the contents are compared with what was declared;
 * accepting needs everything, every checklist answer passing, and a
 * supervisor when the risk score reaches the threshold. Changing the sender
 * or the declaration clears the inspection answers: they were given about
 * another person or other contents.
 */
#include "ps-acceptance-private.h"

#include <string.h>

#define NAME_MAX_CHARS        100
#define ADDRESS_MAX_CHARS     300
#define DESCRIPTION_MAX_CHARS 500
#define QUANTITY_MAX          100000
#define VALUE_MAX_VND         G_GINT64_CONSTANT (1000000000000)

G_DEFINE_FINAL_TYPE (PsAcceptance, ps_acceptance, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
ps_acceptance_event_free (PsAcceptanceEvent *event)
{
  g_free (event->kind);
  g_free (event->summary);
  g_free (event);
}

static void
clear_sender (PsAcceptanceRecord *record)
{
  g_clear_pointer (&record->sender_id, g_free);
  g_clear_pointer (&record->sender_old_id, g_free);
  g_clear_pointer (&record->sender_name, g_free);
  g_clear_pointer (&record->sender_address, g_free);
  g_clear_pointer (&record->sender_phone, g_free);
  memset (&record->sender_birth_date, 0, sizeof record->sender_birth_date);
  record->sender_sex = PS_SEX_UNKNOWN;
}

static void
ps_acceptance_finalize (GObject *object)
{
  PsAcceptance *self = PS_ACCEPTANCE (object);
  PsAcceptanceRecord *record = &self->record;

  ps_actor_free (record->clerk);
  ps_tracking_free (record->tracking);
  clear_sender (record);
  g_free (record->recipient_name);
  g_free (record->recipient_address);
  g_free (record->recipient_phone);
  g_free (record->destination_country);
  g_free (record->manual_weight_note);
  g_free (record->description);
  g_free (record->answers);
  g_free (record->answered_us);
  g_free (record->refuse_reason);
  g_strfreev (record->hold_reasons);
  g_free (record->decision_note);
  ps_actor_free (record->override_by);

  g_strfreev (self->history_recipients);
  g_ptr_array_unref (self->hits);
  g_ptr_array_unref (self->events);
  ps_checklist_unref (self->checklist);
  ps_rules_unref (self->rules);
  ps_reasons_unref (self->reasons);
  ps_watchlist_unref (self->watchlist);

  G_OBJECT_CLASS (ps_acceptance_parent_class)->finalize (object);
}

static void
ps_acceptance_class_init (PsAcceptanceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_acceptance_finalize;

  /**
   * PsAcceptance::changed:
   * Emitted after every event that changed the acceptance.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ps_acceptance_init (PsAcceptance *self)
{
  self->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_risk_hit_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_acceptance_event_free);
}

PsAcceptance *
ps_acceptance_new (PsChecklist *checklist, PsRules *rules, PsReasons *reasons,
                   PsWatchlist *watchlist, const PsActor *clerk, gint64 now_us)
{
  g_return_val_if_fail (checklist != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (reasons != NULL, NULL);
  g_return_val_if_fail (clerk != NULL, NULL);
  g_return_val_if_fail (clerk->role != PS_ROLE_SYSTEM, NULL);

  PsAcceptance *self = g_object_new (PS_TYPE_ACCEPTANCE, NULL);
  guint n_items = ps_checklist_get_n_items (checklist);

  self->checklist = ps_checklist_ref (checklist);
  self->rules = ps_rules_ref (rules);
  self->reasons = ps_reasons_ref (reasons);
  self->watchlist = watchlist != NULL ? ps_watchlist_ref (watchlist) : NULL;
  self->record.started_us = now_us;
  self->record.clerk = ps_actor_copy (clerk);
  self->record.answers = g_new0 (PsAnswer, n_items);
  self->record.answered_us = g_new0 (gint64, n_items);
  self->record.risk_threshold = ps_rules_get_threshold (rules);
  return self;
}

void
ps_acceptance_add_event (PsAcceptance *self, gint64 now_us, const char *kind, const char *format,
                         ...)
{
  PsAcceptanceEvent *event = g_new0 (PsAcceptanceEvent, 1);
  va_list args;

  va_start (args, format);
  event->summary = g_strdup_vprintf (format, args);
  va_end (args);
  event->time_us = now_us;
  event->kind = g_strdup (kind);
  g_ptr_array_add (self->events, event);
}

static PsAnswer
answer_of (PsAcceptance *self, const char *item_id)
{
  guint index;
  if (ps_checklist_find (self->checklist, item_id, &index) == NULL)
    return PS_ANSWER_NONE;
  return self->record.answers[index];
}

static void
recompute_risk (PsAcceptance *self)
{
  const PsAcceptanceRecord *record = &self->record;
  PsRiskInput input = {
    .declaration = record->description,
    .has_declaration = record->has_declaration,
    .category = record->category,
    .has_weight = record->weight_source != PS_WEIGHT_SOURCE_NONE,
    .weight_mg = record->weight_mg,
    .weight_manual = record->weight_source == PS_WEIGHT_SOURCE_MANUAL,
    .sender_id = record->sender_id,
    .sender_name = record->sender_name,
    .sender_phone = record->sender_phone,
    .sender_address = record->sender_address,
    .recipient_name = record->recipient_name,
    .recipient_phone = record->recipient_phone,
    .recipient_address = record->recipient_address,
    .destination_country = record->destination_country,
    .consent = answer_of (self, "consent"),
    .history_recipients = (const char *const *) self->history_recipients,
  };

  g_ptr_array_unref (self->hits);
  self->hits = ps_rules_evaluate (self->rules, self->watchlist, &input);
  ps_rules_add_inspection_hits (self->rules, self->checklist, self->record.answers, self->hits);
  self->record.risk_score = ps_risk_total (self->hits);
}

void
ps_acceptance_emit_changed (PsAcceptance *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
changed (PsAcceptance *self)
{
  recompute_risk (self);
  ps_acceptance_emit_changed (self);
}

static gboolean
ensure_open (PsAcceptance *self, GError **error)
{
  if (self->record.decision == PS_DECISION_NONE)
    return TRUE;
  g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
               _ ("This acceptance has already been decided; a correction is a new entry linked "
                  "to it."));
  return FALSE;
}

gboolean
ps_acceptance_ensure_tracking (PsAcceptance *self, GError **error)
{
  if (!ensure_open (self, error))
    return FALSE;
  if (self->record.tracking != NULL)
    return TRUE;
  g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
               _ ("Scan or type the tracking number first."));
  return FALSE;
}

static gboolean
has_answers (PsAcceptance *self)
{
  for (guint i = 0; i < ps_checklist_get_n_items (self->checklist); i++)
    if (self->record.answers[i] != PS_ANSWER_NONE)
      return TRUE;
  return FALSE;
}

static void
clear_answers (PsAcceptance *self, gint64 now_us, const char *why)
{
  guint n_items = ps_checklist_get_n_items (self->checklist);

  if (!has_answers (self))
    return;
  memset (self->record.answers, 0, n_items * sizeof *self->record.answers);
  memset (self->record.answered_us, 0, n_items * sizeof *self->record.answered_us);
  ps_acceptance_add_event (self, now_us, "answers-cleared", "because the %s changed", why);
}

gboolean
ps_acceptance_set_tracking (PsAcceptance *self, const PsTracking *tracking, gint64 now_us,
                            GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);
  g_return_val_if_fail (tracking != NULL && tracking->code != NULL, FALSE);

  if (!ensure_open (self, error))
    return FALSE;
  if (self->record.tracking != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("This acceptance already has tracking number %s; another tracking number "
                      "starts a new acceptance."),
                   self->record.tracking->code);
      return FALSE;
    }

  self->record.tracking = ps_tracking_copy (tracking);
  /* How the number came, as the weight's source is kept: a scanner (in HID
   * POS or keyboard mode) or the clerk's typing. */
  ps_acceptance_add_event (self, now_us, "tracking", "%s (%s)", tracking->code,
                           tracking->scanned ? "scanned" : "typed");
  changed (self);
  return TRUE;
}

gboolean
ps_acceptance_set_sender_cccd (PsAcceptance *self, const PsCccd *cccd, const char *phone,
                               gint64 now_us, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);
  g_return_val_if_fail (cccd != NULL, FALSE);

  if (!ps_acceptance_ensure_tracking (self, error))
    return FALSE;
  if (!ps_cccd_check_id_number (cccd->id_number, error))
    return FALSE;

  g_autofree char *checked_phone = NULL;
  if (!ps_contact_check_phone (phone, _ ("The sender's phone"), FALSE, &checked_phone, error))
    return FALSE;

  gboolean same_person = g_strcmp0 (self->record.sender_id, cccd->id_number) == 0;
  if (!same_person)
    clear_answers (self, now_us, "sender");

  PsAcceptanceRecord *record = &self->record;
  clear_sender (record);
  record->sender_source = PS_SENDER_FROM_CCCD_SCAN;
  /* Only what the clerk confirms on the screen and the record needs: the
   * card's date of birth, sex and old ID number are read but not kept
   * (Decree 13/2023/NĐ-CP: the least personal data that serves the purpose). */
  record->sender_id = g_strdup (cccd->id_number);
  record->sender_name = g_strdup (cccd->full_name);
  record->sender_address = g_strdup (cccd->address);
  record->sender_phone = g_steal_pointer (&checked_phone);

  ps_acceptance_add_event (self, now_us, "sender", "from an ID card scan");
  changed (self);
  return TRUE;
}

gboolean
ps_acceptance_set_sender_typed (PsAcceptance *self, const char *id_number, const char *name,
                                const char *address, const char *phone, gint64 now_us,
                                GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_ensure_tracking (self, error))
    return FALSE;

  g_autofree char *checked_id =
      ps_text_check_field (id_number, _ ("The sender's ID number"), TRUE, 12, error);
  if (checked_id == NULL || !ps_cccd_check_id_number (checked_id, error))
    return FALSE;
  g_autofree char *checked_name =
      ps_text_check_field (name, _ ("The sender's name"), TRUE, NAME_MAX_CHARS, error);
  if (checked_name == NULL)
    return FALSE;
  g_autofree char *checked_address =
      ps_text_check_field (address, _ ("The sender's address"), TRUE, ADDRESS_MAX_CHARS, error);
  if (checked_address == NULL)
    return FALSE;

  g_autofree char *checked_phone = NULL;
  if (!ps_contact_check_phone (phone, _ ("The sender's phone"), FALSE, &checked_phone, error))
    return FALSE;

  if (g_strcmp0 (self->record.sender_id, checked_id) != 0)
    clear_answers (self, now_us, "sender");

  PsAcceptanceRecord *record = &self->record;
  clear_sender (record);
  record->sender_source = PS_SENDER_TYPED;
  record->sender_id = g_steal_pointer (&checked_id);
  record->sender_name = g_steal_pointer (&checked_name);
  record->sender_address = g_steal_pointer (&checked_address);
  record->sender_phone = g_steal_pointer (&checked_phone);

  ps_acceptance_add_event (self, now_us, "sender", "typed");
  changed (self);
  return TRUE;
}

gboolean
ps_acceptance_set_recipient (PsAcceptance *self, const char *name, const char *address,
                             const char *phone, const char *country, gint64 now_us, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_ensure_tracking (self, error))
    return FALSE;

  g_autofree char *checked_name =
      ps_text_check_field (name, _ ("The recipient's name"), TRUE, NAME_MAX_CHARS, error);
  if (checked_name == NULL)
    return FALSE;
  g_autofree char *checked_address =
      ps_text_check_field (address, _ ("The recipient's address"), TRUE, ADDRESS_MAX_CHARS, error);
  if (checked_address == NULL)
    return FALSE;
  g_autofree char *checked_phone = NULL;
  if (!ps_contact_check_phone (phone, _ ("The recipient's phone"), TRUE, &checked_phone, error))
    return FALSE;

  g_autofree char *checked_country = NULL;
  if (!ps_text_check (country, _ ("The destination country"), FALSE, 2, &checked_country, error))
    return FALSE;
  if (checked_country == NULL)
    checked_country = g_strdup ("VN");
  g_autofree char *upper = g_ascii_strup (checked_country, -1);
  if (ps_country_lookup (upper) == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not an ISO 3166-1 country code."), upper);
      return FALSE;
    }

  PsAcceptanceRecord *record = &self->record;
  g_free (record->recipient_name);
  record->recipient_name = g_steal_pointer (&checked_name);
  g_free (record->recipient_address);
  record->recipient_address = g_steal_pointer (&checked_address);
  g_free (record->recipient_phone);
  record->recipient_phone = g_steal_pointer (&checked_phone);
  g_free (record->destination_country);
  record->destination_country = g_steal_pointer (&upper);

  ps_acceptance_add_event (self, now_us, "recipient", "destination %s",
                           record->destination_country);
  changed (self);
  return TRUE;
}

static gboolean
check_weight (gint64 milligrams, GError **error)
{
  if (milligrams <= 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The weight must be more than zero; put the parcel on the scale."));
      return FALSE;
    }
  if (milligrams > PS_WEIGHT_MAX_MG)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("The weight is out of range."));
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_acceptance_set_stable_weight (PsAcceptance *self, gint64 milligrams, gint64 now_us,
                                 GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_ensure_tracking (self, error) || !check_weight (milligrams, error))
    return FALSE;

  PsAcceptanceRecord *record = &self->record;
  record->weight_source = PS_WEIGHT_SOURCE_SCALE;
  record->weight_mg = milligrams;
  g_clear_pointer (&record->manual_weight_note, g_free);

  ps_acceptance_add_event (self, now_us, "weight", "%" G_GINT64_FORMAT " mg from the scale",
                           milligrams);
  changed (self);
  return TRUE;
}

gboolean
ps_acceptance_set_manual_weight (PsAcceptance *self, gint64 milligrams, PsManualWeightReason reason,
                                 const char *note, gint64 now_us, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_ensure_tracking (self, error) || !check_weight (milligrams, error))
    return FALSE;
  if ((guint) reason > PS_MANUAL_WEIGHT_OTHER)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("Choose why the weight is typed instead of read from the scale."));
      return FALSE;
    }

  /* "Other" needs the note that says what. */
  g_autofree char *checked_note = NULL;
  if (!ps_text_check (note, _ ("The note on the typed weight"), reason == PS_MANUAL_WEIGHT_OTHER,
                      PS_NOTE_MAX_CHARS, &checked_note, error))
    return FALSE;

  PsAcceptanceRecord *record = &self->record;
  record->weight_source = PS_WEIGHT_SOURCE_MANUAL;
  record->weight_mg = milligrams;
  record->manual_weight_reason = reason;
  g_free (record->manual_weight_note);
  record->manual_weight_note = g_steal_pointer (&checked_note);

  ps_acceptance_add_event (self, now_us, "weight", "%" G_GINT64_FORMAT " mg typed (%s)", milligrams,
                           ps_manual_weight_reason_to_id (reason));
  changed (self);
  return TRUE;
}

gboolean
ps_acceptance_set_declaration (PsAcceptance *self, PsCategory category, const char *description,
                               guint quantity, gint64 value_vnd, gint64 now_us, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_ensure_tracking (self, error))
    return FALSE;
  if ((guint) category >= PS_CATEGORY_COUNT)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("Choose the content category."));
      return FALSE;
    }
  g_autofree char *checked = ps_text_check_field (
      description, _ ("The description of the contents"), TRUE, DESCRIPTION_MAX_CHARS, error);
  if (checked == NULL)
    return FALSE;
  if (quantity < 1 || quantity > QUANTITY_MAX)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The quantity must be from 1 to %u."), QUANTITY_MAX);
      return FALSE;
    }
  if (value_vnd < 0 || value_vnd > VALUE_MAX_VND)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The declared value is out of range."));
      return FALSE;
    }

  PsAcceptanceRecord *record = &self->record;
  gboolean same = record->has_declaration && record->category == category &&
                  g_strcmp0 (record->description, checked) == 0 && record->quantity == quantity &&
                  record->value_vnd == value_vnd;
  if (!same)
    clear_answers (self, now_us, "declaration");

  record->has_declaration = TRUE;
  record->category = category;
  g_free (record->description);
  record->description = g_steal_pointer (&checked);
  record->quantity = quantity;
  record->value_vnd = value_vnd;

  ps_acceptance_add_event (self, now_us, "declaration",
                           "%s, quantity %u, value %" G_GINT64_FORMAT " VND",
                           ps_category_to_id (category), quantity, value_vnd);
  changed (self);
  return TRUE;
}

void
ps_acceptance_set_sender_history (PsAcceptance *self, const char *const *history_recipients)
{
  g_return_if_fail (PS_IS_ACCEPTANCE (self));

  g_strfreev (self->history_recipients);
  self->history_recipients = g_strdupv ((char **) history_recipients);
  changed (self);
}

gboolean
ps_acceptance_can_inspect (PsAcceptance *self, GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  if (!ps_acceptance_ensure_tracking (self, error))
    return FALSE;
  if (self->record.sender_id == NULL || !self->record.has_declaration)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("Identify the sender and record the declaration before the inspection: the "
                      "sender consents to it and the contents are compared with the declaration."));
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_acceptance_answer (PsAcceptance *self, const char *item_id, PsAnswer answer, gint64 now_us,
                      GError **error)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  if (!ps_acceptance_can_inspect (self, error))
    return FALSE;

  guint index;
  const PsChecklistItem *item = ps_checklist_find (self->checklist, item_id, &index);
  if (item == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("The checklist has no item ‘%s’."),
                   item_id);
      return FALSE;
    }
  if (answer != PS_ANSWER_NONE && answer != PS_ANSWER_YES && answer != PS_ANSWER_NO)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("Answer yes or no."));
      return FALSE;
    }

  self->record.answers[index] = answer;
  self->record.answered_us[index] = answer == PS_ANSWER_NONE ? 0 : now_us;
  ps_acceptance_add_event (self, now_us, "answer", "%s=%s", item->id,
                           answer == PS_ANSWER_YES  ? "yes"
                           : answer == PS_ANSWER_NO ? "no"
                                                    : "none");
  changed (self);
  return TRUE;
}

/* The first failed checklist item with the given consequence, or NULL. */
gboolean
ps_acceptance_step_is_done (PsAcceptance *self, PsStep step)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), FALSE);

  const PsAcceptanceRecord *record = &self->record;
  switch (step)
    {
      case PS_STEP_ITEM:
        return record->tracking != NULL;
      case PS_STEP_SENDER:
        return record->sender_id != NULL;
      case PS_STEP_RECIPIENT:
        return record->recipient_name != NULL;
      case PS_STEP_WEIGHT:
        return record->weight_source != PS_WEIGHT_SOURCE_NONE;
      case PS_STEP_DECLARATION:
        return record->has_declaration;
      case PS_STEP_INSPECTION:
        return ps_acceptance_get_step (self) >= PS_STEP_DECISION;
      case PS_STEP_DECISION:
      case PS_STEP_DONE:
        return record->decision != PS_DECISION_NONE;
    }
  return FALSE;
}

PsStep
ps_acceptance_get_step (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), PS_STEP_ITEM);

  const PsAcceptanceRecord *record = &self->record;
  if (record->decision != PS_DECISION_NONE)
    return PS_STEP_DONE;
  if (record->tracking == NULL)
    return PS_STEP_ITEM;
  if (record->sender_id == NULL)
    return PS_STEP_SENDER;
  if (record->recipient_name == NULL)
    return PS_STEP_RECIPIENT;
  if (record->weight_source == PS_WEIGHT_SOURCE_NONE)
    return PS_STEP_WEIGHT;
  if (!record->has_declaration)
    return PS_STEP_DECLARATION;
  for (guint i = 0; i < ps_checklist_get_n_items (self->checklist); i++)
    if (record->answers[i] == PS_ANSWER_NONE)
      return PS_STEP_INSPECTION;
  return PS_STEP_DECISION;
}

PsDecision
ps_acceptance_get_decision (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), PS_DECISION_NONE);
  return self->record.decision;
}

const PsAcceptanceRecord *
ps_acceptance_get_record (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), NULL);
  return &self->record;
}

PsChecklist *
ps_acceptance_get_checklist (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), NULL);
  return self->checklist;
}

PsReasons *
ps_acceptance_get_reasons (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), NULL);
  return self->reasons;
}

GPtrArray *
ps_acceptance_get_risk_hits (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), NULL);
  return self->hits;
}

guint
ps_acceptance_get_risk_score (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), 0);
  return self->record.risk_score;
}

GPtrArray *
ps_acceptance_get_events (PsAcceptance *self)
{
  g_return_val_if_fail (PS_IS_ACCEPTANCE (self), NULL);
  return self->events;
}
