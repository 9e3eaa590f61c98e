/* ps-supervisor-page.c — held parcels for the supervisor.
 *
 * The list of reports with their status and forwarding state; the record of
 * the selected one (inspection answers, risk reasons, custody events); and
 * the actions, each a custody event in the store: assessment, hand-over to
 * the police (with a printed hand-over record), release, close. Nobody
 * reviews a parcel they held themselves.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-weight.h"
#include "ps-custody-dialog.h"
#include "ps-main-window.h"
#include "ps-pages.h"
#include "ps-parcel-text.h"
#include "ps-supervisor-page.h"

#define LIST_LIMIT 500

enum
{
  COLUMN_REPORT_ID,
  COLUMN_PARCEL_ID,
  COLUMN_TRACKING,
  COLUMN_STATUS,
  COLUMN_TIME,
  COLUMN_CLERK,
  COLUMN_REASONS,
  COLUMN_FORWARDING,
  N_COLUMNS
};

struct _PsSupervisorPage
{
  GtkBox parent_instance;

  PsApplication *application;
  PsMainWindow *window;
  GCancellable *cancellable; /* the page's reads, cancelled in dispose */
  GtkListStore *store;
  PsParcelDetail *detail;
  gint64 selected_report;
  gboolean loading;

  GtkCheckButton *all_check;
  GtkLabel *refused_label;
  GtkButton *requeue_button;
  GArray *refused_ids; /* gint64: outbox rows the receiver refused */
  GtkTreeView *reports_view;
  GtkLabel *detail_label;
  GtkLabel *action_error;
  GtkBox *inbox_box; /* the police's instructions to carry out */
  GtkListBox *inbox_list;
  GtkButton *assess_button, *handover_button, *release_button, *close_button,
      *print_handover_button;
};

G_DEFINE_FINAL_TYPE (PsSupervisorPage, ps_supervisor_page, GTK_TYPE_BOX)

static void load_detail (PsSupervisorPage *self);

/* ---- The list ---------------------------------------------------------------- */

typedef struct
{
  GPtrArray *reports;
  GPtrArray *refused;
  GPtrArray *instructions; /* the police's, still to be carried out */
  GStrv instruction_refusals;
} ListResult;

static void
list_result_free (ListResult *result)
{
  g_clear_pointer (&result->reports, g_ptr_array_unref);
  g_clear_pointer (&result->refused, g_ptr_array_unref);
  g_clear_pointer (&result->instructions, g_ptr_array_unref);
  g_strfreev (result->instruction_refusals);
  g_free (result);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListResult, list_result_free)

static GPtrArray *list_reports (PsStore *store, gboolean all, GError **error);

