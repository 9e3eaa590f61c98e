/* ps-outbox-indicator.c — the header's police status.
 *
 * Every few seconds, and when asked, one job on the store worker sums up
 * the outbox (waiting, oldest, refused for good) and the police's open
 * instructions; the label says it in a few words, the tooltip says more.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-pages.h"

#include "ps-outbox-indicator.h"

#define POLL_SECONDS 5

struct _PsOutboxIndicator
{
  GtkLabel parent_instance;

  /* Borrowed */
  PsApplication *application;

  /* Owned */
  guint poll;
  gboolean busy; /* a summary job is under way */
};

G_DEFINE_FINAL_TYPE (PsOutboxIndicator, ps_outbox_indicator, GTK_TYPE_LABEL)

typedef struct
{
  gint64 pending;
  gint64 oldest_us;
  guint refused;
  char *refusal;      /* the receiver's words for the first refused row */
  guint instructions; /* the police's, still to be carried out */
  guint overdue;      /* … of which past their deadline */
} OutboxState;

static void
outbox_state_free (OutboxState *state)
{
  g_free (state->refusal);
  g_free (state);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutboxState, outbox_state_free)

static OutboxState *
outbox_state (PsStore *store, GError **error)
{
  g_autoptr (OutboxState) state = g_new0 (OutboxState, 1);
  if (!ps_store_outbox_summary (store, &state->pending, &state->oldest_us, error))
    return NULL;
  g_autoptr (GPtrArray) refused = ps_store_outbox_list_failed (store, error);
  if (refused == NULL)
    return NULL;
  state->refused = refused->len;
  if (refused->len > 0)
    state->refusal = g_strdup (((PsOutboxRow *) g_ptr_array_index (refused, 0))->last_error);
  if (!ps_store_count_open_instructions (store, g_get_real_time (), &state->instructions,
                                         &state->overdue, error))
    return NULL;
  return g_steal_pointer (&state);
}

static void
outbox_job (GTask *task, PsStore *store, gpointer data)
{
  GError *error = NULL;
  OutboxState *state = outbox_state (store, &error);
  (void) data;
  ps_store_task_return (task, state, (GDestroyNotify) outbox_state_free, error);
}

static char *
format_age (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup (_ ("under a minute"));
  if (seconds < 3600)
    return g_strdup_printf (_ ("%lld min"), (long long) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (_ ("%lld h %lld min"), (long long) (seconds / 3600),
                            (long long) (seconds % 3600 / 60));
  return g_strdup_printf (_ ("%lld days"), (long long) (seconds / 86400));
}

static void
outbox_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PsOutboxIndicator *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutboxState) state = g_task_propagate_pointer (G_TASK (result), &error);
  const char *not_forwarding = ps_application_get_forwarder_error (self->application);

  (void) source;
  self->busy = FALSE;
  if (state == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self), _ ("Police: ?"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), error->message);
      ps_page_set_status_class (GTK_WIDGET (self), "error");
    }
  else if (state->refused > 0)
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "Police: %u refused", "Police: %u refused", state->refused),
          state->refused);
      g_autofree char *tooltip = g_strdup_printf (
          _ ("The receiver refused %u message(s) for good; a supervisor sends them again once "
             "the cause is fixed (Held parcels). %s"),
          state->refused, state->refusal != NULL ? state->refusal : "");
      gtk_label_set_text (GTK_LABEL (self), text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
      ps_page_set_status_class (GTK_WIDGET (self), "error");
    }
  else if (ps_application_is_training (self->application))
    {
      gtk_label_set_text (GTK_LABEL (self), _ ("Police: never sent (training)"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                                   _ ("Nothing of a training database is ever forwarded."));
      ps_page_set_status_class (GTK_WIDGET (self), "warning");
    }
  else if (not_forwarding != NULL)
    {
      /* No receiver configured, or the forwarder stopped: "all sent" would
       * be a lie even with nothing waiting. */
      g_autofree char *text =
          state->pending == 0
              ? g_strdup (_ ("Police: not forwarding"))
              : g_strdup_printf (
                    g_dngettext (GETTEXT_PACKAGE, "Police: not forwarding, %lld waiting",
                                 "Police: not forwarding, %lld waiting", (gulong) state->pending),
                    (long long) state->pending);
      gtk_label_set_text (GTK_LABEL (self), text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), not_forwarding);
      ps_page_set_status_class (GTK_WIDGET (self), "error");
    }
  else if (state->pending == 0)
    {
      gtk_label_set_text (GTK_LABEL (self), _ ("Police: all sent"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), not_forwarding);
      ps_page_set_status_class (GTK_WIDGET (self), "ok");
    }
  else
    {
      g_autofree char *age = format_age ((g_get_real_time () - state->oldest_us) / G_USEC_PER_SEC);
      g_autofree char *text =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Police: %lld waiting, %s",
                                        "Police: %lld waiting, %s", (gulong) state->pending),
                           (long long) state->pending, age);
      gtk_label_set_text (GTK_LABEL (self), text);
      g_autofree char *tooltip = g_strdup_printf (
          "%s%s%s", _ ("Reports queued for the police and not yet acknowledged"),
          not_forwarding != NULL ? "\n" : "", not_forwarding != NULL ? not_forwarding : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
      ps_page_set_status_class (GTK_WIDGET (self), "warning");
    }
  /* The police's answers, in the same place: what waits for a supervisor. */
  if (state != NULL && state->instructions > 0)
    {
      g_autofree char *count =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u instruction to carry out",
                                        "%u instructions to carry out", state->instructions),
                           state->instructions);
      g_autofree char *overdue =
          state->overdue > 0 ? g_strdup_printf (_ (", %u overdue"), state->overdue) : NULL;
      g_autofree char *text = g_strdup_printf ("%s · %s%s", gtk_label_get_text (GTK_LABEL (self)),
                                               count, overdue != NULL ? overdue : "");
      gtk_label_set_text (GTK_LABEL (self), text);
      if (state->overdue > 0)
        ps_page_set_status_class (GTK_WIDGET (self), "error");
    }
  g_object_unref (self);
}

void
ps_outbox_indicator_refresh (PsOutboxIndicator *self)
{
  g_return_if_fail (PS_IS_OUTBOX_INDICATOR (self));
  if (self->busy || self->application == NULL)
    return;
  self->busy = TRUE;
  ps_store_worker_run (ps_application_get_worker (self->application), "outbox summary", outbox_job,
                       NULL, NULL, NULL, outbox_done_cb, g_object_ref (self));
}

static gboolean
poll_cb (gpointer user_data)
{
  ps_outbox_indicator_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

void
ps_outbox_indicator_start (PsOutboxIndicator *self, PsApplication *application)
{
  g_return_if_fail (PS_IS_OUTBOX_INDICATOR (self));
  self->application = application;
  if (self->poll == 0)
    self->poll = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  ps_outbox_indicator_refresh (self);
}

static void
ps_outbox_indicator_dispose (GObject *object)
{
  g_clear_handle_id (&PS_OUTBOX_INDICATOR (object)->poll, g_source_remove);
  G_OBJECT_CLASS (ps_outbox_indicator_parent_class)->dispose (object);
}

static void
ps_outbox_indicator_class_init (PsOutboxIndicatorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ps_outbox_indicator_dispose;
}

static void
ps_outbox_indicator_init (PsOutboxIndicator *self)
{
  gtk_label_set_text (GTK_LABEL (self), _ ("Police: …"));
}
