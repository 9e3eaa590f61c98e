/* ps-application.c — the counter application: options, configuration,
 * style sheet and the main window. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-relay.h"

#include "ps-application.h"
#include "ps-forwarder-service.h"
#include "ps-main-window.h"
#include "ps-resources.h"

struct _PsApplication
{
  GtkApplication parent_instance;

  char *config_path;
  char *database_path;
  char *config_error;
  PsConfig *config;
  gboolean training;

  PsChecklist *checklist;
  PsReasons *reasons;
  PsRules *rules;
  PsWatchlist *watchlist;

  PsStoreWorker *worker;
  PsDeviceManager *devices;
  char *devices_error;
  PsSession *session;

  PsForwarderService *forwarder; /* started once the database is open */
  guint signal_sources[2];
  gboolean kiosk;           /* --kiosk */
  gboolean exit_when_ready; /* --exit-when-ready */
};

G_DEFINE_FINAL_TYPE (PsApplication, ps_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Read this configuration file after the system's and the user's"), N_ ("FILE") },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Use this database file"), N_ ("FILE") },
  { "training", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Training mode: a separate database, simulated scans and weights, nothing forwarded"),
    NULL },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Full screen, without a close button (the counter PC's kiosk session)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  /* For the start-up benchmark: quit once the first page is on screen. */
  { "exit-when-ready", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  G_OPTION_ENTRY_NULL,
};

static void
ps_application_finalize (GObject *object)
{
  PsApplication *self = PS_APPLICATION (object);

  g_free (self->config_path);
  g_free (self->database_path);
  g_free (self->config_error);
  g_free (self->devices_error);
  g_clear_object (&self->forwarder);
  ps_config_unref (self->config);
  g_clear_pointer (&self->checklist, ps_checklist_unref);
  g_clear_pointer (&self->reasons, ps_reasons_unref);
  g_clear_pointer (&self->rules, ps_rules_unref);
  g_clear_pointer (&self->watchlist, ps_watchlist_unref);
  g_clear_object (&self->worker);
  g_clear_object (&self->devices);
  g_clear_pointer (&self->session, ps_session_free);
  G_OBJECT_CLASS (ps_application_parent_class)->finalize (object);
}

static int
ps_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  (void) application;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("parcelscreen %s\n", PACKAGE_VERSION);
      return 0;
    }
  PS_APPLICATION (application)->training = g_variant_dict_contains (options, "training");
  PS_APPLICATION (application)->kiosk = g_variant_dict_contains (options, "kiosk");
  PS_APPLICATION (application)->exit_when_ready =
      g_variant_dict_contains (options, "exit-when-ready");
  return -1;
}

void
ps_application_scan_arguments (int argc, char **argv, char **config_path, char **database_path)
{
  /* The same entries as the application's, on a copy of the arguments:
   * only --config and --database are taken; the rest (and --help) is left
   * to GApplication. */
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, config_path, NULL, NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, database_path, NULL, NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_auto (GStrv) copy = g_new0 (char *, (gsize) argc + 1);

  *config_path = NULL;
  *database_path = NULL;
  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  /* A malformed option is reported by GApplication's own parse. */
  g_option_context_parse_strv (context, &copy, NULL);
}

