/* ps-counter-page.c — the counter screen.
 *
 * One PsAcceptance at a time, fed by the scanner, the scale and the clerk's
 * typing. The page holds the acceptance, the tracking number and the list of
 * steps; each later step is a section widget (PsCounterSection) that reads
 * and writes its part of the acceptance. The page never decides what is
 * allowed: the sections and the step list ask the acceptance, so the
 * mandatory inspection cannot be skipped from here. Every query runs on the
 * store worker.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ps-counter-page.h"
#include "ps-decision-bar.h"
#include "ps-declaration-section.h"
#include "ps-form-dialog.h"
#include "ps-inspection-section.h"
#include "ps-pages.h"
#include "ps-recipient-section.h"
#include "ps-sender-section.h"
#include "ps-weight-section.h"

struct _PsCounterPage
{
  GtkBox parent_instance;

  /* Borrowed */
  PsApplication *application;

  /* Owned */
  PsAcceptance *acceptance;
  GCancellable *cancellable; /* the tracking check of this acceptance */
  PsTracking *checking;      /* the tracking number being checked, if any */
  char *last_scan;           /* the last scan's text and when it came (monotonic) */
  gint64 last_scan_us;

  /* Template widgets */
  GtkLabel *step_item, *step_sender, *step_recipient, *step_weight, *step_declaration,
      *step_inspection, *step_decision;
  GtkLabel *risk_label;
  GtkLabel *risk_reasons_label;
  GtkScrolledWindow *scroller;
  GtkWidget *item_section;
  GtkEntry *tracking_entry;
  GtkLabel *tracking_status;
  GtkButton *new_button;
  PsSenderSection *sender_section;
  PsRecipientSection *recipient_section;
  PsWeightSection *weight_section;
  PsDeclarationSection *declaration_section;
  PsInspectionSection *inspection_section;
  PsDecisionBar *decision_section;
  PsTrainingPanel *training_revealer;
  PsCounterSection *sections[6]; /* the six above, top to bottom */
};

G_DEFINE_FINAL_TYPE (PsCounterPage, ps_counter_page, GTK_TYPE_BOX)

static guint recorded_signal;

static gboolean
has_tracking (PsCounterPage *self)
{
  return self->acceptance != NULL && ps_acceptance_step_is_done (self->acceptance, PS_STEP_ITEM);
}

static gboolean
saved (PsCounterPage *self)
{
  return ps_decision_bar_is_saved (self->decision_section);
}

static void
set_class (GtkWidget *widget, const char *name, gboolean on)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  if (on)
    gtk_style_context_add_class (style, name);
  else
    gtk_style_context_remove_class (style, name);
}

/* ---- Showing the state --------------------------------------------------- */

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
      PsStep step = (PsStep) i;
      /* The decision counts once it is saved. */
      gboolean done =
          self->acceptance != NULL &&
          (step == PS_STEP_DECISION ? saved (self)
                                    : ps_acceptance_step_is_done (self->acceptance, step));
      g_autofree char *text =
          g_strdup_printf ("%s %u. %s", done ? "✔" : "○", i + 1, ps_step_label (step));
      gtk_label_set_text (labels[i], text);
      set_class (GTK_WIDGET (labels[i]), "step-done", done);
      set_class (GTK_WIDGET (labels[i]), "step-current", step == current);
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
  const PsAcceptanceRecord *record = ps_acceptance_get_record (self->acceptance);
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
refresh (PsCounterPage *self)
{
  gboolean editable = has_tracking (self) && ps_counter_section_is_open (self->acceptance);

  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    {
      PsCounterSection *section = self->sections[i];
      /* The decision bar keeps its buttons for the paper once decided. */
      if (section != PS_COUNTER_SECTION (self->decision_section))
        gtk_widget_set_sensitive (GTK_WIDGET (section), editable);
      ps_counter_section_refresh (section);
    }
  gtk_editable_set_editable (GTK_EDITABLE (self->tracking_entry), !has_tracking (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_button), has_tracking (self));
  refresh_steps (self);
  refresh_risk (self);
}

static void
acceptance_changed_cb (PsAcceptance *acceptance, PsCounterPage *self)
{
  (void) acceptance;
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
      case PS_STEP_RECIPIENT:
      case PS_STEP_WEIGHT:
        /* The section's first focusable field. */
        {
          GtkWidget *section = ps_acceptance_get_step (self->acceptance) == PS_STEP_SENDER
                                   ? GTK_WIDGET (self->sender_section)
                               : ps_acceptance_get_step (self->acceptance) == PS_STEP_RECIPIENT
                                   ? GTK_WIDGET (self->recipient_section)
                                   : GTK_WIDGET (self->weight_section);
          GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));
          GtkWidget *focus = GTK_IS_WINDOW (top) ? gtk_window_get_focus (GTK_WINDOW (top)) : NULL;
          /* Already there (the clerk is typing in it): the focus stays. */
          if (focus == NULL || !gtk_widget_is_ancestor (focus, section))
            gtk_widget_child_focus (section, GTK_DIR_TAB_FORWARD);
        }
        return;
      case PS_STEP_DECLARATION:
        target = ps_declaration_section_get_first_field (self->declaration_section);
        break;
      case PS_STEP_INSPECTION:
        ps_inspection_section_focus_unanswered (self->inspection_section);
        return;
      case PS_STEP_DECISION:
      case PS_STEP_DONE:
        target = ps_decision_bar_get_focus_target (self->decision_section);
        break;
    }
  if (target != NULL && gtk_widget_is_sensitive (target))
    gtk_widget_grab_focus (target);
}

