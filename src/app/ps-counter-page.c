/* ps-counter-page.c — the counter screen.
 *
 * One PsAcceptance at a time, fed by the scanner, the scale and the clerk's
 * typing. The page never decides what is allowed: it asks the acceptance
 * (ps_acceptance_can_accept () and friends) and shows the answer, so the
 * mandatory inspection cannot be skipped from here. Every query runs on the
 * store worker. A decision that cannot be saved (a full disk) stays on the
 * screen, decided, until "Retry saving" succeeds: recording is idempotent.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-weight.h"
#include "ps-counter-page.h"
#include "ps-form-dialog.h"
#include "ps-main-window.h"
#include "ps-pages.h"

#define WEIGHT_TICK_MS 100

struct _PsCounterPage
{
  GtkBox parent_instance;

  PsApplication *application;
  PsMainWindow *window;

  PsAcceptance *acceptance;
  PsCccd *scanned_cccd; /* the card behind the sender fields, if scanned */
  char *last_scan;      /* the last scan's text and when it came (monotonic) */
  gint64 last_scan_us;
  PsStableWeight detector; /* captures a weight once stable */
  gint64 stable_mg;        /* the value captured while it stays stable, or 0 */
  gint64 captured_mono;    /* when it was captured (monotonic) */
  gint64 decided_mono;     /* when the last decision was saved: older captures are stale */
  gboolean scale_present;
  gboolean checking_tracking;
  gboolean recording;
  gint64 parcel_id; /* once recorded */
  PsParcelDetail *detail;
  guint weight_tick;
  gboolean updating_answers;
  GPtrArray *yes_buttons; /* GtkToggleButton, one per checklist item */
  GPtrArray *no_buttons;
  guint32 sim_serial;

  GtkLabel *step_item, *step_sender, *step_recipient, *step_weight, *step_declaration,
      *step_inspection, *step_decision;
  GtkLabel *risk_label;
  GtkLabel *risk_reasons_label;
  GtkScrolledWindow *scroller;

  GtkWidget *item_section, *sender_section, *recipient_section, *weight_section,
      *declaration_section, *inspection_section, *decision_section;

  GtkEntry *tracking_entry;
  GtkLabel *tracking_status;
  GtkButton *new_button;

  GtkLabel *sender_hint;
  GtkEntry *sender_id_entry, *sender_name_entry, *sender_address_entry, *sender_phone_entry;
  GtkLabel *sender_error;
  GtkButton *sender_button;

  GtkEntry *recipient_name_entry, *recipient_address_entry, *recipient_phone_entry,
      *recipient_country_entry;
  GtkLabel *recipient_error;
  GtkButton *recipient_button;

  GtkLabel *weight_label, *weight_state_label;
  GtkEntry *manual_weight_entry, *manual_note_entry;
  GtkComboBoxText *manual_reason_combo;
  GtkLabel *weight_error;
  GtkButton *manual_weight_button;

  GtkComboBoxText *category_combo;
  GtkEntry *description_entry, *value_entry;
  GtkSpinButton *quantity_spin;
  GtkLabel *declaration_error;
  GtkButton *declaration_button;

  GtkGrid *checklist_grid;
  GtkLabel *inspection_hint;

  GtkLabel *decision_hint;
  GtkButton *accept_button, *refuse_button, *hold_button, *retry_button;
  GtkLabel *decision_error;
  GtkWidget *done_box;
  GtkLabel *done_label;
  GtkButton *print_button, *pdf_button, *next_button;

  GtkRevealer *training_revealer;
  GtkEntry *sim_weight_entry;
};

G_DEFINE_FINAL_TYPE (PsCounterPage, ps_counter_page, GTK_TYPE_BOX)

static void refresh (PsCounterPage *self);
static void record_decision (PsCounterPage *self);

static gint64
now_us (void)
{
  return g_get_real_time ();
}

static const PsSession *
session (PsCounterPage *self)
{
  return ps_application_get_session (self->application);
}

static const PsAcceptanceRecord *
record_of (PsCounterPage *self)
{
  return self->acceptance != NULL ? ps_acceptance_get_record (self->acceptance) : NULL;
}

static gboolean
decided (PsCounterPage *self)
{
  return self->acceptance != NULL &&
         ps_acceptance_get_decision (self->acceptance) != PS_DECISION_NONE;
}

/* ---- Showing the state --------------------------------------------------- */

static void
set_class (GtkWidget *widget, const char *name, gboolean on)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  if (on)
    gtk_style_context_add_class (style, name);
  else
    gtk_style_context_remove_class (style, name);
}

static gboolean
step_done (PsCounterPage *self, PsStep step)
{
  const PsAcceptanceRecord *record = record_of (self);
  if (record == NULL)
    return FALSE;
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
        return ps_acceptance_get_step (self->acceptance) >= PS_STEP_DECISION;
      case PS_STEP_DECISION:
      case PS_STEP_DONE:
        return self->parcel_id != 0; /* decided and saved */
    }
  return FALSE;
}

static void
refresh_steps (PsCounterPage *self)
{
  GtkLabel *labels[] = { self->step_item,    self->step_sender,      self->step_recipient,
                         self->step_weight,  self->step_declaration, self->step_inspection,
                         self->step_decision };
  PsStep current =
      self->acceptance != NULL ? ps_acceptance_get_step (self->acceptance) : PS_STEP_ITEM;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gboolean done = step_done (self, (PsStep) i);
      g_autofree char *text =
          g_strdup_printf ("%s %u. %s", done ? "✔" : "○", i + 1, ps_step_label ((PsStep) i));
      gtk_label_set_text (labels[i], text);
      set_class (GTK_WIDGET (labels[i]), "step-done", done);
      set_class (GTK_WIDGET (labels[i]), "step-current", (PsStep) i == current);
    }
}

static void
refresh_risk (PsCounterPage *self)
{
  if (self->acceptance == NULL)
    {
      gtk_label_set_text (self->risk_label, "");
      gtk_label_set_text (self->risk_reasons_label, "");
      return;
    }
  const PsAcceptanceRecord *record = record_of (self);
  guint score = ps_acceptance_get_risk_score (self->acceptance);
  g_autofree char *text = g_strdup_printf (_ ("Score %u of %u"), score, record->risk_threshold);
  gtk_label_set_text (self->risk_label, text);
  set_class (GTK_WIDGET (self->risk_label), "risk-high",
             ps_acceptance_needs_override (self->acceptance));

  GPtrArray *hits = ps_acceptance_get_risk_hits (self->acceptance);
  GString *reasons = g_string_new (NULL);
  const char *language = ps_current_language ();
  for (guint i = 0; i < hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (hits, i);
      g_string_append_printf (reasons, "• %s (+%u)\n",
                              ps_pick_language (language, hit->reason_vi, hit->reason_en),
                              hit->score);
    }
  if (hits->len == 0)
    g_string_append (reasons, _ ("No risk indicator."));
  gtk_label_set_text (self->risk_reasons_label, g_strstrip (reasons->str));
  g_string_free (reasons, TRUE);
}

