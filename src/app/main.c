/* main.c — parcelscreen, the post office acceptance counter. */
#include "config.h"

#include "ps-config.h"
#include "ps-application.h"

int
main (int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *database_path = NULL;
  g_autoptr (GError) error = NULL;

  /* The configuration first: it chooses the language. */
  ps_application_scan_arguments (argc, argv, &config_path, &database_path);
  PsConfig *config = ps_config_load (config_path, &error);
  ps_i18n_init (config != NULL ? ps_config_get_string (config, "counter", "language") : NULL);
  if (error != NULL)
    g_printerr ("%s\n", error->message);

  g_autoptr (PsApplication) application = ps_application_new (
      config, error != NULL ? error->message : NULL, config_path, database_path);
  int status = g_application_run (G_APPLICATION (application), argc, argv);
  if (status == 0 && ps_application_has_failed (application))
    status = 1;
  return status;
}
