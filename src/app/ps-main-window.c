/* ps-main-window.c — the main window: header bar with the devices and the
 * outbox, the pages (first run, login, counter, supervisor, history), the
 * idle lock, and the routing of scans and weights to the counter page.
 *
 * A template widget (ui/ps-main-window.ui); each page is a template of its own.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-error.h"
#include "ps-counter-page.h"
#include "ps-device-status.h"
#include "ps-form-dialog.h"
#include "ps-history-page.h"
#include "ps-login-page.h"
#include "ps-main-window.h"
#include "ps-outbox-indicator.h"
#include "ps-setup-page.h"
#include "ps-supervisor-page.h"

struct _PsMainWindow
{
  GtkApplicationWindow parent_instance;

  PsApplication *application;

  GtkHeaderBar *header_bar;
  GtkStackSwitcher *work_switcher;
  GtkButton *logout_button;
  GtkButton *lock_button;
  GtkLabel *user_label;
  PsOutboxIndicator *outbox_label;
  PsDeviceStatus *device_status;
  GtkLabel *training_banner;
  GtkInfoBar *info_bar;
  GtkLabel *info_label;
  GtkStack *main_stack;
  GtkLabel *starting_label;
  GtkStack *work_stack;

  PsSetupPage *setup_page;
  PsLoginPage *login_page;
  PsCounterPage *counter_page;
  PsSupervisorPage *supervisor_page;
  PsHistoryPage *history_page;

  gint64 last_input_us;
  guint idle_source;
  gboolean ready_reported;
  gboolean showing_device_message;
  gboolean scale_reads; /* the last reading, replayed into the counter page once it exists */
  PsScaleStatus last_scale_status;
  gint64 last_scale_mg;
};

G_DEFINE_FINAL_TYPE (PsMainWindow, ps_main_window, GTK_TYPE_APPLICATION_WINDOW)

/* A device that works again takes its warning away. */
static void
device_works (PsMainWindow *self)
{
  if (!self->showing_device_message)
    return;
  self->showing_device_message = FALSE;
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
}

void
ps_main_window_show_message (PsMainWindow *self, GtkMessageType type, const char *message)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  self->showing_device_message = FALSE;
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_label_set_text (self->info_label, message);
  gtk_widget_show (GTK_WIDGET (self->info_bar));
}

static void
info_bar_response_cb (PsMainWindow *self)
{
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
}

/* ---- Devices ------------------------------------------------------------- */

static void
scale_present_cb (PsMainWindow *self)
{
  if (self->counter_page != NULL)
    ps_counter_page_set_scale_present (self->counter_page,
                                       ps_device_status_get_scale_present (self->device_status));
}

static void
device_removed_cb (PsDeviceManager *manager, PsDeviceInfo *info, PsMainWindow *self)
{
  (void) manager;
  if (info->kind == PS_DEVICE_KIND_SCALE)
    self->scale_reads = FALSE; /* no reading to replay; the page heard "no scale" */
}

static void
device_error_cb (PsDeviceManager *manager, PsDeviceInfo *info, const char *message,
                 PsMainWindow *self)
{
  (void) manager;
  g_autofree char *text = g_strdup_printf ("%s: %s", info->name, message);
  ps_main_window_show_message (self, GTK_MESSAGE_WARNING, text);
  self->showing_device_message = TRUE;
}

static gboolean
logged_in_at_counter (PsMainWindow *self)
{
  return ps_application_get_session (self->application) != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "work") == 0;
}

void
ps_main_window_scan (PsMainWindow *self, const char *text, const char *symbology)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  self->last_input_us = g_get_monotonic_time ();
  if (!logged_in_at_counter (self))
    {
      ps_main_window_show_message (self, GTK_MESSAGE_INFO,
                                   _ ("A scan was ignored: log in first, then scan again."));
      return;
    }
  if (self->counter_page == NULL)
    return;
  gtk_stack_set_visible_child (self->work_stack, GTK_WIDGET (self->counter_page));
  ps_counter_page_handle_scan (self->counter_page, text, symbology);
}

void
ps_main_window_weight (PsMainWindow *self, PsScaleStatus status, gint64 milligrams)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  self->scale_reads = TRUE;
  self->last_scale_status = status;
  self->last_scale_mg = milligrams;
  if (self->counter_page != NULL)
    ps_counter_page_handle_weight (self->counter_page, status, milligrams);
}

static void
scan_cb (PsDeviceManager *manager, PsDeviceInfo *info, const char *text, const char *symbology,
         PsMainWindow *self)
{
  (void) manager;
  (void) info;
  device_works (self);
  ps_main_window_scan (self, text, symbology);
}