static void
section_completed_cb (PsCounterSection *section, PsCounterPage *self)
{
  (void) section;
  focus_next_step (self);
}

/* ---- Starting and ending --------------------------------------------------- */

static void
set_acceptance (PsCounterPage *self, PsAcceptance *acceptance)
{
  if (self->acceptance != NULL)
    g_signal_handlers_disconnect_by_data (self->acceptance, self);
  g_set_object (&self->acceptance, acceptance);
  if (acceptance != NULL)
    g_signal_connect (acceptance, "changed", G_CALLBACK (acceptance_changed_cb), self);

  ps_page_renew_cancellable (&self->cancellable);
  g_clear_pointer (&self->checking, ps_tracking_free);
  gtk_entry_set_text (self->tracking_entry, "");
  gtk_label_set_text (self->tracking_status, "");
  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    ps_counter_section_set_acceptance (self->sections[i], acceptance);
  refresh (self);
}

void
ps_counter_page_start (PsCounterPage *self)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  const PsSession *current = ps_application_get_session (self->application);
  g_return_if_fail (current != NULL);

  g_autoptr (PsAcceptance) acceptance = ps_acceptance_new (
      ps_application_get_checklist (self->application),
      ps_application_get_rules (self->application), ps_application_get_reasons (self->application),
      ps_application_get_watchlist (self->application), current->actor, g_get_real_time ());
  set_acceptance (self, acceptance);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->tracking_entry));
}

void
ps_counter_page_stop (PsCounterPage *self)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  set_acceptance (self, NULL);
}

gboolean
ps_counter_page_has_work (PsCounterPage *self)
{
  g_return_val_if_fail (PS_IS_COUNTER_PAGE (self), FALSE);
  return has_tracking (self) && !saved (self);
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
  if (ps_decision_bar_has_unsaved (self->decision_section))
    {
      /* Decided but not saved: never thrown away from here. */
      ps_decision_bar_show_error (self->decision_section,
                                  _ ("This decision is not saved yet: press “Retry saving” "
                                     "first."));
      return;
    }
  if (!ps_counter_page_has_work (self))
    {
      ps_counter_page_start (self);
      return;
    }
  PsFormDialog *dialog = ps_form_dialog_new (
      GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), _ ("Discard the acceptance?"),
      _ ("Discard the acceptance in progress? Nothing of it has been recorded. A parcel that is "
         "not accepted must be refused or held, not discarded."),
      _ ("_Discard"));
  ps_form_dialog_hide_note (dialog);
  ps_form_dialog_present (dialog, discard_apply, self);
}

static void
recorded_cb (PsDecisionBar *bar, PsCounterPage *self)
{
  (void) bar;
  ps_weight_section_mark_decided (self->weight_section);
  refresh (self);
  g_signal_emit (self, recorded_signal, 0);
}

/* ---- Tracking number ------------------------------------------------------- */

static void
tracking_changed_cb (PsCounterPage *self)
{
  const char *text = gtk_entry_get_text (self->tracking_entry);
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->tracking_entry));

  if (has_tracking (self))
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
  /* While typing, only a number that cannot grow into a valid one is judged. */
  if (ps_tracking_input_is_complete (
          text, ps_config_get_tracking_formats (ps_application_get_config (self->application))))
    {
      gtk_style_context_add_class (style, "error");
      gtk_label_set_text (self->tracking_status, error->message);
    }
  else
    gtk_label_set_text (self->tracking_status, _ ("Keep typing: 2 letters, 9 digits, 2 letters."));
}

static void
find_decided_job (GTask *task, PsStore *store, gpointer data)
{
  PsTracking *tracking = data;
  GError *error = NULL;
  gint64 found = ps_store_find_decided (store, tracking->code, &error);
  if (found < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, found > 0);
}

static void
find_decided_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsCounterPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean found = g_task_propagate_boolean (G_TASK (result), &error);

  (void) source;
  if (ps_page_cancelled (error))
    return;
  g_autoptr (PsTracking) tracking = g_steal_pointer (&self->checking);
  if (self->acceptance == NULL || tracking == NULL)
    return;
  if (error != NULL)
    {
      gtk_label_set_text (self->tracking_status, error->message);
      return;
    }
  if (found)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("%s has already been accepted or held at this counter; the same number cannot be "
             "accepted twice. Check the label, or call the supervisor."),
          tracking->code);
      gtk_label_set_text (self->tracking_status, message);
      set_class (GTK_WIDGET (self->tracking_entry), "error", TRUE);
      return;
    }
  if (!ps_acceptance_set_tracking (self->acceptance, tracking, g_get_real_time (), &error))
    {
      gtk_label_set_text (self->tracking_status, error->message);
      return;
    }
  gtk_entry_set_text (self->tracking_entry, tracking->code);
  g_autofree char *status = g_strdup_printf (_ ("Tracking number %s"), tracking->code);
  gtk_label_set_text (self->tracking_status, status);
  ps_weight_section_apply_captured (self->weight_section);
  focus_next_step (self);
}

