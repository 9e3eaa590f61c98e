/* ps-application.c — the counter application: options, configuration,
 * style sheet and the main window. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ps-application.h"
#include "ps-main-window.h"
#include "ps-resources.h"

struct _PsApplication
{
  GtkApplication parent_instance;

  char *database_path;
  char *config_error;
  PsConfig *config;
};

G_DEFINE_FINAL_TYPE (PsApplication, ps_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Read this configuration file after the system's and the user's"), N_ ("FILE") },
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Use this database file"), N_ ("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  G_OPTION_ENTRY_NULL,
};

static void
ps_application_finalize (GObject *object)
{
  PsApplication *self = PS_APPLICATION (object);

  g_free (self->database_path);
  g_free (self->config_error);
  ps_config_free (self->config);
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
  return -1;
}

/* Returns the value of option @long_name/@short_name at @argv[*i], moving
 * *i past it, or NULL if @argv[*i] is not that option. */
static const char *
option_value (int argc, char **argv, int *i, const char *long_name, char short_name)
{
  const char *arg = argv[*i];
  gsize long_len = strlen (long_name);

  if (strncmp (arg, "--", 2) == 0 && strncmp (arg + 2, long_name, long_len) == 0)
    {
      if (arg[2 + long_len] == '=')
        return arg + 3 + long_len;
      if (arg[2 + long_len] == '\0' && *i + 1 < argc)
        return argv[++*i];
      return NULL;
    }
  if (arg[0] == '-' && arg[1] == short_name)
    {
      if (arg[2] != '\0')
        return arg + 2;
      if (*i + 1 < argc)
        return argv[++*i];
    }
  return NULL;
}

void
ps_application_scan_arguments (int argc, char **argv, char **config_path, char **database_path)
{
  *config_path = NULL;
  *database_path = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      const char *value = option_value (argc, argv, &i, "config", 'c');
      if (value != NULL)
        {
          g_free (*config_path);
          *config_path = g_strdup (value);
          continue;
        }
      value = option_value (argc, argv, &i, "database", 'd');
      if (value != NULL)
        {
          g_free (*database_path);
          *database_path = g_strdup (value);
        }
    }
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
  if (window == NULL && self->config == NULL)
    {
      show_config_error (self, self->config_error);
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
ps_application_new (PsConfig *config, const char *config_error, const char *database_path)
{
  g_return_val_if_fail (config != NULL || config_error != NULL, NULL);

  PsApplication *self = g_object_new (PS_TYPE_APPLICATION, "application-id", PS_APPLICATION_ID,
                                      "flags", G_APPLICATION_DEFAULT_FLAGS, NULL);
  self->config = config;
  self->config_error = g_strdup (config_error);
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
  return ps_config_get_string (self->config, "database", "path");
}

gboolean
ps_application_has_failed (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), TRUE);
  return self->config == NULL;
}