static void
weight_cb (PsDeviceManager *manager, PsDeviceInfo *info, int status, gint64 milligrams,
           PsMainWindow *self)
{
  (void) manager;
  (void) info;
  device_works (self);
  ps_main_window_weight (self, status, milligrams);
}

void
ps_main_window_refresh_outbox (PsMainWindow *self)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  ps_outbox_indicator_refresh (self->outbox_label);
}

/* ---- Sessions, lock -------------------------------------------------------- */

static void
show_session (PsMainWindow *self)
{
  const PsSession *session = ps_application_get_session (self->application);
  gboolean in = session != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->work_switcher), in);
  gtk_widget_set_visible (GTK_WIDGET (self->logout_button), in);
  gtk_widget_set_visible (GTK_WIDGET (self->lock_button), in);
  gtk_widget_set_visible (GTK_WIDGET (self->user_label), in);
  if (!in)
    return;

  g_autofree char *user =
      g_strdup_printf ("%s (%s)", session->full_name, ps_role_label (session->actor->role));
  gtk_label_set_text (self->user_label, session->actor->login);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_label), user);
  /* Holds are reviewed by supervisors; a clerk never sees the page. */
  if (self->supervisor_page != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->supervisor_page),
                            session->actor->role != PS_ROLE_CLERK);
}

static void
go_to_work (PsMainWindow *self)
{
  show_session (self);
  gtk_stack_set_visible_child_name (self->main_stack, "work");
  ps_main_window_refresh_outbox (self);
  self->last_input_us = g_get_monotonic_time ();
}

static void
add_work_page (PsMainWindow *self, GtkWidget *page, const char *name, const char *title)
{
  gtk_widget_show (page);
  gtk_stack_add_titled (self->work_stack, page, name, title);
}

static void
simulated_scan_cb (PsTrainingPanel *panel, const char *text, const char *symbology,
                   PsMainWindow *self)
{
  (void) panel;
  ps_main_window_scan (self, text, symbology);
}

/* The training panel's scale is present while it weighs. */
static void
simulated_weight_cb (PsTrainingPanel *panel, int status, gint64 milligrams, PsMainWindow *self)
{
  (void) panel;
  if (status != PS_SCALE_ZERO)
    ps_counter_page_set_scale_present (self->counter_page, TRUE);
  ps_main_window_weight (self, (PsScaleStatus) status, milligrams);
}

static void
recorded_cb (PsMainWindow *self)
{
  ps_main_window_refresh_outbox (self);
}

/* The work pages are built at the first login, not at start: the login page
 * comes up sooner, and the PIN check takes longer than building them. */
static void
ensure_work_pages (PsMainWindow *self)
{
  if (self->counter_page != NULL)
    return;
  self->counter_page = ps_counter_page_new (self->application);
  PsTrainingPanel *training = ps_counter_page_get_training_panel (self->counter_page);
  g_signal_connect_object (training, "simulated-scan", G_CALLBACK (simulated_scan_cb), self, 0);
  g_signal_connect_object (training, "simulated-weight", G_CALLBACK (simulated_weight_cb), self, 0);
  g_signal_connect_object (self->counter_page, "recorded", G_CALLBACK (recorded_cb), self,
                           G_CONNECT_SWAPPED);
  add_work_page (self, GTK_WIDGET (self->counter_page), "counter", _ ("Counter"));
  self->supervisor_page = ps_supervisor_page_new (self->application, self);
  add_work_page (self, GTK_WIDGET (self->supervisor_page), "supervisor", _ ("Held parcels"));
  self->history_page = ps_history_page_new (self->application, self);
  add_work_page (self, GTK_WIDGET (self->history_page), "history", _ ("History"));
  scale_present_cb (self);
  if (self->scale_reads)
    ps_counter_page_handle_weight (self->counter_page, self->last_scale_status,
                                   self->last_scale_mg);
}

static void
logged_in_cb (PsLoginPage *page, PsSession *session, PsMainWindow *self)
{
  (void) page;
  ensure_work_pages (self);
  ps_application_set_session (self->application, ps_session_copy (session));
  gtk_stack_set_visible_child (self->work_stack, GTK_WIDGET (self->counter_page));
  ps_counter_page_start (self->counter_page);
  go_to_work (self);
}

static void
unlocked_cb (PsLoginPage *page, PsMainWindow *self)
{
  (void) page;
  go_to_work (self);
}

static void
show_login (PsMainWindow *self)
{
  show_session (self);
  ps_login_page_set_locked (self->login_page, NULL);
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->login_page));
}

void
ps_main_window_log_out (PsMainWindow *self)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  if (self->counter_page != NULL)
    ps_counter_page_stop (self->counter_page);
  ps_application_set_session (self->application, NULL);
  show_login (self);
}

static gboolean
logout_apply (PsFormDialog *dialog, gpointer owner)
{
  (void) dialog;
  ps_main_window_log_out (PS_MAIN_WINDOW (owner));
  return TRUE;
}

