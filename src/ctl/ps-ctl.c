/* ps-ctl.c — parcelscreenctl's command table, dispatch and help. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "parcelscreen/ps-config.h"
#include "ps-ctl.h"

static const PsCtlCommand commands[] = {
  { "tracking", "check", N_ ("CODE…"),
    N_ ("Check tracking numbers (UPU S10 and configured formats) and show their parts"),
    ps_ctl_tracking_check },
  { "config", "show", "", N_ ("Show every setting, its value and where it comes from"),
    ps_ctl_config_show },
  { "config", "check", "",
    N_ ("Check the configuration and the checklist, reasons, rules and watch-list files"),
    ps_ctl_config_check },
};

static void
print_commands (FILE *out, const char *group)
{
  fprintf (out, "%s\n", _ ("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const PsCtlCommand *command = &commands[i];
      if (group != NULL && strcmp (group, command->group) != 0)
        continue;
      g_autofree char *name = g_strdup_printf ("%s %s", command->group, command->action);
      fprintf (out, "  %-18s %s\n", name, _ (command->summary));
    }
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _ ("Usage: parcelscreenctl COMMAND [OPTION…]"));
  fprintf (out, "%s\n\n",
           _ ("The command-line tool of ParcelScreen, the post office acceptance "
              "counter."));
  print_commands (out, NULL);
  fprintf (out, "\n%s\n", _ ("Run ‘parcelscreenctl COMMAND --help’ for the options of a command."));
  fprintf (out, "%s\n", _ ("  --version          Show the version and exit"));
}

gboolean
ps_ctl_parse_options (const PsCtlCommand *command, const GOptionEntry *entries, int *argc,
                      char ***argv)
{
  g_autofree char *parameters = g_strdup_printf ("%s", _ (command->parameters));
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname =
      g_strdup_printf ("parcelscreenctl %s %s", command->group, command->action);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, _ (command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "parcelscreenctl %s %s: %s\n", command->group, command->action,
               error->message);
      fprintf (stderr, _ ("Run ‘parcelscreenctl %s %s --help’ for its options.\n"), command->group,
               command->action);
      return FALSE;
    }
  return TRUE;
}

int
ps_ctl_main (int argc, char **argv)
{
  ps_i18n_init (NULL);

  if (argc < 2)
    {
      print_help (stderr);
      return PS_CTL_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return PS_CTL_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "version") == 0)
    {
      printf ("parcelscreenctl %s\n", PACKAGE_VERSION);
      return PS_CTL_EXIT_OK;
    }

  gboolean group_known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (commands[i].group, argv[1]) != 0)
        continue;
      group_known = TRUE;
      if (argc >= 3 && strcmp (commands[i].action, argv[2]) == 0)
        {
          /* The command sees "parcelscreenctl GROUP ACTION" as its argv[0]. */
          argv[2] = argv[0];
          return commands[i].handler (&commands[i], argc - 2, argv + 2);
        }
    }

  if (group_known)
    {
      gboolean asked =
          argc >= 3 && (strcmp (argv[2], "--help") == 0 || strcmp (argv[2], "-h") == 0);
      if (!asked && argc >= 3)
        fprintf (stderr, _ ("parcelscreenctl: unknown command ‘%s %s’.\n"), argv[1], argv[2]);
      else if (!asked)
        fprintf (stderr, _ ("parcelscreenctl: ‘%s’ needs a command.\n"), argv[1]);
      print_commands (asked ? stdout : stderr, argv[1]);
      return asked ? PS_CTL_EXIT_OK : PS_CTL_EXIT_USAGE;
    }

  fprintf (stderr, _ ("parcelscreenctl: unknown command ‘%s’.\n\n"), argv[1]);
  print_help (stderr);
  return PS_CTL_EXIT_USAGE;
}