static ListResult *
list_all (PsStore *store, gboolean all, GError **error)
{
  g_autoptr (ListResult) result = g_new0 (ListResult, 1);
  result->reports = list_reports (store, all, error);
  if (result->reports == NULL)
    return NULL;
  result->refused = ps_store_outbox_list_failed (store, error);
  if (result->refused == NULL)
    return NULL;
  result->instructions = ps_store_list_instructions (store, 0, TRUE, error);
  if (result->instructions == NULL)
    return NULL;
  result->instruction_refusals = ps_store_instruction_refusals (store, 3, error);
  if (result->instruction_refusals == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

static void
list_job (GTask *task, PsStore *store, gpointer data)
{
  GError *error = NULL;
  ListResult *result = list_all (store, GPOINTER_TO_INT (data), &error);
  ps_store_task_return (task, result, (GDestroyNotify) list_result_free, error);
}

/* Every report not closed (open, assessed, handed over, released), or with
 * @all the closed ones too, newest first. */
static GPtrArray *
list_reports (PsStore *store, gboolean all, GError **error)
{
  return ps_store_list_reports (store, all ? PS_REPORTS_ALL : PS_REPORTS_NOT_CLOSED, LIST_LIMIT, 0,
                                error);
}

/* The police's instructions to carry out, past their deadline first and
 * marked; a row opens its report, whose actions then pre-fill from it. */
static void
show_inbox (PsSupervisorPage *self, GPtrArray *instructions, GStrv refusals)
{
  GList *rows = gtk_container_get_children (GTK_CONTAINER (self->inbox_list));
  for (GList *row = rows; row != NULL; row = row->next)
    gtk_widget_destroy (row->data);
  g_list_free (rows);
  gint64 now = g_get_real_time ();
  for (guint i = 0; i < instructions->len; i++)
    {
      const PsInstructionRecord *record = instructions->pdata[i];
      gboolean overdue = record->due_us > 0 && record->due_us < now;
      g_autofree char *due = record->due_us > 0 ? ps_page_format_time (record->due_us) : NULL;
      g_autofree char *deadline = due == NULL ? g_strdup ("")
                                  : overdue   ? g_strdup_printf (_ (" — OVERDUE since %s"), due)
                                              : g_strdup_printf (_ (" — by %s"), due);
      g_autofree char *text = g_strdup_printf (
          "%s%s · %s%s\n%s", overdue ? "⚠ " : "", ps_instruction_kind_label (record->kind),
          record->tracking != NULL ? record->tracking : _ ("no parcel"), deadline, record->summary);
      GtkWidget *label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      if (overdue)
        gtk_style_context_add_class (gtk_widget_get_style_context (label), "error-text");
      GtkWidget *row = gtk_list_box_row_new ();
      gtk_container_add (GTK_CONTAINER (row), label);
      atk_object_set_name (gtk_widget_get_accessible (row), text);
      g_object_set_data (G_OBJECT (row), "report-id", GINT_TO_POINTER ((int) record->report_id));
      gtk_widget_show_all (row);
      gtk_container_add (GTK_CONTAINER (self->inbox_list), row);
    }
  for (char **reason = refusals; reason != NULL && *reason != NULL; reason++)
    {
      GtkWidget *label = gtk_label_new (*reason);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_style_context_add_class (gtk_widget_get_style_context (label), "error-text");
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->inbox_list), label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->inbox_box),
                          instructions->len > 0 || (refusals != NULL && *refusals != NULL));
}

static void
inbox_row_activated_cb (PsSupervisorPage *self, GtkListBoxRow *row)
{
  gint64 report_id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "report-id"));
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  GtkTreeIter iter;
  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      gint64 id = 0;
      gtk_tree_model_get (model, &iter, COLUMN_REPORT_ID, &id, -1);
      if (id == report_id)
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (self->reports_view), &iter);
          return;
        }
    }
}

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsSupervisorPage) self = user_data;
  g_autoptr (ListResult) listed = ps_page_job_result (result, self->action_error);

  (void) source;
  self->loading = FALSE;
  if (listed == NULL)
    return;
  GPtrArray *reports = listed->reports;
  g_array_set_size (self->refused_ids, 0);
  for (guint i = 0; i < listed->refused->len; i++)
    g_array_append_val (self->refused_ids,
                        ((PsOutboxRow *) g_ptr_array_index (listed->refused, i))->id);
  if (listed->refused->len > 0)
    {
      const PsOutboxRow *first = g_ptr_array_index (listed->refused, 0);
      g_autofree char *text = g_strdup_printf (_ ("The police receiver refused %u message(s): %s"),
                                               listed->refused->len,
                                               first->last_error != NULL ? first->last_error : "");
      gtk_label_set_text (self->refused_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->refused_label), listed->refused->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->requeue_button), listed->refused->len > 0);
  show_inbox (self, listed->instructions, listed->instruction_refusals);
  gtk_list_store_clear (self->store);
  GtkTreeIter selected_iter;
  gboolean have_selected = FALSE;
  for (guint i = 0; i < reports->len; i++)
    {
      const PsReportSummary *report = g_ptr_array_index (reports, i);
      g_autofree char *time = ps_page_format_time (report->created_us);
      g_autofree char *forwarding =
          report->outbox_pending == 0
              ? g_strdup (_ ("forwarded"))
              : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message waiting",
                                              "%u messages waiting", report->outbox_pending),
                                 report->outbox_pending);
      /* Words, not codes: "Nghi ma túy", not "suspected-drugs". */
      g_autofree char *reasons = ps_reasons_describe (
          ps_application_get_reasons (self->application), PS_REASON_HOLD, report->hold_reasons,
          g_str_has_prefix (ps_current_language (), "vi"));
      GtkTreeIter iter;
      gtk_list_store_insert_with_values (
          self->store, &iter, -1, COLUMN_REPORT_ID, report->report_id, COLUMN_PARCEL_ID,
          report->parcel_id, COLUMN_TRACKING, report->tracking, COLUMN_STATUS,
          ps_report_status_label (report->status), COLUMN_TIME, time, COLUMN_CLERK,
          report->clerk_login, COLUMN_REASONS, reasons, COLUMN_FORWARDING, forwarding, -1);
      if (report->report_id == self->selected_report)
        {
          selected_iter = iter;
          have_selected = TRUE;
        }
    }
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->reports_view);
  if (have_selected)
    gtk_tree_selection_select_iter (selection, &selected_iter);
  else if (reports->len > 0)
    {
      GtkTreePath *first = gtk_tree_path_new_first ();
      gtk_tree_selection_select_path (selection, first);
      gtk_tree_path_free (first);
    }
  else
    {
      g_clear_pointer (&self->detail, ps_parcel_detail_free);
      self->selected_report = 0;
      gtk_label_set_text (self->detail_label, _ ("No held parcel."));
    }
}