static void
refresh_answers (PsCounterPage *self)
{
  const PsAcceptanceRecord *record = record_of (self);
  self->updating_answers = TRUE;
  for (guint i = 0; i < self->yes_buttons->len; i++)
    {
      PsAnswer answer = record != NULL ? record->answers[i] : PS_ANSWER_NONE;
      gtk_toggle_button_set_active (g_ptr_array_index (self->yes_buttons, i),
                                    answer == PS_ANSWER_YES);
      gtk_toggle_button_set_active (g_ptr_array_index (self->no_buttons, i),
                                    answer == PS_ANSWER_NO);
    }
  self->updating_answers = FALSE;
}

static void
refresh_decision (PsCounterPage *self)
{
  g_autoptr (GError) accept_error = NULL;
  g_autoptr (GError) refuse_error = NULL;
  g_autoptr (GError) hold_error = NULL;
  gboolean open = self->acceptance != NULL && !decided (self) && !self->recording;
  gboolean override = self->acceptance != NULL && ps_acceptance_needs_override (self->acceptance);

  /* A high-risk accept is possible with a supervisor's approval: ask without one. */
  gboolean can_accept = open && ps_acceptance_can_accept (self->acceptance, NULL, &accept_error);
  if (!can_accept && override && accept_error != NULL && open)
    {
      g_autoptr (GError) with_override = NULL;
      PsActor placeholder = { .user_id = -1, .login = (char *) "", .role = PS_ROLE_SUPERVISOR };
      if (ps_acceptance_can_accept (self->acceptance, &placeholder, &with_override))
        can_accept = TRUE;
    }
  gboolean can_refuse = open && ps_acceptance_can_refuse (self->acceptance, &refuse_error);
  gboolean can_hold = open && ps_acceptance_can_hold (self->acceptance, &hold_error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), can_accept);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refuse_button), can_refuse);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_button), can_hold);
  /* Approval is offered only where it could make the accept possible: not
   * beside a failed inspection item, which the risk now counts too. */
  gtk_button_set_label (self->accept_button, override && can_accept
                                                 ? _ ("_Accept with a supervisor’s approval…")
                                                 : _ ("_Accept"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->accept_button),
                               accept_error != NULL ? accept_error->message : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->refuse_button),
                               refuse_error != NULL ? refuse_error->message : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hold_button),
                               hold_error != NULL ? hold_error->message : NULL);

  /* The reason in words too: a tooltip is not seen from the keyboard. */
  if (self->acceptance == NULL)
    gtk_label_set_text (self->decision_hint, "");
  else if (decided (self))
    gtk_label_set_text (self->decision_hint, "");
  else if (accept_error != NULL && !can_accept)
    gtk_label_set_text (self->decision_hint, accept_error->message);
  else if (override)
    gtk_label_set_text (self->decision_hint,
                        _ ("High risk: hold the parcel, or accept only with a supervisor’s "
                           "approval."));
  else
    gtk_label_set_text (self->decision_hint, _ ("Ready: accept, refuse or hold."));
}

static void
refresh (PsCounterPage *self)
{
  gboolean has_tracking = record_of (self) != NULL && record_of (self)->tracking != NULL;
  gboolean editable = has_tracking && !decided (self);
  GtkWidget *sections[] = { self->sender_section, self->recipient_section, self->weight_section,
                            self->declaration_section, self->inspection_section };

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    gtk_widget_set_sensitive (sections[i], editable);
  /* The sender consents to the check, and the contents are compared with the
   * declaration: both come first. */
  gboolean ready =
      has_tracking && record_of (self)->sender_id != NULL && record_of (self)->has_declaration;
  gboolean can_inspect = editable && ready;
  gtk_widget_set_sensitive (GTK_WIDGET (self->checklist_grid), can_inspect);
  gtk_label_set_text (self->inspection_hint,
                      ready || !has_tracking
                          ? _ ("Ask, open and check in front of the sender. Answer every "
                               "item: there is no default.")
                          : _ ("First identify the sender and record the declaration: "
                               "the sender consents to the check, and the contents are "
                               "compared with what was declared."));
  gtk_editable_set_editable (GTK_EDITABLE (self->tracking_entry), !has_tracking);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_button), has_tracking);
  refresh_steps (self);
  refresh_risk (self);
  refresh_decision (self);
}

static void
acceptance_changed_cb (PsAcceptance *acceptance, PsCounterPage *self)
{
  (void) acceptance;
  refresh_answers (self);
  refresh (self);
}

/* Moves the focus to the first field of the first step still to do. */
static void
focus_next_step (PsCounterPage *self)
{
  if (self->acceptance == NULL)
    return;
  GtkWidget *target = NULL;
  switch (ps_acceptance_get_step (self->acceptance))
    {
      case PS_STEP_ITEM:
        target = GTK_WIDGET (self->tracking_entry);
        break;
      case PS_STEP_SENDER:
        target = GTK_WIDGET (self->sender_id_entry);
        break;
      case PS_STEP_RECIPIENT:
        target = GTK_WIDGET (self->recipient_name_entry);
        break;
      case PS_STEP_WEIGHT:
        target = GTK_WIDGET (self->manual_weight_entry);
        break;
      case PS_STEP_DECLARATION:
        target = GTK_WIDGET (gtk_combo_box_get_active (GTK_COMBO_BOX (self->category_combo)) < 0
                                 ? GTK_WIDGET (self->category_combo)
                                 : GTK_WIDGET (self->description_entry));
        break;
      case PS_STEP_INSPECTION:
        for (guint i = 0; i < self->yes_buttons->len; i++)
          if (record_of (self)->answers[i] == PS_ANSWER_NONE)
            {
              target = g_ptr_array_index (self->yes_buttons, i);
              break;
            }
        break;
      case PS_STEP_DECISION:
        target = gtk_widget_get_sensitive (GTK_WIDGET (self->accept_button))
                     ? GTK_WIDGET (self->accept_button)
                     : GTK_WIDGET (self->hold_button);
        break;
      case PS_STEP_DONE:
        target = GTK_WIDGET (self->next_button);
        break;
    }
  if (target != NULL && gtk_widget_is_sensitive (target))
    gtk_widget_grab_focus (target);
}

static gboolean
grab_focus_cb (gpointer data)
{
  if (gtk_widget_get_mapped (data))
    gtk_widget_grab_focus (data);
  return G_SOURCE_REMOVE;
}

/* Focuses a widget just shown, once it has its place on screen, so that the
 * page scrolls to it. */
static void
focus_when_shown (GtkWidget *widget)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grab_focus_cb, g_object_ref (widget), g_object_unref);
}

/* ---- Starting and ending --------------------------------------------------- */

static void
clear_entry (GtkEntry *entry)
{
  gtk_entry_set_text (entry, "");
}

static void
clear_form (PsCounterPage *self)
{
  GtkEntry *entries[] = {
    self->tracking_entry,          self->sender_id_entry,       self->sender_name_entry,
    self->sender_address_entry,    self->sender_phone_entry,    self->recipient_name_entry,
    self->recipient_address_entry, self->recipient_phone_entry, self->manual_weight_entry,
    self->manual_note_entry,       self->description_entry,     self->value_entry,
  };
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    clear_entry (entries[i]);
  gtk_entry_set_text (self->recipient_country_entry, "VN");
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->manual_reason_combo), -1);
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->category_combo), -1);
  gtk_spin_button_set_value (self->quantity_spin, 1);
  GtkLabel *errors[] = { self->sender_error, self->recipient_error, self->weight_error,
                         self->declaration_error, self->decision_error };
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    ps_page_set_error (errors[i], NULL);
  gtk_label_set_text (self->tracking_status, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->sender_id_entry), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sender_name_entry), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sender_address_entry), TRUE);
  gtk_widget_hide (self->done_box);
  gtk_widget_hide (GTK_WIDGET (self->retry_button));
  g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
  g_clear_pointer (&self->detail, ps_parcel_detail_free);
  self->parcel_id = 0;
  self->recording = FALSE;
}