static void
load_style (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/vn/parcelscreen/Counter/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
show_config_error (PsApplication *self, const char *message)
{
  GtkWidget *dialog =
      gtk_message_dialog_new (NULL, GTK_DIALOG_MODAL, GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s",
                              _ ("ParcelScreen cannot start: the configuration is "
                                 "broken"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s\n\n%s", message,
                                            _ ("Ask the technician to correct the file."));
  gtk_window_set_title (GTK_WINDOW (dialog), "ParcelScreen");
  gtk_application_add_window (GTK_APPLICATION (self), GTK_WINDOW (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

/* Loads the checklist, reasons, rules and watch list; on failure keeps the
 * reason in config_error, shown instead of the window. */
static gboolean
load_data_files (PsApplication *self)
{
  g_autoptr (GError) error = NULL;

  self->checklist = ps_load_checklist (self->config, &error);
  if (self->checklist != NULL)
    self->reasons = ps_load_reasons (self->config, &error);
  if (self->reasons != NULL)
    self->rules = ps_load_rules (self->config, &error);
  if (self->rules != NULL && ps_watchlist_check_signature (self->config, &error))
    self->watchlist = ps_load_watchlist (self->config, &error);
  if (error == NULL)
    return TRUE;
  g_free (self->config_error);
  self->config_error = g_strdup (error->message);
  return FALSE;
}

static void
start_devices (PsApplication *self)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) ids =
      g_strsplit (ps_config_get_string (self->config, "devices", "scanner-ids"), ";", -1);

  self->devices = ps_device_manager_new ((const char *const *) ids, &error);
  if (self->devices != NULL && !ps_device_manager_start (self->devices, &error))
    g_clear_object (&self->devices);
  if (self->devices == NULL)
    {
      g_warning ("USB devices unavailable: %s", error->message);
      self->devices_error = g_strdup (error->message);
    }
}

void
ps_application_start_forwarder (PsApplication *self)
{
  g_return_if_fail (PS_IS_APPLICATION (self));
  /* Nothing of a training database is ever forwarded. */
  if (self->forwarder != NULL || self->training)
    return;
  self->forwarder = ps_forwarder_service_new (self->config, self->config_path,
                                              ps_application_get_database_path (self));
  ps_forwarder_service_start (self->forwarder);
}

/* SIGTERM (systemd stopping the kiosk session, a shutdown) and SIGINT close
 * the program as its window does: the clerk's shift is ended, the forwarder
 * stopped, every queued report kept. */
static gboolean
quit_signal_cb (gpointer data)
{
  g_application_quit (data);
  return G_SOURCE_CONTINUE;
}

static void
ps_application_startup (GApplication *application)
{
  PsApplication *self = PS_APPLICATION (application);

  G_APPLICATION_CLASS (ps_application_parent_class)->startup (application);
  self->signal_sources[0] = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->signal_sources[1] = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  ps_register_resource ();
  g_set_application_name ("ParcelScreen");
  gtk_window_set_default_icon_name (PS_APPLICATION_ID);
  load_style ();

  if (self->config == NULL || !load_data_files (self))
    {
      g_clear_pointer (&self->config, ps_config_unref);
      return;
    }
  self->worker = ps_store_worker_new (ps_application_get_database_path (self));
  start_devices (self);
}

/* A shift ended, and why: the audit trail says what happened. */
typedef struct
{
  PsSession *session;
  const char *reason; /* static */
} Logout;

static void
logout_free (Logout *logout)
{
  ps_session_free (logout->session);
  g_free (logout);
}

/* Nobody waits for the answer: a failure is logged. */
static void
logout_job (GTask *task, PsStore *store, gpointer data)
{
  Logout *logout = data;
  GError *error = NULL;
  if (!ps_store_logout (store, logout->session, logout->reason, g_get_real_time (), &error))
    {
      g_warning ("The end of a session could not be recorded: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
end_session (PsApplication *self, const char *reason)
{
  Logout *logout = g_new0 (Logout, 1);
  logout->session = g_steal_pointer (&self->session);
  logout->reason = reason;
  ps_store_worker_run (self->worker, "log out", logout_job, logout, (GDestroyNotify) logout_free,
                       NULL, NULL, NULL);
}

static void
ps_application_shutdown (GApplication *application)
{
  PsApplication *self = PS_APPLICATION (application);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  if (self->devices != NULL)
    ps_device_manager_stop (self->devices);
  if (self->forwarder != NULL)
    ps_forwarder_service_stop (self->forwarder);
  if (self->worker != NULL)
    {
      if (self->session != NULL)
        end_session (self, "program closed");
      ps_store_worker_drain (self->worker);
    }
  G_APPLICATION_CLASS (ps_application_parent_class)->shutdown (application);
}

static void
ps_application_activate (GApplication *application)
{
  PsApplication *self = PS_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL && self->config == NULL)
    {
      /* The benchmark's start has nobody to close the dialog: it fails. */
      if (self->exit_when_ready)
        g_printerr ("%s\n", self->config_error);
      else
        show_config_error (self, self->config_error);
      return;
    }
  if (window == NULL)
    window = GTK_WINDOW (ps_main_window_new (self));
  if (self->kiosk)
    {
      /* Nothing to close or leave: the kiosk session restarts the program. */
      GtkWidget *titlebar = gtk_window_get_titlebar (window);
      if (GTK_IS_HEADER_BAR (titlebar))
        gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (titlebar), FALSE);
      gtk_window_set_deletable (window, FALSE);
      gtk_window_fullscreen (window);
    }
  gtk_window_present (window);
}

static void
ps_application_class_init (PsApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ps_application_finalize;
  application_class->handle_local_options = ps_application_handle_local_options;
  application_class->startup = ps_application_startup;
  application_class->shutdown = ps_application_shutdown;
  application_class->activate = ps_application_activate;
}

static void
ps_application_init (PsApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

PsApplication *
ps_application_new (PsConfig *config, const char *config_error, const char *config_path,
                    const char *database_path)
{
  g_return_val_if_fail (config != NULL || config_error != NULL, NULL);

  PsApplication *self = g_object_new (PS_TYPE_APPLICATION, "application-id", PS_APPLICATION_ID,
                                      "flags", G_APPLICATION_DEFAULT_FLAGS, NULL);
  self->config = config;
  self->config_error = g_strdup (config_error);
  self->config_path = g_strdup (config_path);
  self->database_path = g_strdup (database_path);
  return self;
}

const PsConfig *
ps_application_get_config (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->config;
}

const char *
ps_application_get_database_path (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  if (self->database_path != NULL)
    return self->database_path;
  return ps_config_get_string (self->config, "database", self->training ? "training-path" : "path");
}

gboolean
ps_application_has_failed (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), TRUE);
  return self->config == NULL;
}

gboolean
ps_application_exits_when_ready (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), FALSE);
  return self->exit_when_ready;
}

gboolean
ps_application_is_training (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), FALSE);
  return self->training;
}

