/* ps-ctl-config.c — `parcelscreenctl config show|check`. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-config.h"
#include "ps-data-files.h"
#include "ps-signing.h"
#include "ps-ctl.h"

/* Parses the options shared by the config commands and loads the configuration. */
static PsConfig *
load_for_command (const PsCtlCommand *command, int *argc, char ***argv, int *status)
{
  g_autofree char *config_path = NULL;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("Read this configuration file after the system's and the user's"), N_ ("FILE") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, argc, argv))
    {
      *status = PS_CTL_EXIT_USAGE;
      return NULL;
    }
  if (*argc > 1)
    {
      fprintf (stderr, _ ("parcelscreenctl %s %s: unexpected argument ‘%s’.\n"), command->group,
               command->action, (*argv)[1]);
      *status = PS_CTL_EXIT_USAGE;
      return NULL;
    }

  PsConfig *config = ps_config_load (config_path, &error);
  if (config == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      *status = PS_CTL_EXIT_FAILURE;
    }
  return config;
}

static void
print_files (const PsConfig *config)
{
  const char *const *files = ps_config_get_files (config);

  if (files[0] == NULL)
    printf ("%s\n", _ ("No configuration file found; built-in defaults apply."));
  for (guint i = 0; files[i] != NULL; i++)
    printf (_ ("Read %s\n"), files[i]);
}

int
ps_ctl_config_show (const PsCtlCommand *command, int argc, char **argv)
{
  int status = PS_CTL_EXIT_OK;
  g_autoptr (PsConfig) config = load_for_command (command, &argc, &argv, &status);
  if (config == NULL)
    return status;

  print_files (config);
  g_autofree char *description = ps_config_describe (config);
  printf ("%s", description);
  return PS_CTL_EXIT_OK;
}

/* Loads every data file the configuration names and prints what it holds. */
static gboolean
check_data_files (const PsConfig *config, GError **error)
{
  g_autoptr (PsChecklist) checklist = ps_load_checklist (config, error);
  if (checklist == NULL)
    return FALSE;
  printf (_ ("Checklist: %u items (%s)\n"), ps_checklist_get_n_items (checklist),
          ps_config_get_string (config, "data", "checklist"));

  g_autoptr (PsReasons) reasons = ps_load_reasons (config, error);
  if (reasons == NULL)
    return FALSE;
  printf (_ ("Reasons: %u (%s)\n"), ps_reasons_get_n (reasons),
          ps_config_get_string (config, "data", "reasons"));

  g_autoptr (PsRules) rules = ps_load_rules (config, error);
  if (rules == NULL)
    return FALSE;
  printf (_ ("Risk rules: %u, threshold %u (%s)\n"), ps_rules_get_n (rules),
          ps_rules_get_threshold (rules), ps_config_get_string (config, "data", "rules"));

  if (!ps_watchlist_check_signature (config, error))
    return FALSE;
  g_autoptr (PsWatchlist) watchlist = ps_load_watchlist (config, error);
  if (watchlist == NULL)
    return FALSE;
  printf (_ ("Watch list: %u entries\n"), ps_watchlist_get_n (watchlist));
  return TRUE;
}

int
ps_ctl_config_check (const PsCtlCommand *command, int argc, char **argv)
{
  int status = PS_CTL_EXIT_OK;
  g_autoptr (PsConfig) config = load_for_command (command, &argc, &argv, &status);
  g_autoptr (GError) error = NULL;

  if (config == NULL)
    return status;
  print_files (config);

  if (!check_data_files (config, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return PS_CTL_EXIT_FAILURE;
    }
  printf ("%s\n", _ ("The configuration and the data files are valid."));
  return PS_CTL_EXIT_OK;
}