static void
logout_clicked_cb (PsMainWindow *self)
{
  if (self->counter_page == NULL || !ps_counter_page_has_work (self->counter_page))
    {
      ps_main_window_log_out (self);
      return;
    }
  PsFormDialog *dialog = ps_form_dialog_new (
      GTK_WINDOW (self), _ ("Log out?"),
      _ ("An acceptance is in progress and not yet decided. Logging out discards it; nothing of "
         "it has been recorded. Lock the screen instead to keep it."),
      _ ("_Log out and discard"));
  ps_form_dialog_hide_note (dialog);
  ps_form_dialog_present (dialog, logout_apply, self);
}

void
ps_main_window_lock (PsMainWindow *self)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  const PsSession *session = ps_application_get_session (self->application);
  if (session == NULL || !logged_in_at_counter (self))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->work_switcher), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->lock_button), FALSE);
  ps_login_page_set_locked (self->login_page, session);
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->login_page));
}

static void
lock_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  (void) action;
  (void) parameter;
  ps_main_window_lock (user_data);
}

static void
logout_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  (void) action;
  (void) parameter;
  logout_clicked_cb (user_data);
}

static const GActionEntry window_actions[] = {
  { .name = "lock", .activate = lock_activated },
  { .name = "logout", .activate = logout_activated },
};

static void
logout_requested_cb (PsLoginPage *page, PsMainWindow *self)
{
  (void) page;
  ps_main_window_log_out (self);
}

static gboolean
idle_tick_cb (gpointer user_data)
{
  PsMainWindow *self = user_data;
  gint64 minutes = ps_config_get_int (ps_application_get_config (self->application), "security",
                                      "idle-lock-minutes");
  if (minutes > 0 && logged_in_at_counter (self) &&
      g_get_monotonic_time () - self->last_input_us > minutes * 60 * G_USEC_PER_SEC)
    ps_main_window_lock (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
input_event_cb (GtkWidget *widget, GdkEvent *event, PsMainWindow *self)
{
  (void) widget;
  (void) event;
  self->last_input_us = g_get_monotonic_time ();
  return GDK_EVENT_PROPAGATE;
}

/* ---- Start --------------------------------------------------------------- */

typedef struct
{
  gint64 n_users;
  gboolean training;
} OpenState;

static void
open_job (GTask *task, PsStore *store, gpointer data)
{
  gboolean training = GPOINTER_TO_INT (data);
  GError *error = NULL;
  if (training && !ps_store_mark_training (store, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_autofree OpenState *state = g_new0 (OpenState, 1);
  state->training = ps_store_is_training (store);
  state->n_users = ps_store_count_users (store, &error);
  ps_store_task_return (task, state->n_users >= 0 ? g_steal_pointer (&state) : NULL, g_free, error);
}

static void
setup_done_cb (PsSetupPage *page, PsMainWindow *self)
{
  (void) page;
  ps_main_window_update_identity (self);
  show_login (self);
}

/* The first-run page is built only on a counter without users; at every
 * other start it would be built for nothing. */
static void
show_setup (PsMainWindow *self)
{
  if (self->setup_page == NULL)
    {
      self->setup_page = ps_setup_page_new (self->application);
      gtk_widget_show (GTK_WIDGET (self->setup_page));
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->setup_page), "setup");
      g_signal_connect (self->setup_page, "done", G_CALLBACK (setup_done_cb), self);
    }
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->setup_page));
}

static void
open_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PsMainWindow *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree OpenState *state = g_task_propagate_pointer (G_TASK (result), &error);

  (void) source;
  if (state == NULL)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("The database %s cannot be opened: %s\n\nNothing has been changed. Call the "
             "technician."),
          ps_application_get_database_path (self->application), error->message);
      gtk_label_set_text (self->starting_label, text);
      g_object_unref (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->training_banner), state->training);
  ps_application_start_forwarder (self->application);
  if (state->n_users == 0)
    show_setup (self);
  else
    show_login (self);
  ps_outbox_indicator_start (self->outbox_label, self->application);
  g_object_unref (self);
}

/* For the start-up benchmark: exits as soon as the first page is on screen. */
static gboolean
main_stack_draw_cb (GtkWidget *widget, cairo_t *cr, PsMainWindow *self)
{
  (void) widget;
  (void) cr;
  if (self->ready_reported ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "starting") == 0)
    return GDK_EVENT_PROPAGATE;
  self->ready_reported = TRUE;
  if (ps_application_exits_when_ready (self->application))
    {
      g_print ("ready %s\n", gtk_stack_get_visible_child_name (self->main_stack));
      g_application_quit (G_APPLICATION (self->application));
    }
  return GDK_EVENT_PROPAGATE;
}