static void
drop_acceptance (PsCounterPage *self)
{
  if (self->acceptance != NULL)
    g_signal_handlers_disconnect_by_data (self->acceptance, self);
  g_clear_object (&self->acceptance);
}

void
ps_counter_page_start (PsCounterPage *self)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  const PsSession *current = session (self);
  g_return_if_fail (current != NULL);

  drop_acceptance (self);
  clear_form (self);
  self->acceptance = ps_acceptance_new (
      ps_application_get_checklist (self->application),
      ps_application_get_rules (self->application), ps_application_get_reasons (self->application),
      ps_application_get_watchlist (self->application), current->actor, now_us ());
  g_signal_connect (self->acceptance, "changed", G_CALLBACK (acceptance_changed_cb), self);
  refresh_answers (self);
  refresh (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->tracking_entry));
}

void
ps_counter_page_stop (PsCounterPage *self)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  drop_acceptance (self);
  clear_form (self);
  refresh_answers (self);
  refresh (self);
}

gboolean
ps_counter_page_has_work (PsCounterPage *self)
{
  g_return_val_if_fail (PS_IS_COUNTER_PAGE (self), FALSE);
  const PsAcceptanceRecord *record = record_of (self);
  return record != NULL && record->tracking != NULL && self->parcel_id == 0;
}

static gboolean
discard_apply (PsFormDialog *dialog, gpointer owner)
{
  (void) dialog;
  ps_counter_page_start (PS_COUNTER_PAGE (owner));
  return TRUE;
}

static void
new_clicked_cb (PsCounterPage *self)
{
  if (self->recording || (decided (self) && self->parcel_id == 0))
    {
      /* Decided but not saved: never thrown away from here. */
      ps_page_set_error (self->decision_error,
                         _ ("This decision is not saved yet: press “Retry saving” first."));
      return;
    }
  if (!ps_counter_page_has_work (self))
    {
      ps_counter_page_start (self);
      return;
    }
  PsFormDialog *dialog = ps_form_dialog_new (
      GTK_WINDOW (self->window), _ ("Discard the acceptance?"),
      _ ("Discard the acceptance in progress? Nothing of it has been recorded. A parcel that is "
         "not accepted must be refused or held, not discarded."),
      _ ("_Discard"));
  ps_form_dialog_hide_note (dialog);
  ps_form_dialog_present (dialog, discard_apply, self);
}

/* ---- Tracking number ------------------------------------------------------- */

static void
tracking_changed_cb (PsCounterPage *self)
{
  const char *text = gtk_entry_get_text (self->tracking_entry);
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->tracking_entry));

  if (record_of (self) != NULL && record_of (self)->tracking != NULL)
    return;
  gtk_style_context_remove_class (style, "error");
  if (*text == '\0')
    {
      gtk_label_set_text (self->tracking_status, "");
      return;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (PsTracking) tracking = ps_tracking_parse (
      text, -1, ps_config_get_tracking_formats (ps_application_get_config (self->application)),
      &error);
  if (tracking != NULL)
    {
      const char *service = ps_s10_service_describe (tracking->service);
      g_autofree char *status =
          tracking->kind == PS_TRACKING_KIND_S10
              ? g_strdup_printf (_ ("✔ Valid UPU S10 number: %s, %s. Press Enter."),
                                 service != NULL ? service : tracking->service, tracking->country)
              : g_strdup_printf (_ ("✔ Valid %s number. Press Enter."), tracking->format_name);
      gtk_label_set_text (self->tracking_status, status);
      return;
    }
  /* While typing, only a full-length number is judged. */
  g_autofree char *compact = g_strdelimit (g_ascii_strup (text, -1), " -", ' ');
  guint letters_digits = 0;
  for (const char *p = compact; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      letters_digits++;
  if (letters_digits >= 13)
    {
      gtk_style_context_add_class (style, "error");
      gtk_label_set_text (self->tracking_status, error->message);
    }
  else
    gtk_label_set_text (self->tracking_status, _ ("Keep typing: 2 letters, 9 digits, 2 letters."));
}

typedef struct
{
  PsTracking *tracking;
} TrackingCheck;

static gpointer
find_decided_job (PsStore *store, gpointer data, GError **error)
{
  PsTracking *tracking = data;
  gint64 found = ps_store_find_decided (store, tracking->code, error);
  if (found < 0)
    return NULL;
  return g_memdup2 (&found, sizeof found);
}

static void apply_pending_weight (PsCounterPage *self);

static void
find_decided_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsCounterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *found = ps_store_worker_finish (PS_STORE_WORKER (source), result, &error);
  g_autoptr (PsTracking) tracking = g_object_steal_data (G_OBJECT (self), "checking");

  self->checking_tracking = FALSE;
  if (self->acceptance == NULL || tracking == NULL)
    return;
  if (found == NULL)
    {
      gtk_label_set_text (self->tracking_status, error->message);
      return;
    }
  if (*found > 0)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("%s has already been accepted or held at this counter; the same number cannot be "
             "accepted twice. Check the label, or call the supervisor."),
          tracking->code);
      gtk_label_set_text (self->tracking_status, message);
      set_class (GTK_WIDGET (self->tracking_entry), "error", TRUE);
      return;
    }
  if (!ps_acceptance_set_tracking (self->acceptance, tracking, now_us (), &error))
    {
      gtk_label_set_text (self->tracking_status, error->message);
      return;
    }
  gtk_entry_set_text (self->tracking_entry, tracking->code);
  g_autofree char *status = g_strdup_printf (_ ("Tracking number %s"), tracking->code);
  gtk_label_set_text (self->tracking_status, status);
  apply_pending_weight (self);
  focus_next_step (self);
}

static void
submit_tracking (PsCounterPage *self, const char *text, const char *symbology, gboolean scanned)
{
  g_autoptr (GError) error = NULL;

  if (self->acceptance == NULL || self->checking_tracking)
    return;
  const PsAcceptanceRecord *record = record_of (self);
  g_autoptr (PsTracking) tracking = ps_tracking_parse (
      text, -1, ps_config_get_tracking_formats (ps_application_get_config (self->application)),
      &error);
  if (tracking == NULL)
    {
      if (record->tracking == NULL)
        {
          gtk_entry_set_text (self->tracking_entry, text);
          set_class (GTK_WIDGET (self->tracking_entry), "error", TRUE);
        }
      g_autofree char *message = g_strdup_printf (_ ("Not a tracking number: %s"), error->message);
      gtk_label_set_text (self->tracking_status, message);
      return;
    }
  if (symbology != NULL)
    {
      g_free (tracking->symbology);
      tracking->symbology = g_strdup (symbology);
    }
  tracking->scanned = scanned;

  if (record->tracking != NULL)
    {
      if (g_strcmp0 (record->tracking->code, tracking->code) == 0)
        return; /* the same label scanned twice */
      if (self->parcel_id == 0)
        {
          g_autofree char *message = g_strdup_printf (
              _ ("%s was scanned, but the acceptance of %s is not finished: decide it first, "
                 "or press “New acceptance” to discard it."),
              tracking->code, record->tracking->code);
          gtk_label_set_text (self->tracking_status, message);
          return;
        }
      /* The last parcel is recorded: this scan starts the next. */
      ps_counter_page_start (self);
    }

  self->checking_tracking = TRUE;
  g_object_set_data_full (G_OBJECT (self), "checking", ps_tracking_copy (tracking),
                          (GDestroyNotify) ps_tracking_free);
  ps_page_run (self->application, GTK_WIDGET (self), "find a decided tracking number",
               find_decided_job, g_steal_pointer (&tracking), (GDestroyNotify) ps_tracking_free,
               g_free, find_decided_done_cb);
}

