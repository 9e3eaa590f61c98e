/* ps-decision-bar.c — the decision.
 *
 * Accept (with a supervisor's approval when the risk is high), refuse or
 * hold: what is possible is asked of the acceptance, never decided here. The
 * decision is saved on the store worker; a decision that cannot be saved (a
 * full disk) stays on the screen, decided, until "Retry saving" succeeds:
 * recording is idempotent. Once saved, the receipt or holding record is
 * saved as PDF and can be printed.
 *
 * Signals: "recorded" once a decision is saved, "next" when the clerk asks
 * for the next parcel.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-approval-dialog.h"
#include "ps-decision-bar.h"
#include "ps-form-dialog.h"
#include "ps-pages.h"

struct _PsDecisionBar
{
  GtkFrame parent_instance;

  /* Borrowed */
  PsApplication *application;

  /* Owned */
  PsAcceptance *acceptance;
  GCancellable *cancellable;
  PsParcelDetail *detail; /* once saved */
  gboolean recording;     /* a job that saves or approves is under way */

  /* Template widgets */
  GtkLabel *decision_hint;
  GtkButton *accept_button, *refuse_button, *hold_button, *retry_button;
  GtkLabel *decision_error;
  GtkWidget *done_box;
  GtkLabel *done_label;
  GtkButton *print_button, *pdf_button, *next_button;
};

static void ps_decision_bar_iface_init (PsCounterSectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsDecisionBar, ps_decision_bar, GTK_TYPE_FRAME,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_COUNTER_SECTION,
                                                      ps_decision_bar_iface_init))

enum
{
  SIGNAL_RECORDED,
  SIGNAL_NEXT,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void refresh (PsCounterSection *section);

static gboolean
decided (PsDecisionBar *self)
{
  return self->acceptance != NULL &&
         ps_acceptance_get_decision (self->acceptance) != PS_DECISION_NONE;
}

gboolean
ps_decision_bar_is_saved (PsDecisionBar *self)
{
  g_return_val_if_fail (PS_IS_DECISION_BAR (self), FALSE);
  return self->detail != NULL;
}

gboolean
ps_decision_bar_has_unsaved (PsDecisionBar *self)
{
  g_return_val_if_fail (PS_IS_DECISION_BAR (self), FALSE);
  return self->recording || (decided (self) && self->detail == NULL);
}

void
ps_decision_bar_show_error (PsDecisionBar *self, const char *message)
{
  g_return_if_fail (PS_IS_DECISION_BAR (self));
  ps_page_set_error (self->decision_error, message);
}

GtkWidget *
ps_decision_bar_get_focus_target (PsDecisionBar *self)
{
  g_return_val_if_fail (PS_IS_DECISION_BAR (self), NULL);
  if (decided (self))
    return GTK_WIDGET (self->next_button);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->accept_button))
             ? GTK_WIDGET (self->accept_button)
             : GTK_WIDGET (self->hold_button);
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

/* ---- Saving ------------------------------------------------------------------ */

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

static void
record_job (GTask *task, PsStore *store, gpointer data)
{
  RecordJob *job = data;
  GError *error = NULL;
  gint64 id = ps_store_record_decision (store, job->session, job->acceptance, &error);
  PsParcelDetail *detail = id > 0 ? ps_store_get_parcel (store, id, &error) : NULL;
  if (detail == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, detail, (GDestroyNotify) ps_parcel_detail_free);
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
printout_for (PsDecisionBar *self)
{
  PsPrintoutContext context;
  ps_application_get_printout_context (self->application, &context);
  if (self->detail->decision == PS_DECISION_HELD)
    return ps_printout_new_holding_record (self->detail, &context);
  return ps_printout_new_receipt (self->detail, &context);
}

static char *
printout_file_name (PsDecisionBar *self)
{
  return g_strdup_printf (
      "%s-%s.pdf", self->detail->decision == PS_DECISION_HELD ? "bien-ban-tam-giu" : "bien-nhan",
      self->detail->tracking);
}

static void
show_saved (PsDecisionBar *self)
{
  PsParcelDetail *detail = self->detail;
  g_autoptr (GString) outcome = g_string_new (NULL);
  gboolean paper = detail->decision != PS_DECISION_REFUSED;

  g_string_append_printf (outcome, _ ("%s: %s. Recorded."), detail->tracking,
                          decision_words (detail->decision));
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
  gtk_button_set_label (self->print_button, detail->decision == PS_DECISION_HELD
                                                ? _ ("_Print the holding record")
                                                : _ ("_Print receipt"));
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), paper);
  gtk_widget_set_visible (GTK_WIDGET (self->pdf_button), paper);
  gtk_widget_show (self->done_box);
  focus_when_shown (GTK_WIDGET (paper ? self->print_button : self->next_button));
}