void
ps_supervisor_page_refresh (PsSupervisorPage *self)
{
  g_return_if_fail (PS_IS_SUPERVISOR_PAGE (self));
  if (self->loading || ps_application_get_session (self->application) == NULL)
    return;
  self->loading = TRUE;
  ps_page_run (self->application, GTK_WIDGET (self), self->cancellable, "list held parcels",
               list_job,
               GINT_TO_POINTER (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->all_check))),
               NULL, list_done_cb);
}

static void
refresh_clicked_cb (PsSupervisorPage *self)
{
  ps_supervisor_page_refresh (self);
}

static void
requeue_job (GTask *task, PsStore *store, gpointer data)
{
  PsPageWrite *job = data; /* the outbox rows */
  GArray *ids = job->data;
  GError *error = NULL;
  for (guint i = 0; i < ids->len; i++)
    if (!ps_store_outbox_requeue (store, job->actor, g_array_index (ids, gint64, i),
                                  g_get_real_time (), &error))
      {
        g_task_return_error (task, error);
        return;
      }
  g_task_return_boolean (task, TRUE);
}

static void
requeue_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsSupervisorPage) self = user_data;
  g_autoptr (GError) error = NULL;
  (void) source;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    ps_page_set_error (self->action_error, error->message);
  ps_supervisor_page_refresh (self);
  ps_main_window_refresh_outbox (self->window);
}

static void
requeue_clicked_cb (PsSupervisorPage *self)
{
  const PsSession *session = ps_application_get_session (self->application);
  if (session == NULL || self->refused_ids->len == 0)
    return;
  PsPageWrite *job = ps_page_write_new (session->actor, 0, g_array_copy (self->refused_ids),
                                        (GDestroyNotify) g_array_unref);
  ps_page_run (self->application, GTK_WIDGET (self), NULL, "send refused messages again",
               requeue_job, job, (GDestroyNotify) ps_page_write_free, requeue_done_cb);
}

/* ---- The selected report ---------------------------------------------------- */

