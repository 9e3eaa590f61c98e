/* ps-application.c — the counter application: options, configuration,
 * style sheet and the main window. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-application.h"
#include "ps-main-window.h"
#include "ps-resources.h"

struct _PsApplication
{
  GtkApplication parent_instance;

  char *config_path;
  char *database_path;
  PsConfig *config;
};

G_DEFINE_FINAL_TYPE (PsApplication, ps_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Read this configuration file after the system's and the user's"), N_("FILE") },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL, N_("Use this database file"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  G_OPTION_ENTRY_NULL,
};

static void
ps_application_finalize (GObject *object)
{
  PsApplication *self = PS_APPLICATION (object);

  g_free (self->config_path);
  g_free (self->database_path);
  ps_config_free (self->config);
  G_OBJECT_CLASS (ps_application_parent_class)->finalize (object);
}

static int
ps_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  PsApplication *self = PS_APPLICATION (application);
  g_autoptr (GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("parcelscreen %s\n", PACKAGE_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "config", "^ay", &self->config_path);
  g_variant_dict_lookup (options, "database", "^ay", &self->database_path);

  self->config = ps_config_load (self->config_path, &error);
  if (self->config == NULL)
    {
      /* Shown in a dialog too, once GTK is up: the clerk may have no terminal. */
      g_printerr ("%s\n", error->message);
      g_object_set_data_full (G_OBJECT (self), "config-error", g_strdup (error->message), g_free);
      return -1;
    }

  /* The configured language wins over the system's. */
  ps_i18n_init (ps_config_get_string (self->config, "counter", "language"));
  return -1;
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
  GtkWidget *dialog = gtk_message_dialog_new (NULL, GTK_DIALOG_MODAL, GTK_MESSAGE_ERROR,
                                              GTK_BUTTONS_CLOSE, "%s",
                                              _("ParcelScreen cannot start: the configuration is "
                                                "broken"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s\n\n%s", message,
                                            _("Ask the technician to correct the file."));
  gtk_window_set_title (GTK_WINDOW (dialog), "ParcelScreen");
  gtk_application_add_window (GTK_APPLICATION (self), GTK_WINDOW (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

static void
ps_application_startup (GApplication *application)
{
  G_APPLICATION_CLASS (ps_application_parent_class)->startup (application);
  ps_register_resource ();
  g_set_application_name ("ParcelScreen");
  gtk_window_set_default_icon_name (PS_APPLICATION_ID);
  load_style ();
}

static void
ps_application_activate (GApplication *application)
{
  PsApplication *self = PS_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *config_error = g_object_get_data (G_OBJECT (self), "config-error");

  if (window == NULL && config_error != NULL)
    {
      show_config_error (self, config_error);
      return;
    }
  if (window == NULL)
    window = GTK_WINDOW (ps_main_window_new (self));
  gtk_window_present (window);
}

static void
ps_application_class_init (PsApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ps_application_finalize;
  application_class->handle_local_options = ps_application_handle_local_options;
  application_class->startup = ps_application_startup;
  application_class->activate = ps_application_activate;
}

static void
ps_application_init (PsApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

PsApplication *
ps_application_new (void)
{
  return g_object_new (PS_TYPE_APPLICATION, "application-id", PS_APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, NULL);
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
  return ps_config_get_string (self->config, "database", "path");
}

gboolean
ps_application_has_failed (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), TRUE);
  return self->config == NULL;
}