static void
record_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsDecisionBar) self = user_data;
  g_autoptr (GError) error = NULL;
  PsParcelDetail *detail = g_task_propagate_pointer (G_TASK (result), &error);

  (void) source;
  if (!self->recording)
    {
      /* The bar moved on (logged out, closed): the decision is saved all the same. */
      g_clear_pointer (&detail, ps_parcel_detail_free);
      return;
    }
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
      refresh (PS_COUNTER_SECTION (self));
      return;
    }

  self->detail = detail;
  ps_page_set_error (self->decision_error, NULL);
  gtk_widget_hide (GTK_WIDGET (self->retry_button));
  show_saved (self);
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0);
}

static void
record_decision (PsDecisionBar *self)
{
  const PsSession *session = ps_application_get_session (self->application);
  if (session == NULL || self->acceptance == NULL || self->recording)
    return;
  RecordJob *job = g_new0 (RecordJob, 1);
  job->session = ps_session_copy (session);
  job->acceptance = g_object_ref (self->acceptance);
  self->recording = TRUE;
  refresh (PS_COUNTER_SECTION (self));
  /* Never cancelled: a decision taken is saved, even if the clerk logs out
   * before it is. */
  ps_page_run (self->application, GTK_WIDGET (self), NULL, "record a decision", record_job, job,
               (GDestroyNotify) record_job_free, record_done_cb);
}

static void
retry_clicked_cb (PsDecisionBar *self)
{
  record_decision (self);
}

/* ---- Accepting, with a supervisor's approval if needed ------------------------ */

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

static void
authorize_job (GTask *task, PsStore *store, gpointer data)
{
  Approval *approval = data;
  GError *error = NULL;
  PsActor *supervisor =
      ps_store_authorize (store, approval->login, approval->pin, PS_ROLE_SUPERVISOR,
                          &approval->policy, g_get_real_time (), &error);
  if (supervisor == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, supervisor, (GDestroyNotify) ps_actor_free);
}

static void
authorize_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsDecisionBar) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (PsActor) supervisor = g_task_propagate_pointer (G_TASK (result), &error);

  (void) source;
  if (ps_page_cancelled (error))
    return;
  self->recording = FALSE;
  if (self->acceptance == NULL)
    return;
  if (supervisor == NULL ||
      !ps_acceptance_accept (self->acceptance, supervisor, g_get_real_time (), &error))
    {
      ps_page_set_error (self->decision_error, error->message);
      refresh (PS_COUNTER_SECTION (self));
      return;
    }
  record_decision (self);
}

static void
approval_response_cb (PsApprovalDialog *dialog, int response, PsDecisionBar *self)
{
  if (response == GTK_RESPONSE_OK && ps_counter_section_is_open (self->acceptance) &&
      !self->recording)
    {
      Approval *approval = g_new0 (Approval, 1);
      approval->login = ps_approval_dialog_get_login (dialog);
      approval->pin = ps_approval_dialog_take_pin (dialog);
      ps_application_get_lockout_policy (self->application, &approval->policy);
      self->recording = TRUE;
      refresh (PS_COUNTER_SECTION (self));
      ps_page_run (self->application, GTK_WIDGET (self), self->cancellable, "supervisor's approval",
                   authorize_job, approval, (GDestroyNotify) approval_free, authorize_done_cb);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static GtkWindow *
toplevel (PsDecisionBar *self)
{
  return GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));
}