static void
update_actions (PsSupervisorPage *self)
{
  const PsSession *session =
      self->application != NULL ? ps_application_get_session (self->application) : NULL;
  gboolean selected = self->detail != NULL && self->detail->report_id != 0;
  gboolean open = selected && self->detail->report_status != PS_REPORT_CLOSED;
  gboolean own = selected && session != NULL && self->detail->clerk_id == session->actor->user_id;
  gboolean handed_over = FALSE;

  if (selected)
    for (guint i = 0; i < self->detail->custody->len; i++)
      if (((PsCustodyRecord *) g_ptr_array_index (self->detail->custody, i))->kind ==
          PS_CUSTODY_HANDOVER)
        handed_over = TRUE;

  GtkWidget *actions[] = { GTK_WIDGET (self->assess_button), GTK_WIDGET (self->handover_button),
                           GTK_WIDGET (self->release_button), GTK_WIDGET (self->close_button) };
  const PsCustodyKind kinds[] = { PS_CUSTODY_ASSESSMENT, PS_CUSTODY_HANDOVER, PS_CUSTODY_RELEASE,
                                  PS_CUSTODY_CLOSE };
  G_STATIC_ASSERT (G_N_ELEMENTS (actions) == G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      /* Only what the report's state allows (the core's rule): a parcel
       * handed over is not handed over again, nor closed before. */
      gboolean allowed =
          selected && ps_report_next_status (self->detail->report_status, kinds[i]) >= 0;
      gtk_widget_set_sensitive (actions[i], allowed && !own);
      gtk_widget_set_tooltip_text (
          actions[i], own ? _ ("You held this parcel: another supervisor reviews it.") : NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->print_handover_button), handed_over);
  if (own && open)
    ps_page_set_error (self->action_error,
                       _ ("You held this parcel yourself: another supervisor reviews it."));
}

static void
detail_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsSupervisorPage) self = user_data;
  PsParcelDetail *detail = ps_page_job_result (result, self->action_error);

  (void) source;
  if (detail == NULL)
    return;
  if (detail->report_id != self->selected_report)
    {
      ps_parcel_detail_free (detail);
      return; /* another row was selected meanwhile */
    }
  ps_page_show_detail (self->application, self->detail_label, &self->detail, detail);
  update_actions (self);
}

static void
load_detail (PsSupervisorPage *self)
{
  if (self->selected_report == 0)
    return;
  ps_page_load_detail (self->application, GTK_WIDGET (self), self->cancellable, 0,
                       self->selected_report, detail_done_cb);
}

static void
selection_changed_cb (GtkTreeSelection *selection, PsSupervisorPage *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return;
  gint64 report_id;
  gtk_tree_model_get (model, &iter, COLUMN_REPORT_ID, &report_id, -1);
  if (report_id == self->selected_report && self->detail != NULL)
    return;
  self->selected_report = report_id;
  ps_page_set_error (self->action_error, NULL);
  load_detail (self);
}

/* ---- Actions ------------------------------------------------------------------- */

static void
custody_job (GTask *task, PsStore *store, gpointer data)
{
  PsPageWrite *job = data; /* the report, and the request */
  const PsCustodyRequest *request = job->data;
  GError *error = NULL;
  PsOfficer officer = { request->officer_name, request->officer_unit, request->officer_badge,
                        request->officer_time_us };
  PsParcelDetail *detail = NULL;
  gint64 id = ps_store_add_custody_event (store, job->actor, job->id, request->kind, request->note,
                                          request->kind == PS_CUSTODY_HANDOVER ? &officer : NULL,
                                          request->instruction_id, request->override_reason,
                                          g_get_real_time (), &error);
  if (id > 0)
    detail = ps_page_read_detail (store, 0, job->id, &error);
  ps_store_task_return (task, detail, (GDestroyNotify) ps_parcel_detail_free, error);
}

static const PsCustodyRecord *
last_handover (const PsParcelDetail *detail)
{
  const PsCustodyRecord *found = NULL;
  for (guint i = 0; i < detail->custody->len; i++)
    {
      const PsCustodyRecord *event = g_ptr_array_index (detail->custody, i);
      if (event->kind == PS_CUSTODY_HANDOVER)
        found = event;
    }
  return found;
}

static PsPrintout *
handover_printout (PsSupervisorPage *self)
{
  const PsCustodyRecord *handover = last_handover (self->detail);
  if (handover == NULL)
    return NULL;
  PsPrintoutContext context;
  ps_application_get_printout_context (self->application, &context);
  return ps_printout_new_handover_record (self->detail, handover, &context);
}