static void
tracking_activate_cb (PsCounterPage *self)
{
  g_autofree char *text = ps_page_entry_text (self->tracking_entry);
  if (*text != '\0')
    submit_tracking (self, text, NULL, FALSE);
}

/* ---- Sender ------------------------------------------------------------------ */

static gpointer
sender_history_job (PsStore *store, gpointer data, GError **error)
{
  char **input = data; /* sender id, since (as text) */
  gint64 since = g_ascii_strtoll (input[1], NULL, 10);
  return ps_store_sender_history (store, input[0], since, error);
}

static void
sender_history_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsCounterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) history = ps_store_worker_finish (PS_STORE_WORKER (source), result, &error);

  if (history == NULL)
    {
      ps_page_set_error (self->sender_error, error->message);
      return;
    }
  if (self->acceptance != NULL && !decided (self))
    ps_acceptance_set_sender_history (self->acceptance, (const char *const *) history);
}

static void
load_sender_history (PsCounterPage *self)
{
  const PsAcceptanceRecord *record = record_of (self);
  guint hours = ps_rules_get_repeat_window_hours (ps_application_get_rules (self->application));
  char **input = g_new0 (char *, 3);
  input[0] = g_strdup (record->sender_id);
  input[1] =
      g_strdup_printf ("%lld", (long long) (now_us () - (gint64) hours * 3600 * G_USEC_PER_SEC));
  ps_page_run (self->application, GTK_WIDGET (self), "sender history", sender_history_job, input,
               (GDestroyNotify) g_strfreev, (GDestroyNotify) g_strfreev, sender_history_done_cb);
}

static void
sender_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = ps_page_entry_text (self->sender_id_entry);
  g_autofree char *name = ps_page_entry_text (self->sender_name_entry);
  g_autofree char *address = ps_page_entry_text (self->sender_address_entry);
  g_autofree char *phone = ps_page_entry_text (self->sender_phone_entry);
  gboolean ok;

  if (self->acceptance == NULL)
    return;
  if (self->scanned_cccd != NULL && g_strcmp0 (id, self->scanned_cccd->id_number) == 0)
    ok = ps_acceptance_set_sender_cccd (self->acceptance, self->scanned_cccd, phone, now_us (),
                                        &error);
  else
    ok = ps_acceptance_set_sender_typed (self->acceptance, id, name, address, phone, now_us (),
                                         &error);
  ps_page_set_error (self->sender_error, ok ? NULL : error->message);
  if (!ok)
    return;
  load_sender_history (self);
  focus_next_step (self);
}

static void
handle_cccd (PsCounterPage *self, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) today_time = g_date_time_new_now_local ();
  PsDate today = { .year = g_date_time_get_year (today_time),
                   .month = g_date_time_get_month (today_time),
                   .day = g_date_time_get_day_of_month (today_time) };
  g_autoptr (PsCccd) cccd = ps_cccd_parse (text, -1, &today, &error);

  if (cccd == NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The ID card could not be read: %s Scan it again or type the "
                              "details."),
                           error->message);
      ps_page_set_error (self->sender_error, message);
      return;
    }
  if (record_of (self) == NULL || record_of (self)->tracking == NULL)
    {
      ps_page_set_error (self->sender_error, _ ("Scan the parcel’s tracking number first, then "
                                                "the sender’s ID card."));
      return;
    }
  gtk_entry_set_text (self->sender_id_entry, cccd->id_number);
  gtk_entry_set_text (self->sender_name_entry, cccd->full_name);
  gtk_entry_set_text (self->sender_address_entry, cccd->address);
  g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
  self->scanned_cccd = g_steal_pointer (&cccd);
  ps_page_set_error (self->sender_error, NULL);
  gtk_label_set_text (self->sender_hint,
                      _ ("Read from the ID card. Ask for the sender’s phone number and confirm."));
  gtk_widget_grab_focus (GTK_WIDGET (self->sender_phone_entry));
}

static void
sender_id_changed_cb (PsCounterPage *self)
{
  /* Typing over a scanned number makes the sender typed. */
  if (self->scanned_cccd != NULL &&
      g_strcmp0 (gtk_entry_get_text (self->sender_id_entry), self->scanned_cccd->id_number) != 0)
    {
      g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
      gtk_label_set_text (self->sender_hint,
                          _ ("Scan the QR code of the sender’s citizen ID card (CCCD), or type "
                             "the details."));
    }
}

/* ---- Recipient ------------------------------------------------------------- */

static void
recipient_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = ps_page_entry_text (self->recipient_name_entry);
  g_autofree char *address = ps_page_entry_text (self->recipient_address_entry);
  g_autofree char *phone = ps_page_entry_text (self->recipient_phone_entry);
  g_autofree char *country_text = ps_page_entry_text (self->recipient_country_entry);
  g_autofree char *country = g_ascii_strup (country_text, -1);

  if (self->acceptance == NULL)
    return;
  gboolean ok = ps_acceptance_set_recipient (self->acceptance, name, address, phone, country,
                                             now_us (), &error);
  ps_page_set_error (self->recipient_error, ok ? NULL : error->message);
  if (ok)
    focus_next_step (self);
}

/* ---- Weight ------------------------------------------------------------------- */