static void
ps_main_window_dispose (GObject *object)
{
  PsMainWindow *self = PS_MAIN_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  PsDeviceManager *devices =
      self->application != NULL ? ps_application_get_devices (self->application) : NULL;
  if (devices != NULL)
    g_signal_handlers_disconnect_by_data (devices, self);
  G_OBJECT_CLASS (ps_main_window_parent_class)->dispose (object);
}

static void
ps_main_window_class_init (PsMainWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_main_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, work_switcher);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, logout_button);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, outbox_label);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, device_status);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, training_banner);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, starting_label);
  gtk_widget_class_bind_template_child (widget_class, PsMainWindow, work_stack);
  gtk_widget_class_bind_template_callback (widget_class, info_bar_response_cb);
}

static void
ps_main_window_init (PsMainWindow *self)
{
  g_type_ensure (PS_TYPE_DEVICE_STATUS);
  g_type_ensure (PS_TYPE_OUTBOX_INDICATOR);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);
  self->last_input_us = g_get_monotonic_time ();
}

void
ps_main_window_update_identity (PsMainWindow *self)
{
  const PsConfig *config = ps_application_get_config (self->application);
  const char *office = ps_config_get_string (config, "counter", "office-code");
  const char *counter = ps_config_get_string (config, "counter", "counter-id");

  if (*office != '\0' || *counter != '\0')
    {
      g_autofree char *subtitle =
          g_strdup_printf (_ ("Post office %s · counter %s"), office, counter);
      gtk_header_bar_set_subtitle (self->header_bar, subtitle);
    }
  else
    gtk_header_bar_set_subtitle (self->header_bar, _ ("Post office and counter not configured"));
}

PsMainWindow *
ps_main_window_new (PsApplication *application)
{
  g_return_val_if_fail (PS_IS_APPLICATION (application), NULL);

  PsMainWindow *self = g_object_new (PS_TYPE_MAIN_WINDOW, "application", application, NULL);
  self->application = application;
  ps_main_window_update_identity (self);

  self->login_page = ps_login_page_new (application);
  gtk_widget_show (GTK_WIDGET (self->login_page));
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->login_page), "login");
  g_signal_connect (self->login_page, "logged-in", G_CALLBACK (logged_in_cb), self);
  g_signal_connect (self->login_page, "unlocked", G_CALLBACK (unlocked_cb), self);
  g_signal_connect (self->login_page, "logout-requested", G_CALLBACK (logout_requested_cb), self);

  g_signal_connect_swapped (self->work_stack, "notify::visible-child",
                            G_CALLBACK (ps_main_window_refresh_pages), self);
  g_signal_connect (self, "key-press-event", G_CALLBACK (input_event_cb), self);
  g_signal_connect (self, "button-press-event", G_CALLBACK (input_event_cb), self);
  g_signal_connect_after (self->main_stack, "draw", G_CALLBACK (main_stack_draw_cb), self);

  PsDeviceManager *devices = ps_application_get_devices (application);
  if (devices != NULL)
    {
      g_signal_connect (devices, "device-removed", G_CALLBACK (device_removed_cb), self);
      g_signal_connect (devices, "device-error", G_CALLBACK (device_error_cb), self);
      g_signal_connect (devices, "scan", G_CALLBACK (scan_cb), self);
      g_signal_connect (devices, "weight", G_CALLBACK (weight_cb), self);
    }
  g_signal_connect_swapped (self->device_status, "notify::scale-present",
                            G_CALLBACK (scale_present_cb), self);
  ps_device_status_set_manager (self->device_status, devices,
                                ps_application_get_devices_error (application));

  gboolean training = ps_application_is_training (application);
  gtk_widget_set_visible (GTK_WIDGET (self->training_banner), training);
  if (training)
    gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "training");

  /* A counter screen shows nothing else. */
  gtk_window_maximize (GTK_WINDOW (self));
  self->idle_source = g_timeout_add_seconds (5, idle_tick_cb, self);
  ps_store_worker_run (ps_application_get_worker (application), "open", open_job,
                       GINT_TO_POINTER (training), NULL, NULL, open_done_cb, g_object_ref (self));

  const char *lock_accels[] = { "<Control>l", NULL };
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.lock", lock_accels);
  return self;
}

void
ps_main_window_refresh_pages (PsMainWindow *self)
{
  g_return_if_fail (PS_IS_MAIN_WINDOW (self));
  GtkWidget *visible = gtk_stack_get_visible_child (self->work_stack);
  if (visible == GTK_WIDGET (self->supervisor_page))
    ps_supervisor_page_refresh (self->supervisor_page);
  else if (visible == GTK_WIDGET (self->history_page))
    ps_history_page_refresh (self->history_page);
  ps_main_window_refresh_outbox (self);
}