PsStoreWorker *
ps_application_get_worker (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->worker;
}

PsDeviceManager *
ps_application_get_devices (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->devices;
}

const char *
ps_application_get_devices_error (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->devices_error;
}

PsChecklist *
ps_application_get_checklist (PsApplication *self)
{
  return self->checklist;
}

PsReasons *
ps_application_get_reasons (PsApplication *self)
{
  return self->reasons;
}

PsRules *
ps_application_get_rules (PsApplication *self)
{
  return self->rules;
}

PsWatchlist *
ps_application_get_watchlist (PsApplication *self)
{
  return self->watchlist;
}

void
ps_application_get_lockout_policy (PsApplication *self, PsLockoutPolicy *policy)
{
  policy->max_failures = (guint) ps_config_get_int (self->config, "security", "max-pin-failures");
  policy->lockout_us =
      ps_config_get_int (self->config, "security", "lockout-minutes") * 60 * G_USEC_PER_SEC;
}

void
ps_application_get_printout_context (PsApplication *self, PsPrintoutContext *context)
{
  context->office_code = ps_config_get_string (self->config, "counter", "office-code");
  context->counter_id = ps_config_get_string (self->config, "counter", "counter-id");
  context->message_vi = ps_config_get_string (self->config, "receipt", "message-vi");
  context->message_en = ps_config_get_string (self->config, "receipt", "message-en");
  context->training = self->training;
  context->reasons = self->reasons;
}

const PsSession *
ps_application_get_session (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->session;
}

void
ps_application_set_session (PsApplication *self, PsSession *session)
{
  g_return_if_fail (PS_IS_APPLICATION (self));
  if (self->session != NULL && session != self->session)
    end_session (self, "logged out");
  self->session = session;
}

gboolean
ps_application_save_identity (PsApplication *self, const char *office_code, const char *counter_id,
                              GError **error)
{
  g_autofree char *directory = g_build_filename (g_get_user_config_dir (), "parcelscreen", NULL);
  g_autofree char *path = g_build_filename (directory, "parcelscreen.conf", NULL);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("Cannot read %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  g_key_file_set_string (file, "counter", "office-code", office_code);
  g_key_file_set_string (file, "counter", "counter-id", counter_id);
  g_clear_error (&local_error);
  if (g_mkdir_with_parents (directory, 0700) != 0 ||
      !g_key_file_save_to_file (file, path, &local_error))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("Cannot write %s: %s"), path,
                   local_error != NULL ? local_error->message : g_strerror (errno));
      return FALSE;
    }

  PsConfig *config = ps_config_load (self->config_path, &local_error);
  if (config == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Who still needs the old configuration (the forwarder service) holds a
   * reference of its own. */
  ps_config_unref (self->config);
  self->config = config;
  return TRUE;
}

char *
ps_application_save_pdf (PsApplication *self, PsPrintout *printout, const char *name,
                         GError **error)
{
  const char *folder = ps_config_get_string (self->config, "printing", "pdf-folder");
  if (folder == NULL || *folder == '\0')
    return NULL;
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("Cannot create the folder %s: %s"), folder,
                   g_strerror (errno));
      return NULL;
    }
  char *path = g_build_filename (folder, name, NULL);
  if (!ps_printout_export_pdf (printout, path, error))
    g_clear_pointer (&path, g_free);
  return path;
}

const char *
ps_application_get_forwarder_error (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->forwarder != NULL ? ps_forwarder_service_get_error (self->forwarder) : NULL;
}