static void
apply_pending_weight (PsCounterPage *self)
{
  const PsAcceptanceRecord *record = record_of (self);
  g_autoptr (GError) error = NULL;

  if (self->stable_mg <= 0 || record == NULL || record->tracking == NULL || decided (self))
    return;
  if (self->captured_mono <= self->decided_mono)
    return; /* the last parcel, still on the scale */
  if (record->weight_source == PS_WEIGHT_SOURCE_SCALE && record->weight_mg == self->stable_mg)
    return;
  if (record->weight_source == PS_WEIGHT_SOURCE_MANUAL)
    return; /* the clerk chose to type it */
  if (!ps_acceptance_set_stable_weight (self->acceptance, self->stable_mg, now_us (), &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      return;
    }
  ps_page_set_error (self->weight_error, NULL);
  g_autofree char *text = ps_weight_format (self->stable_mg);
  g_autofree char *state = g_strdup_printf (_ ("Captured from the scale: %s"), text);
  gtk_label_set_text (self->weight_state_label, state);
  if (ps_acceptance_get_step (self->acceptance) == PS_STEP_DECLARATION ||
      ps_acceptance_get_step (self->acceptance) == PS_STEP_WEIGHT)
    focus_next_step (self);
}

static void
captured (PsCounterPage *self, gint64 milligrams)
{
  self->stable_mg = milligrams;
  self->captured_mono = g_get_monotonic_time ();
  apply_pending_weight (self);
}

/* Whether the acceptance holds a typed weight: then the large figure shows
 * it, the weight that will be recorded, whatever the scale reads. */
static gboolean
weight_is_typed (PsCounterPage *self)
{
  return self->acceptance != NULL &&
         ps_acceptance_get_record (self->acceptance)->weight_source == PS_WEIGHT_SOURCE_MANUAL;
}

static void
show_typed_weight (PsCounterPage *self, gint64 scale_milligrams, gboolean scale_reads)
{
  const PsAcceptanceRecord *record = ps_acceptance_get_record (self->acceptance);
  g_autofree char *typed = ps_weight_format (record->weight_mg);
  gtk_label_set_text (self->weight_label, typed);
  set_class (GTK_WIDGET (self->weight_label), "stable", TRUE);
  g_autofree char *scale = scale_reads ? ps_weight_format (scale_milligrams) : NULL;
  g_autofree char *state =
      scale != NULL
          ? g_strdup_printf (_ ("Typed by hand; this is recorded (the scale shows %s)"), scale)
          : g_strdup (_ ("Typed by hand; this is recorded"));
  gtk_label_set_text (self->weight_state_label, state);
}

void
ps_counter_page_handle_weight (PsCounterPage *self, int status, gint64 milligrams)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  gint64 value = 0;

  if (weight_is_typed (self))
    {
      show_typed_weight (self, milligrams, status != 0);
      return;
    }
  if (status == 0)
    {
      ps_stable_weight_init (&self->detector, self->detector.hold_us);
      self->stable_mg = 0;
      gtk_label_set_text (self->weight_label, "—");
      gtk_label_set_text (self->weight_state_label,
                          self->scale_present ? "" : _ ("No scale: type the weight below"));
      return;
    }
  g_autofree char *text = ps_weight_format (milligrams);
  gtk_label_set_text (self->weight_label, text);
  set_class (GTK_WIDGET (self->weight_label), "stable", status == PS_SCALE_STABLE);
  gtk_label_set_text (self->weight_state_label, ps_scale_status_label (status));
  if (status != PS_SCALE_STABLE)
    self->stable_mg = 0;
  if (ps_stable_weight_feed (&self->detector, status, milligrams, g_get_monotonic_time (), &value))
    captured (self, value);
}

static gboolean
weight_tick_cb (gpointer user_data)
{
  PsCounterPage *self = user_data;
  gint64 value = 0;
  if (ps_stable_weight_tick (&self->detector, g_get_monotonic_time (), &value))
    captured (self, value);
  return G_SOURCE_CONTINUE;
}

void
ps_counter_page_set_scale_present (PsCounterPage *self, gboolean present)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  if (self->scale_present == present)
    return;
  self->scale_present = present;
  if (!present)
    {
      ps_counter_page_handle_weight (self, 0, 0);
      if (gtk_combo_box_get_active (GTK_COMBO_BOX (self->manual_reason_combo)) < 0)
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->manual_reason_combo),
                                     ps_manual_weight_reason_to_id (PS_MANUAL_WEIGHT_NO_SCALE));
    }
  else
    gtk_label_set_text (self->weight_state_label, _ ("Put the parcel on the scale"));
}

static void
manual_weight_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *grams = ps_page_entry_text (self->manual_weight_entry);
  g_autofree char *note = ps_page_entry_text (self->manual_note_entry);
  const char *reason_id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->manual_reason_combo));
  PsManualWeightReason reason;
  gint64 milligrams;

  if (self->acceptance == NULL)
    return;
  if (!ps_weight_parse_grams (grams, &milligrams, &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->manual_weight_entry));
      return;
    }
  if (reason_id == NULL || !ps_manual_weight_reason_from_id (reason_id, &reason))
    {
      ps_page_set_error (self->weight_error, _ ("Choose why the weight is typed."));
      gtk_widget_grab_focus (GTK_WIDGET (self->manual_reason_combo));
      return;
    }
  if (!ps_acceptance_set_manual_weight (self->acceptance, milligrams, reason, note, now_us (),
                                        &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      return;
    }
  ps_page_set_error (self->weight_error, NULL);
  show_typed_weight (self, 0, FALSE);
  focus_next_step (self);
}

/* ---- Declaration -------------------------------------------------------------- */

/* "1.500.000", "1 500 000" and "1500000" are the same number of dong. */
static gboolean
parse_dong (const char *text, gint64 *value)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" .,", *p) == NULL)
        return FALSE;
    }
  if (digits->len == 0 || digits->len > 15)
    return FALSE;
  *value = g_ascii_strtoll (digits->str, NULL, 10);
  return TRUE;
}

static void
declaration_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  const char *category_id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->category_combo));
  g_autofree char *description = ps_page_entry_text (self->description_entry);
  g_autofree char *value_text = ps_page_entry_text (self->value_entry);
  PsCategory category;
  gint64 value = 0;

  if (self->acceptance == NULL)
    return;
  if (category_id == NULL || !ps_category_from_id (category_id, &category))
    {
      ps_page_set_error (self->declaration_error, _ ("Choose the category of the contents."));
      gtk_widget_grab_focus (GTK_WIDGET (self->category_combo));
      return;
    }
  if (*value_text != '\0' && !parse_dong (value_text, &value))
    {
      ps_page_set_error (self->declaration_error,
                         _ ("The value is a whole number of dong, such as 1.500.000."));
      gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
      return;
    }
  guint quantity = (guint) gtk_spin_button_get_value_as_int (self->quantity_spin);
  if (!ps_acceptance_set_declaration (self->acceptance, category, description, quantity, value,
                                      now_us (), &error))
    {
      ps_page_set_error (self->declaration_error, error->message);
      return;
    }
  ps_page_set_error (self->declaration_error, NULL);
  focus_next_step (self);
}

/* ---- Inspection --------------------------------------------------------------- */

static void
answer_toggled_cb (GtkToggleButton *button, PsCounterPage *self)
{
  if (self->updating_answers || self->acceptance == NULL)
    return;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "item-index"));
  gboolean yes = g_ptr_array_index (self->yes_buttons, index) == button;
  const PsChecklistItem *item =
      ps_checklist_get_item (ps_application_get_checklist (self->application), index);

  if (!gtk_toggle_button_get_active (button))
    {
      /* An answer is changed by choosing the other one, never taken back. */
      refresh_answers (self);
      return;
    }
  g_autoptr (GError) error = NULL;
  if (!ps_acceptance_answer (self->acceptance, item->id, yes ? PS_ANSWER_YES : PS_ANSWER_NO,
                             now_us (), &error))
    ps_page_set_error (self->decision_error, error->message);
  refresh_answers (self);
  refresh (self);
  if (index + 1 < self->yes_buttons->len)
    gtk_widget_grab_focus (g_ptr_array_index (self->yes_buttons, index + 1));
  else
    focus_next_step (self);
}