static void
custody_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PsSupervisorPage) self = user_data;
  g_autoptr (GError) error = NULL;
  PsParcelDetail *detail = g_task_propagate_pointer (G_TASK (result), &error);

  (void) source;
  if (detail == NULL)
    {
      ps_page_set_error (self->action_error, error->message);
      return;
    }
  ps_page_show_detail (self->application, self->detail_label, &self->detail, detail);
  ps_page_set_error (self->action_error, NULL);
  update_actions (self);

  const PsCustodyRecord *latest =
      detail->custody->len > 0 ? g_ptr_array_index (detail->custody, detail->custody->len - 1)
                               : NULL;
  if (latest != NULL && latest->kind == PS_CUSTODY_HANDOVER)
    {
      g_autoptr (PsPrintout) printout = handover_printout (self);
      g_autofree char *name = g_strdup_printf ("bien-ban-ban-giao-%s.pdf", detail->tracking);
      g_autoptr (GError) pdf_error = NULL;
      g_autofree char *saved =
          ps_application_save_pdf (self->application, printout, name, &pdf_error);
      if (pdf_error != NULL)
        ps_page_set_error (self->action_error, pdf_error->message);
      (void) saved;
    }
  ps_supervisor_page_refresh (self);
  ps_main_window_refresh_outbox (self->window);
}

/* The open instruction of @kind for the shown report, or NULL. */
static const PsInstructionRecord *
open_instruction (PsSupervisorPage *self, PsInstructionKind kind)
{
  for (guint i = 0; self->detail != NULL && self->detail->instructions != NULL &&
                    i < self->detail->instructions->len;
       i++)
    {
      const PsInstructionRecord *record = self->detail->instructions->pdata[i];
      if (record->kind == kind && record->state == PS_INSTRUCTION_OPEN)
        return record;
    }
  return NULL;
}