static void
accept_clicked_cb (PsDecisionBar *self)
{
  g_autoptr (GError) error = NULL;
  if (!ps_counter_section_is_open (self->acceptance))
    return;
  if (ps_acceptance_needs_override (self->acceptance))
    {
      PsApprovalDialog *dialog =
          ps_approval_dialog_new (toplevel (self), ps_acceptance_get_risk_score (self->acceptance),
                                  ps_acceptance_get_record (self->acceptance)->risk_threshold);
      g_signal_connect_object (dialog, "response", G_CALLBACK (approval_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (!ps_acceptance_accept (self->acceptance, NULL, g_get_real_time (), &error))
    {
      ps_page_set_error (self->decision_error, error->message);
      return;
    }
  record_decision (self);
}

/* ---- Refusing and holding ------------------------------------------------------- */

/* Refuses (one reason) or holds (one or more) with the reasons and the note
 * of @dialog; the dialog stays open with the reason when that is refused. */
static gboolean
reasons_apply (PsFormDialog *dialog, PsDecisionBar *self, gboolean hold)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) reasons = ps_form_dialog_get_reasons (dialog);
  g_autofree char *note = ps_form_dialog_get_note (dialog);
  gint64 now = g_get_real_time ();

  if (!ps_counter_section_is_open (self->acceptance))
    return TRUE;
  if (reasons[0] == NULL)
    {
      ps_form_dialog_set_error (dialog,
                                hold ? _ ("Choose at least one reason.") : _ ("Choose a reason."));
      return FALSE;
    }
  gboolean ok =
      hold ? ps_acceptance_hold (self->acceptance, (const char *const *) reasons, note, now, &error)
           : ps_acceptance_refuse (self->acceptance, reasons[0], note, now, &error);
  if (!ok)
    {
      ps_form_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  record_decision (self);
  return TRUE;
}

static gboolean
refuse_apply (PsFormDialog *dialog, gpointer owner)
{
  return reasons_apply (dialog, owner, FALSE);
}

static gboolean
hold_apply (PsFormDialog *dialog, gpointer owner)
{
  return reasons_apply (dialog, owner, TRUE);
}

static void
refuse_clicked_cb (PsDecisionBar *self)
{
  if (!ps_counter_section_is_open (self->acceptance))
    return;
  PsFormDialog *dialog = ps_form_dialog_new (
      toplevel (self), _ ("Refuse the parcel"),
      _ ("Why is the parcel refused? The sender takes it back."), _ ("_Refuse"));
  ps_form_dialog_add_reasons (dialog, ps_application_get_reasons (self->application),
                              PS_REASON_REFUSE, FALSE);
  ps_form_dialog_present (dialog, refuse_apply, self);
}

static void
hold_clicked_cb (PsDecisionBar *self)
{
  if (!ps_counter_section_is_open (self->acceptance))
    return;
  PsFormDialog *dialog = ps_form_dialog_new (
      toplevel (self), _ ("Hold the parcel"),
      _ ("Why is the parcel held? It stays at the post office, a report goes to the police, and "
         "a holding record is printed for the signatures."),
      _ ("_Hold"));
  ps_form_dialog_add_reasons (dialog, ps_application_get_reasons (self->application),
                              PS_REASON_HOLD, TRUE);
  ps_form_dialog_present (dialog, hold_apply, self);
}

/* ---- The paper ------------------------------------------------------------------- */

static void
print_clicked_cb (PsDecisionBar *self)
{
  g_autoptr (GError) error = NULL;
  if (self->detail == NULL)
    return;
  g_autoptr (PsPrintout) printout = printout_for (self);
  if (!ps_printout_print (printout, toplevel (self), &error))
    ps_page_set_error (self->decision_error, error->message);
}

static void
pdf_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr (PsDecisionBar) self = user_data;
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
pdf_clicked_cb (PsDecisionBar *self)
{
  if (self->detail == NULL)
    return;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Save as PDF"), toplevel (self), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  g_autofree char *name = printout_file_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (pdf_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
next_clicked_cb (PsDecisionBar *self)
{
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

/* ---- PsCounterSection ------------------------------------------------------- */

static void
setup (PsCounterSection *section, PsApplication *application)
{
  PS_DECISION_BAR (section)->application = application;
}

static void
set_acceptance (PsCounterSection *section, PsAcceptance *acceptance)
{
  PsDecisionBar *self = PS_DECISION_BAR (section);

  ps_page_renew_cancellable (&self->cancellable);
  g_set_object (&self->acceptance, acceptance);
  g_clear_pointer (&self->detail, ps_parcel_detail_free);
  self->recording = FALSE;
  ps_page_set_error (self->decision_error, NULL);
  gtk_widget_hide (self->done_box);
  gtk_widget_hide (GTK_WIDGET (self->retry_button));
}

static void
refresh (PsCounterSection *section)
{
  PsDecisionBar *self = PS_DECISION_BAR (section);
  g_autoptr (GError) accept_error = NULL;
  g_autoptr (GError) refuse_error = NULL;
  g_autoptr (GError) hold_error = NULL;
  gboolean open = ps_counter_section_is_open (self->acceptance) && !self->recording;

  gboolean can_accept = open && ps_acceptance_can_accept (self->acceptance, NULL, &accept_error);
  /* A high-risk accept is possible with a supervisor's approval. */
  gboolean with_approval =
      open && g_error_matches (accept_error, PS_ERROR, PS_ERROR_NEEDS_APPROVAL);
  gboolean can_refuse = open && ps_acceptance_can_refuse (self->acceptance, &refuse_error);
  gboolean can_hold = open && ps_acceptance_can_hold (self->acceptance, &hold_error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), can_accept || with_approval);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refuse_button), can_refuse);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_button), can_hold);
  /* Approval is offered only where it could make the accept possible: not
   * beside a failed inspection item, which the risk now counts too. */
  gtk_button_set_label (self->accept_button, with_approval
                                                 ? _ ("_Accept with a supervisor’s approval…")
                                                 : _ ("_Accept"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->accept_button),
                               accept_error != NULL ? accept_error->message : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->refuse_button),
                               refuse_error != NULL ? refuse_error->message : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hold_button),
                               hold_error != NULL ? hold_error->message : NULL);

  /* The reason in words too: a tooltip is not seen from the keyboard. */
  if (self->acceptance == NULL || decided (self))
    gtk_label_set_text (self->decision_hint, "");
  else if (with_approval)
    gtk_label_set_text (self->decision_hint,
                        _ ("High risk: hold the parcel, or accept only with a supervisor’s "
                           "approval."));
  else if (accept_error != NULL)
    gtk_label_set_text (self->decision_hint, accept_error->message);
  else
    gtk_label_set_text (self->decision_hint, _ ("Ready: accept, refuse or hold."));
}

static void
ps_decision_bar_iface_init (PsCounterSectionInterface *iface)
{
  iface->setup = setup;
  iface->set_acceptance = set_acceptance;
  iface->refresh = refresh;
}

static void
ps_decision_bar_dispose (GObject *object)
{
  PsDecisionBar *self = PS_DECISION_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->acceptance);
  g_clear_pointer (&self->detail, ps_parcel_detail_free);
  self->recording = FALSE;
  G_OBJECT_CLASS (ps_decision_bar_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsDecisionBar, name)

static void
ps_decision_bar_class_init (PsDecisionBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_decision_bar_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-decision-bar.ui");
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
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refuse_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, hold_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pdf_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);

  signals[SIGNAL_RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ps_decision_bar_init (PsDecisionBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