static void
build_checklist (PsCounterPage *self)
{
  PsChecklist *checklist = ps_application_get_checklist (self->application);
  const char *language = ps_current_language ();

  for (guint i = 0; i < ps_checklist_get_n_items (checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (checklist, i);
      const char *text = ps_pick_language (language, item->text_vi, item->text_en);
      g_autofree char *numbered = g_strdup_printf ("%u. %s", i + 1, text);
      GtkWidget *label = gtk_label_new (numbered);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (self->checklist_grid, label, 0, (int) i, 1, 1);

      for (int column = 1; column <= 2; column++)
        {
          gboolean yes = column == 1;
          GtkWidget *button = gtk_toggle_button_new_with_label (yes ? _ ("Yes") : _ ("No"));
          /* What a screen reader says: the answer and the question, as the
           * clerk reads them; never the item's internal id. */
          g_autofree char *name = g_strdup_printf (yes ? _ ("Yes: %s") : _ ("No: %s"), text);
          g_autofree char *description = g_strdup_printf (_ ("Inspection item %u of %u"), i + 1,
                                                          ps_checklist_get_n_items (checklist));
          atk_object_set_name (gtk_widget_get_accessible (button), name);
          atk_object_set_description (gtk_widget_get_accessible (button), description);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (button), "item-index", GUINT_TO_POINTER (i));
          g_signal_connect (button, "toggled", G_CALLBACK (answer_toggled_cb), self);
          gtk_style_context_add_class (gtk_widget_get_style_context (button),
                                       yes ? "answer-yes" : "answer-no");
          gtk_grid_attach (self->checklist_grid, button, column, (int) i, 1, 1);
          g_ptr_array_add (yes ? self->yes_buttons : self->no_buttons, button);
        }
    }
  gtk_widget_show_all (GTK_WIDGET (self->checklist_grid));
}

/* ---- Decision ----------------------------------------------------------------- */

typedef struct
{
  PsSession *session;
  PsAcceptance *acceptance;
} RecordJob;

static void
record_job_free (RecordJob *job)
{
  ps_session_free (job->session);
  g_object_unref (job->acceptance);
  g_free (job);
}

static gpointer
record_job (PsStore *store, gpointer data, GError **error)
{
  RecordJob *job = data;
  gint64 id = ps_store_record_decision (store, job->session, job->acceptance, error);
  if (id <= 0)
    return NULL;
  return ps_store_get_parcel (store, id, error);
}

static const char *
decision_words (PsDecision decision)
{
  switch (decision)
    {
      case PS_DECISION_ACCEPTED:
        return _ ("Accepted");
      case PS_DECISION_REFUSED:
        return _ ("Refused");
      case PS_DECISION_HELD:
        return _ ("Held — report queued for the police");
      case PS_DECISION_NONE:
        break;
    }
  return "";
}

static PsPrintout *
printout_for (PsCounterPage *self)
{
  PsPrintoutContext context;
  ps_application_get_printout_context (self->application, &context);
  if (self->detail->decision == PS_DECISION_HELD)
    return ps_printout_new_holding_record (self->detail, &context);
  return ps_printout_new_receipt (self->detail, &context);
}

static char *
printout_file_name (PsCounterPage *self)
{
  return g_strdup_printf (
      "%s-%s.pdf", self->detail->decision == PS_DECISION_HELD ? "bien-ban-tam-giu" : "bien-nhan",
      self->detail->tracking);
}

static void
record_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsCounterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  PsParcelDetail *detail = ps_store_worker_finish (PS_STORE_WORKER (source), result, &error);

  self->recording = FALSE;
  if (detail == NULL)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("The decision could not be saved: %s Everything on this screen is kept; press "
             "“Retry saving” when the problem is solved."),
          error->message);
      ps_page_set_error (self->decision_error, message);
      gtk_widget_show (GTK_WIDGET (self->retry_button));
      focus_when_shown (GTK_WIDGET (self->retry_button));
      refresh (self);
      return;
    }

  self->detail = detail;
  self->parcel_id = detail->parcel_id;
  self->decided_mono = g_get_monotonic_time ();
  ps_page_set_error (self->decision_error, NULL);
  gtk_widget_hide (GTK_WIDGET (self->retry_button));

  GString *outcome = g_string_new (NULL);
  g_string_append_printf (outcome, _ ("%s: %s. Recorded."), detail->tracking,
                          decision_words (detail->decision));
  gboolean paper = detail->decision != PS_DECISION_REFUSED;
  if (paper)
    {
      g_autoptr (PsPrintout) printout = printout_for (self);
      g_autofree char *name = printout_file_name (self);
      g_autoptr (GError) pdf_error = NULL;
      g_autofree char *saved =
          ps_application_save_pdf (self->application, printout, name, &pdf_error);
      if (saved != NULL)
        g_string_append_printf (outcome, " %s", _ ("A copy is saved as PDF."));
      else if (pdf_error != NULL)
        g_string_append_printf (outcome, " %s", pdf_error->message);
    }
  gtk_label_set_text (self->done_label, outcome->str);
  g_string_free (outcome, TRUE);
  gtk_button_set_label (self->print_button, detail->decision == PS_DECISION_HELD
                                                ? _ ("_Print the holding record")
                                                : _ ("_Print receipt"));
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), paper);
  gtk_widget_set_visible (GTK_WIDGET (self->pdf_button), paper);
  gtk_widget_show (self->done_box);
  refresh (self);
  ps_main_window_refresh_outbox (self->window);
  focus_when_shown (GTK_WIDGET (paper ? self->print_button : self->next_button));
}

static void
record_decision (PsCounterPage *self)
{
  const PsSession *current = session (self);
  if (current == NULL || self->acceptance == NULL || self->recording)
    return;
  RecordJob *job = g_new0 (RecordJob, 1);
  job->session = ps_session_copy (current);
  job->acceptance = g_object_ref (self->acceptance);
  self->recording = TRUE;
  refresh (self);
  ps_page_run (self->application, GTK_WIDGET (self), "record a decision", record_job, job,
               (GDestroyNotify) record_job_free, (GDestroyNotify) ps_parcel_detail_free,
               record_done_cb);
}

static void
retry_clicked_cb (PsCounterPage *self)
{
  record_decision (self);
}

typedef struct
{
  char *login;
  char *pin;
  PsLockoutPolicy policy;
} Approval;

static void
approval_free (Approval *approval)
{
  g_free (approval->login);
  if (approval->pin != NULL)
    sodium_memzero (approval->pin, strlen (approval->pin));
  g_free (approval->pin);
  g_free (approval);
}

static gpointer
authorize_job (PsStore *store, gpointer data, GError **error)
{
  Approval *approval = data;
  return ps_store_authorize (store, approval->login, approval->pin, PS_ROLE_SUPERVISOR,
                             &approval->policy, g_get_real_time (), error);
}

static void
authorize_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsCounterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (PsActor) supervisor =
      ps_store_worker_finish (PS_STORE_WORKER (source), result, &error);

  self->recording = FALSE;
  if (self->acceptance == NULL)
    return;
  if (supervisor == NULL || !ps_acceptance_accept (self->acceptance, supervisor, now_us (), &error))
    {
      ps_page_set_error (self->decision_error, error->message);
      refresh (self);
      return;
    }
  record_decision (self);
}