static void
custody_response_cb (PsCustodyDialog *dialog, int response, PsSupervisorPage *self)
{
  const PsSession *session = ps_application_get_session (self->application);
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_OK && self->detail != NULL && session != NULL)
    {
      PsCustodyRequest *request = ps_custody_dialog_read (dialog, &error);
      if (request == NULL)
        {
          ps_custody_dialog_set_error (dialog, error->message);
          return; /* the dialog stays, with what was typed */
        }
      PsPageWrite *job = ps_page_write_new (session->actor, self->detail->report_id, request,
                                            (GDestroyNotify) ps_custody_request_free);
      ps_page_run (self->application, GTK_WIDGET (self), NULL, "custody event", custody_job, job,
                   (GDestroyNotify) ps_page_write_free, custody_done_cb);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

/* Asks for a step of @kind; @instruction is the police instruction it may
 * carry out, offered when @always or when one is open. */
static void
custody_action (PsSupervisorPage *self, PsCustodyKind kind, const char *title, const char *heading,
                const char *ok, PsInstructionKind instruction, gboolean always)
{
  if (self->detail == NULL || ps_application_get_session (self->application) == NULL)
    return;
  PsCustodyDialog *dialog =
      ps_custody_dialog_new (GTK_WINDOW (self->window), kind, title, heading, ok);
  const PsInstructionRecord *open = open_instruction (self, instruction);
  /* A hand-over or a release needs an instruction, or the override. */
  gboolean needs_authority = kind == PS_CUSTODY_HANDOVER || kind == PS_CUSTODY_RELEASE;
  if (always || open != NULL)
    ps_custody_dialog_offer_instruction (dialog, open != NULL ? open->id : NULL, needs_authority);
  if (kind == PS_CUSTODY_HANDOVER && open != NULL)
    {
      /* The seizure order names the officer who collects: pre-filled. */
      g_autofree char *name = NULL, *unit = NULL, *badge = NULL;
      ps_instruction_collector (open, &name, &unit, &badge);
      ps_custody_dialog_set_officer (dialog, name, unit, badge);
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (custody_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
assess_clicked_cb (PsSupervisorPage *self)
{
  /* An assessment may answer the police's request for information. */
  custody_action (self, PS_CUSTODY_ASSESSMENT, _ ("Assessment"),
                  _ ("Your assessment of the held parcel, after seeing it."), _ ("_Record"),
                  PS_INSTRUCTION_REQUEST_INFO, FALSE);
}

static void
release_clicked_cb (PsSupervisorPage *self)
{
  custody_action (self, PS_CUSTODY_RELEASE, _ ("Release the parcel"),
                  _ ("Why is the parcel released? Say on whose decision (for example the police "
                     "officer who cleared it)."),
                  _ ("_Release"), PS_INSTRUCTION_RELEASE, TRUE);
}

static void
close_clicked_cb (PsSupervisorPage *self)
{
  custody_action (self, PS_CUSTODY_CLOSE, _ ("Close the report"),
                  _ ("How did the case end? A closed report cannot be changed."), _ ("_Close"),
                  PS_INSTRUCTION_CLOSE_CASE, FALSE);
}

static void
handover_clicked_cb (PsSupervisorPage *self)
{
  custody_action (self, PS_CUSTODY_HANDOVER, _ ("Hand over to the police"),
                  _ ("The officer who takes the parcel. A hand-over record is printed for both "
                     "signatures."),
                  _ ("_Hand over"), PS_INSTRUCTION_SEIZE, TRUE);
}

static void
print_handover_clicked_cb (PsSupervisorPage *self)
{
  g_autoptr (GError) error = NULL;
  if (self->detail == NULL)
    return;
  g_autoptr (PsPrintout) printout = handover_printout (self);
  if (printout != NULL && !ps_printout_print (printout, GTK_WINDOW (self->window), &error))
    ps_page_set_error (self->action_error, error->message);
}

/* ---- Construction -------------------------------------------------------------- */

static void
ps_supervisor_page_dispose (GObject *object)
{
  PsSupervisorPage *self = PS_SUPERVISOR_PAGE (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->detail, ps_parcel_detail_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->refused_ids, g_array_unref);
  G_OBJECT_CLASS (ps_supervisor_page_parent_class)->dispose (object);
}

static void
ps_supervisor_page_class_init (PsSupervisorPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_supervisor_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-supervisor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, all_check);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, refused_label);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, requeue_button);
  gtk_widget_class_bind_template_callback (widget_class, requeue_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, reports_view);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, action_error);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, assess_button);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, handover_button);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, inbox_box);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, inbox_list);
  gtk_widget_class_bind_template_callback (widget_class, inbox_row_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, release_button);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, PsSupervisorPage, print_handover_button);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, assess_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, handover_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, release_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_handover_clicked_cb);
}

static void
ps_supervisor_page_init (PsSupervisorPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->refused_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->store =
      gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING,
                          G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  gtk_tree_view_set_model (self->reports_view, GTK_TREE_MODEL (self->store));
  ps_page_add_text_column (self->reports_view, _ ("Tracking number"), COLUMN_TRACKING);
  ps_page_add_text_column (self->reports_view, _ ("Status"), COLUMN_STATUS);
  ps_page_add_text_column (self->reports_view, _ ("Held at"), COLUMN_TIME);
  ps_page_add_text_column (self->reports_view, _ ("Clerk"), COLUMN_CLERK);
  ps_page_add_text_column (self->reports_view, _ ("Reasons"), COLUMN_REASONS);
  ps_page_add_text_column (self->reports_view, _ ("Police"), COLUMN_FORWARDING);
  g_signal_connect (gtk_tree_view_get_selection (self->reports_view), "changed",
                    G_CALLBACK (selection_changed_cb), self);
  update_actions (self);
}

PsSupervisorPage *
ps_supervisor_page_new (PsApplication *application, PsMainWindow *window)
{
  PsSupervisorPage *self = g_object_new (PS_TYPE_SUPERVISOR_PAGE, NULL);
  self->application = application;
  self->window = window;
  gtk_label_set_text (self->detail_label, _ ("Choose a held parcel."));
  return self;
}