static void
submit_tracking (PsCounterPage *self, const char *text, const char *symbology, gboolean scanned)
{
  g_autoptr (GError) error = NULL;

  if (self->acceptance == NULL || self->checking != NULL)
    return;
  const PsAcceptanceRecord *record = ps_acceptance_get_record (self->acceptance);
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
      if (!saved (self))
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

  self->checking = ps_tracking_copy (tracking);
  ps_page_run (self->application, GTK_WIDGET (self), self->cancellable,
               "find a decided tracking number", find_decided_job, g_steal_pointer (&tracking),
               (GDestroyNotify) ps_tracking_free, find_decided_done_cb);
}

static void
tracking_activate_cb (PsCounterPage *self)
{
  g_autofree char *text = ps_page_entry_text (self->tracking_entry);
  if (*text != '\0')
    submit_tracking (self, text, NULL, FALSE);
}

/* ---- Devices --------------------------------------------------------------- */

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
    ps_sender_section_take_cccd_scan (self->sender_section, text);
  else
    submit_tracking (self, text, symbology, TRUE);
}

void
ps_counter_page_handle_weight (PsCounterPage *self, PsScaleStatus status, gint64 milligrams)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  ps_weight_section_handle_weight (self->weight_section, status, milligrams);
}

void
ps_counter_page_set_scale_present (PsCounterPage *self, gboolean present)
{
  g_return_if_fail (PS_IS_COUNTER_PAGE (self));
  ps_weight_section_set_scale_present (self->weight_section, present);
}

PsTrainingPanel *
ps_counter_page_get_training_panel (PsCounterPage *self)
{
  g_return_val_if_fail (PS_IS_COUNTER_PAGE (self), NULL);
  return self->training_revealer;
}

/* ---- Construction -------------------------------------------------------------- */

static void
ps_counter_page_dispose (GObject *object)
{
  PsCounterPage *self = PS_COUNTER_PAGE (object);

  if (self->acceptance != NULL)
    g_signal_handlers_disconnect_by_data (self->acceptance, self);
  g_clear_object (&self->acceptance);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->checking, ps_tracking_free);
  g_clear_pointer (&self->last_scan, g_free);
  G_OBJECT_CLASS (ps_counter_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsCounterPage, name)

static void
ps_counter_page_class_init (PsCounterPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_counter_page_dispose;
  g_type_ensure (PS_TYPE_SENDER_SECTION);
  g_type_ensure (PS_TYPE_RECIPIENT_SECTION);
  g_type_ensure (PS_TYPE_WEIGHT_SECTION);
  g_type_ensure (PS_TYPE_DECLARATION_SECTION);
  g_type_ensure (PS_TYPE_INSPECTION_SECTION);
  g_type_ensure (PS_TYPE_DECISION_BAR);
  g_type_ensure (PS_TYPE_TRAINING_PANEL);
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
  BIND (tracking_entry);
  BIND (tracking_status);
  BIND (new_button);
  BIND (sender_section);
  BIND (recipient_section);
  BIND (weight_section);
  BIND (declaration_section);
  BIND (inspection_section);
  BIND (decision_section);
  BIND (training_revealer);
  gtk_widget_class_bind_template_callback (widget_class, new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, tracking_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tracking_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, section_completed_cb);
  gtk_widget_class_bind_template_callback (widget_class, recorded_cb);

  /**
   * PsCounterPage::recorded:
   *
   * A decision was saved (the police outbox may have a new report).
   */
  recorded_signal = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
ps_counter_page_init (PsCounterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->sections[0] = PS_COUNTER_SECTION (self->sender_section);
  self->sections[1] = PS_COUNTER_SECTION (self->recipient_section);
  self->sections[2] = PS_COUNTER_SECTION (self->weight_section);
  self->sections[3] = PS_COUNTER_SECTION (self->declaration_section);
  self->sections[4] = PS_COUNTER_SECTION (self->inspection_section);
  self->sections[5] = PS_COUNTER_SECTION (self->decision_section);
  /* The field with the focus is scrolled into view. */
  GtkWidget *viewport = gtk_bin_get_child (GTK_BIN (self->scroller));
  gtk_container_set_focus_vadjustment (GTK_CONTAINER (gtk_bin_get_child (GTK_BIN (viewport))),
                                       gtk_scrolled_window_get_vadjustment (self->scroller));
}

PsCounterPage *
ps_counter_page_new (PsApplication *application)
{
  PsCounterPage *self = g_object_new (PS_TYPE_COUNTER_PAGE, NULL);

  self->application = application;
  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    ps_counter_section_setup (self->sections[i], application);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->training_revealer),
                                 ps_application_is_training (application));
  refresh (self);
  return self;
}