static gboolean
approval_apply (PsFormDialog *dialog, gpointer owner)
{
  PsCounterPage *self = owner;
  GtkEntry *login = g_object_get_data (G_OBJECT (dialog), "login");
  GtkEntry *pin = g_object_get_data (G_OBJECT (dialog), "pin");

  if (self->acceptance == NULL || decided (self))
    return TRUE;
  Approval *approval = g_new0 (Approval, 1);
  approval->login = ps_page_entry_text (login);
  approval->pin = g_strdup (gtk_entry_get_text (pin));
  ps_application_get_lockout_policy (self->application, &approval->policy);
  self->recording = TRUE;
  refresh (self);
  ps_page_run (self->application, GTK_WIDGET (self), "supervisor's approval", authorize_job,
               approval, (GDestroyNotify) approval_free, (GDestroyNotify) ps_actor_free,
               authorize_done_cb);
  return TRUE;
}

static void
ask_approval (PsCounterPage *self)
{
  g_autofree char *heading = g_strdup_printf (
      _ ("The risk score is %u, at or above %u. A supervisor who has seen the parcel approves "
         "its acceptance with their own PIN."),
      ps_acceptance_get_risk_score (self->acceptance), record_of (self)->risk_threshold);
  PsFormDialog *dialog = ps_form_dialog_new (GTK_WINDOW (self->window), _ ("Supervisor’s approval"),
                                             heading, _ ("_Approve"));
  GtkEntry *login = ps_form_dialog_add_entry (dialog, _ ("Supervisor’s _user"), NULL);
  GtkEntry *pin = ps_form_dialog_add_entry (dialog, _ ("Supervisor’s P_IN"), NULL);
  gtk_entry_set_visibility (pin, FALSE);
  gtk_entry_set_input_purpose (pin, GTK_INPUT_PURPOSE_PIN);
  ps_form_dialog_hide_note (dialog);

  g_object_set_data (G_OBJECT (dialog), "login", login);
  g_object_set_data (G_OBJECT (dialog), "pin", pin);
  ps_form_dialog_present (dialog, approval_apply, self);
}

static void
accept_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  if (self->acceptance == NULL || decided (self))
    return;
  if (ps_acceptance_needs_override (self->acceptance))
    {
      ask_approval (self);
      return;
    }
  if (!ps_acceptance_accept (self->acceptance, NULL, now_us (), &error))
    {
      ps_page_set_error (self->decision_error, error->message);
      return;
    }
  record_decision (self);
}

static gboolean
refuse_apply (PsFormDialog *dialog, gpointer owner)
{
  PsCounterPage *self = owner;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) reasons = ps_form_dialog_get_reasons (dialog);
  g_autofree char *note = ps_form_dialog_get_note (dialog);

  if (self->acceptance == NULL || decided (self))
    return TRUE;
  if (reasons[0] == NULL)
    {
      ps_form_dialog_set_error (dialog, _ ("Choose a reason."));
      return FALSE;
    }
  if (!ps_acceptance_refuse (self->acceptance, reasons[0], note, now_us (), &error))
    {
      ps_form_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  record_decision (self);
  return TRUE;
}

static void
refuse_clicked_cb (PsCounterPage *self)
{
  if (self->acceptance == NULL || decided (self))
    return;
  PsFormDialog *dialog = ps_form_dialog_new (
      GTK_WINDOW (self->window), _ ("Refuse the parcel"),
      _ ("Why is the parcel refused? The sender takes it back."), _ ("_Refuse"));
  ps_form_dialog_add_reasons (dialog, ps_application_get_reasons (self->application),
                              PS_REASON_REFUSE, FALSE);
  ps_form_dialog_present (dialog, refuse_apply, self);
}

static gboolean
hold_apply (PsFormDialog *dialog, gpointer owner)
{
  PsCounterPage *self = owner;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) reasons = ps_form_dialog_get_reasons (dialog);
  g_autofree char *note = ps_form_dialog_get_note (dialog);

  if (self->acceptance == NULL || decided (self))
    return TRUE;
  if (reasons[0] == NULL)
    {
      ps_form_dialog_set_error (dialog, _ ("Choose at least one reason."));
      return FALSE;
    }
  if (!ps_acceptance_hold (self->acceptance, (const char *const *) reasons, note, now_us (),
                           &error))
    {
      ps_form_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  record_decision (self);
  return TRUE;
}

static void
hold_clicked_cb (PsCounterPage *self)
{
  if (self->acceptance == NULL || decided (self))
    return;
  PsFormDialog *dialog = ps_form_dialog_new (
      GTK_WINDOW (self->window), _ ("Hold the parcel"),
      _ ("Why is the parcel held? It stays at the post office, a report goes to the police, and "
         "a holding record is printed for the signatures."),
      _ ("_Hold"));
  ps_form_dialog_add_reasons (dialog, ps_application_get_reasons (self->application),
                              PS_REASON_HOLD, TRUE);
  ps_form_dialog_present (dialog, hold_apply, self);
}

static void
print_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  if (self->detail == NULL)
    return;
  g_autoptr (PsPrintout) printout = printout_for (self);
  if (!ps_printout_print (printout, GTK_WINDOW (self->window), &error))
    ps_page_set_error (self->decision_error, error->message);
}

static void
pdf_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr (PsCounterPage) self = user_data;
  if (response == GTK_RESPONSE_ACCEPT && self->detail != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      g_autoptr (PsPrintout) printout = printout_for (self);
      if (path == NULL || !ps_printout_export_pdf (printout, path, &error))
        ps_page_set_error (self->decision_error,
                           error != NULL ? error->message : _ ("Choose a local file."));
    }
  g_object_unref (chooser);
}

static void
pdf_clicked_cb (PsCounterPage *self)
{
  if (self->detail == NULL)
    return;
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (_ ("Save as PDF"), GTK_WINDOW (self->window),
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  g_autofree char *name = printout_file_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (pdf_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Scans ------------------------------------------------------------------ */

void
ps_counter_page_handle_scan (PsCounterPage *self, const char *text, const char *symbology)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  if (self->acceptance == NULL)
    return;
  /* A scanner that reads one barcode twice (a second trigger, a label
   * passing the window twice) within a second made one scan. */
  gint64 now = g_get_monotonic_time ();
  if (g_strcmp0 (text, self->last_scan) == 0 && now - self->last_scan_us < G_USEC_PER_SEC)
    return;
  g_free (self->last_scan);
  self->last_scan = g_strdup (text);
  self->last_scan_us = now;
  /* A CCCD's QR code holds fields separated by '|'; a tracking number never does. */
  if (strchr (text, '|') != NULL)
    handle_cccd (self, text);
  else
    submit_tracking (self, text, symbology, TRUE);
}

/* ---- Training panel ---------------------------------------------------------- */

static void
sim_tracking_clicked_cb (PsCounterPage *self)
{
  char serial[9];
  guint32 n = (g_random_int () % 90000000u) + 10000000u;
  g_snprintf (serial, sizeof serial, "%08u", n + self->sim_serial++);
  g_autofree char *code = g_strdup_printf ("EE%s%uVN", serial, ps_s10_compute_check_digit (serial));
  ps_main_window_scan (self->window, code, "]C0");
}

static void
sim_cccd_clicked_cb (PsCounterPage *self)
{
  ps_main_window_scan (self->window,
                       "079190001234|023456789|Trần Thị Mai|02051990|Nữ|"
                       "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|10082021",
                       "]Q1");
}

static void
sim_weigh_clicked_cb (PsCounterPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *grams = ps_page_entry_text (self->sim_weight_entry);
  gint64 milligrams;
  if (!ps_weight_parse_grams (grams, &milligrams, &error))
    {
      ps_page_set_error (self->weight_error, error->message);
      return;
    }
  ps_counter_page_set_scale_present (self, TRUE);
  ps_main_window_weight (self->window, PS_SCALE_MOTION, milligrams / 2);
  ps_main_window_weight (self->window, PS_SCALE_STABLE, milligrams);
}

static void
sim_clear_clicked_cb (PsCounterPage *self)
{
  ps_main_window_weight (self->window, PS_SCALE_ZERO, 0);
}

/* ---- Construction -------------------------------------------------------------- */

static void
ps_counter_page_dispose (GObject *object)
{
  PsCounterPage *self = PS_COUNTER_PAGE (object);

  g_clear_handle_id (&self->weight_tick, g_source_remove);
  drop_acceptance (self);
  g_clear_pointer (&self->scanned_cccd, ps_cccd_free);
  g_clear_pointer (&self->last_scan, g_free);
  g_clear_pointer (&self->detail, ps_parcel_detail_free);
  g_clear_pointer (&self->yes_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->no_buttons, g_ptr_array_unref);
  G_OBJECT_CLASS (ps_counter_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsCounterPage, name)

static void
ps_counter_page_class_init (PsCounterPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_counter_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-counter-page.ui");
  BIND (step_item);
  BIND (step_sender);
  BIND (step_recipient);
  BIND (step_weight);
  BIND (step_declaration);
  BIND (step_inspection);
  BIND (step_decision);
  BIND (risk_label);
  BIND (risk_reasons_label);
  BIND (scroller);
  BIND (item_section);
  BIND (sender_section);
  BIND (recipient_section);
  BIND (weight_section);
  BIND (declaration_section);
  BIND (inspection_section);
  BIND (decision_section);
  BIND (tracking_entry);
  BIND (tracking_status);
  BIND (new_button);
  BIND (sender_hint);
  BIND (sender_id_entry);
  BIND (sender_name_entry);
  BIND (sender_address_entry);
  BIND (sender_phone_entry);
  BIND (sender_error);
  BIND (sender_button);
  BIND (recipient_name_entry);
  BIND (recipient_address_entry);
  BIND (recipient_phone_entry);
  BIND (recipient_country_entry);
  BIND (recipient_error);
  BIND (recipient_button);
  BIND (weight_label);
  BIND (weight_state_label);
  BIND (manual_weight_entry);
  BIND (manual_note_entry);
  BIND (manual_reason_combo);
  BIND (weight_error);
  BIND (manual_weight_button);
  BIND (category_combo);
  BIND (description_entry);
  BIND (value_entry);
  BIND (quantity_spin);
  BIND (declaration_error);
  BIND (declaration_button);
  BIND (checklist_grid);
  BIND (inspection_hint);
  BIND (decision_hint);
  BIND (accept_button);
  BIND (refuse_button);
  BIND (hold_button);
  BIND (retry_button);
  BIND (decision_error);
  BIND (done_box);
  BIND (done_label);
  BIND (print_button);
  BIND (pdf_button);
  BIND (next_button);
  BIND (training_revealer);
  BIND (sim_weight_entry);
  gtk_widget_class_bind_template_callback (widget_class, new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sender_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, recipient_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, manual_weight_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, declaration_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refuse_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, hold_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pdf_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_tracking_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_cccd_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_weigh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sim_clear_clicked_cb);
}

static void
ps_counter_page_init (PsCounterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->yes_buttons = g_ptr_array_new ();
  self->no_buttons = g_ptr_array_new ();
  /* The field with the focus is scrolled into view. */
  GtkWidget *viewport = gtk_bin_get_child (GTK_BIN (self->scroller));
  gtk_container_set_focus_vadjustment (GTK_CONTAINER (gtk_bin_get_child (GTK_BIN (viewport))),
                                       gtk_scrolled_window_get_vadjustment (self->scroller));

  for (int reason = PS_MANUAL_WEIGHT_NO_SCALE; reason <= PS_MANUAL_WEIGHT_OTHER; reason++)
    gtk_combo_box_text_append (self->manual_reason_combo,
                               ps_manual_weight_reason_to_id ((PsManualWeightReason) reason),
                               ps_manual_weight_reason_label ((PsManualWeightReason) reason));
  for (int category = 0; category < PS_CATEGORY_COUNT; category++)
    gtk_combo_box_text_append (self->category_combo, ps_category_to_id ((PsCategory) category),
                               ps_category_label ((PsCategory) category));

  g_signal_connect_swapped (self->tracking_entry, "changed", G_CALLBACK (tracking_changed_cb),
                            self);
  g_signal_connect_swapped (self->tracking_entry, "activate", G_CALLBACK (tracking_activate_cb),
                            self);
  g_signal_connect_swapped (self->sender_id_entry, "changed", G_CALLBACK (sender_id_changed_cb),
                            self);
  /* Enter in a section's fields confirms the section. */
  struct
  {
    GtkEntry *entry;
    GCallback callback;
  } enter[] = {
    { self->sender_id_entry, G_CALLBACK (sender_clicked_cb) },
    { self->sender_name_entry, G_CALLBACK (sender_clicked_cb) },
    { self->sender_address_entry, G_CALLBACK (sender_clicked_cb) },
    { self->sender_phone_entry, G_CALLBACK (sender_clicked_cb) },
    { self->recipient_name_entry, G_CALLBACK (recipient_clicked_cb) },
    { self->recipient_address_entry, G_CALLBACK (recipient_clicked_cb) },
    { self->recipient_phone_entry, G_CALLBACK (recipient_clicked_cb) },
    { self->recipient_country_entry, G_CALLBACK (recipient_clicked_cb) },
    { self->manual_weight_entry, G_CALLBACK (manual_weight_clicked_cb) },
    { self->manual_note_entry, G_CALLBACK (manual_weight_clicked_cb) },
    { self->description_entry, G_CALLBACK (declaration_clicked_cb) },
    { self->value_entry, G_CALLBACK (declaration_clicked_cb) },
    { GTK_ENTRY (self->quantity_spin), G_CALLBACK (declaration_clicked_cb) },
    { self->sim_weight_entry, G_CALLBACK (sim_weigh_clicked_cb) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (enter); i++)
    g_signal_connect_swapped (enter[i].entry, "activate", enter[i].callback, self);
}

PsCounterPage *
ps_counter_page_new (PsApplication *application, PsMainWindow *window)
{
  PsCounterPage *self = g_object_new (PS_TYPE_COUNTER_PAGE, NULL);
  self->application = application;
  self->window = window;

  gint64 hold_ms =
      ps_config_get_int (ps_application_get_config (application), "scale", "stable-ms");
  ps_stable_weight_init (&self->detector, hold_ms * 1000);
  self->weight_tick = g_timeout_add (WEIGHT_TICK_MS, weight_tick_cb, self);
  build_checklist (self);
  gtk_revealer_set_reveal_child (self->training_revealer, ps_application_is_training (application));
  ps_counter_page_handle_weight (self, 0, 0);
  refresh (self);
  return self;
}
