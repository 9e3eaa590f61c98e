/* ps-ctl.c — parcelscreenctl's command table, dispatch and help. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#include "ps-config.h"
#include "parcelscreen/ps-error.h"
#include "ps-store.h"
#include "ps-ctl.h"

#include <errno.h>
#include <termios.h>
#include <unistd.h>

static const PsCtlCommand commands[] = {
  { "tracking", "check", N_ ("CODE…"),
    N_ ("Check tracking numbers (UPU S10 and configured formats) and show their parts"),
    ps_ctl_tracking_check },
  { "config", "show", "", N_ ("Show every setting, its value and where it comes from"),
    ps_ctl_config_show },
  { "config", "check", "",
    N_ ("Check the configuration and the checklist, reasons, rules and watch-list files"),
    ps_ctl_config_check },
  { "user", "add", N_ ("LOGIN"),
    N_ ("Add a user (the first one of a counter is its administrator)"), ps_ctl_user_add },
  { "user", "list", "", N_ ("List the users"), ps_ctl_user_list },
  { "user", "passwd", N_ ("LOGIN"), N_ ("Change a user's PIN"), ps_ctl_user_passwd },
  { "user", "disable", N_ ("LOGIN"), N_ ("Disable a user"), ps_ctl_user_disable },
  { "user", "enable", N_ ("LOGIN"), N_ ("Enable a disabled user again"), ps_ctl_user_enable },
  { "user", "unlock", N_ ("LOGIN"), N_ ("Unlock a user locked out by wrong PINs"),
    ps_ctl_user_unlock },
  { "report", "list", "", N_ ("List the held parcels' reports (--all: the closed ones too)"),
    ps_ctl_report_list },
  { "report", "show", N_ ("ID"),
    N_ ("Show a report: the parcel, its people and every custody event"), ps_ctl_report_show },
  { "report", "assess", N_ ("ID"),
    N_ ("Record a supervisor's assessment of a held parcel (--note)"), ps_ctl_report_assess },
  { "report", "handover", N_ ("ID"),
    N_ ("Record the hand-over to the police (--officer, --unit, --badge)"),
    ps_ctl_report_handover },
  { "report", "release", N_ ("ID"), N_ ("Record the release of a held parcel (--note)"),
    ps_ctl_report_release },
  { "report", "close", N_ ("ID"), N_ ("Close a report"), ps_ctl_report_close },
  { "instructions", "list", "",
    N_ ("The police's instructions: open ones first, overdue ones marked; refused ones"),
    ps_ctl_instructions_list },
  { "audit", "verify", "", N_ ("Verify the audit trail and the records it covers"),
    ps_ctl_audit_verify },
  { "db", "check", "", N_ ("Check the database file and its schema version"), ps_ctl_db_check },
  { "db", "migrate", "",
    N_ ("Bring the database to this program's schema (after a backup: db backup)"),
    ps_ctl_db_migrate },
  { "db", "backup", N_ ("FILE"),
    N_ ("Copy the database consistently, even while the counter works"), ps_ctl_db_backup },
  { "db", "purge", "", N_ ("Erase the personal data whose retention period is over"),
    ps_ctl_db_purge },
  { "devices", "list", "", N_ ("List the connected scales and scanners and their state"),
    ps_ctl_devices_list },
  { "devices", "watch", "", N_ ("Print device events as they come: weights, scans, plugs, errors"),
    ps_ctl_devices_watch },
  { "keys", "generate", "",
    N_ ("Create this counter's signing key (its public part goes to the police)"),
    ps_ctl_keys_generate },
  { "keys", "show", "", N_ ("Show the public part of this counter's signing key"),
    ps_ctl_keys_show },
  { "keys", "sign", N_ ("FILE"),
    N_ ("Sign a file with a key (FILE.sig; the police sign their watch lists so)"),
    ps_ctl_keys_sign },
  { "export", "verify", N_ ("DIR"), N_ ("Check an export's signature and the hash of every file"),
    ps_ctl_export_verify },
  { "export", NULL, "",
    N_ ("Export a day's reports for the police liaison: CSV, JSON, PDF, signed manifest"),
    ps_ctl_export },
  { "watchlist", "import", N_ ("FILE"),
    N_ ("Install a watch list from the police, only with a valid signature"),
    ps_ctl_watchlist_import },
  { "forward", NULL, "",
    N_ ("Deliver the queued reports to the police receiver (--once, or --watch as a service)"),
    ps_ctl_forward },
  { "simulate", NULL, "",
    N_ ("Run simulated acceptances through the real core and database (demo, training, tests)"),
    ps_ctl_simulate },
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
      g_autofree char *name = command->action != NULL
                                  ? g_strdup_printf ("%s %s", command->group, command->action)
                                  : g_strdup (command->group);
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
  /* gettext ("") would return the catalogue's header. */
  const char *parameters = *command->parameters != '\0' ? _ (command->parameters) : "";
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname =
      command->action != NULL
          ? g_strdup_printf ("parcelscreenctl %s %s", command->group, command->action)
          : g_strdup_printf ("parcelscreenctl %s", command->group);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, _ (command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "%s: %s\n", prgname, error->message);
      fprintf (stderr, _ ("Run ‘%s --help’ for its options.\n"), prgname);
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
      if (commands[i].action == NULL)
        return commands[i].handler (&commands[i], argc - 1, argv + 1);
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

typedef enum
{
  OPEN_EXISTING,
  OPEN_OR_CREATE,
  OPEN_AS_IS,
} OpenMode;

static PsStore *
open_store (const char *db_path, const char *config_path, PsConfig **config_out, OpenMode mode,
            GError **error)
{
  g_autoptr (PsConfig) config = ps_config_load (config_path, error);
  if (config == NULL)
    return NULL;

  const char *path = db_path != NULL ? db_path : ps_config_get_string (config, "database", "path");
  PsStore *store = mode == OPEN_OR_CREATE ? ps_store_open (path, error)
                   : mode == OPEN_AS_IS   ? ps_store_open_as_is (path, error)
                                          : ps_store_open_existing (path, error);
  if (store != NULL && config_out != NULL)
    *config_out = g_steal_pointer (&config);
  return store;
}

PsStore *
ps_ctl_open_store (const char *db_path, const char *config_path, PsConfig **config_out,
                   GError **error)
{
  return open_store (db_path, config_path, config_out, OPEN_EXISTING, error);
}

PsStore *
ps_ctl_open_store_as_is (const char *db_path, const char *config_path, GError **error)
{
  return open_store (db_path, config_path, NULL, OPEN_AS_IS, error);
}

PsStore *
ps_ctl_create_store (const char *db_path, const char *config_path, PsConfig **config_out,
                     GError **error)
{
  return open_store (db_path, config_path, config_out, OPEN_OR_CREATE, error);
}

char *
ps_ctl_read_pin (const char *prompt, gboolean from_stdin, GError **error)
{
  char line[128];
  FILE *in = stdin;
  FILE *tty = NULL;
  struct termios saved, quiet;

  if (!from_stdin)
    {
      tty = fopen ("/dev/tty", "r+");
      if (tty == NULL)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("There is no terminal to type the PIN on; give it on standard input "
                          "with --pin-stdin."));
          return NULL;
        }
      in = tty;
      fprintf (tty, "%s", prompt);
      fflush (tty);
      tcgetattr (fileno (tty), &saved);
      quiet = saved;
      quiet.c_lflag &= (tcflag_t) ~ECHO;
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }

  char *read = fgets (line, sizeof line, in);

  if (tty != NULL)
    {
      tcsetattr (fileno (tty), TCSAFLUSH, &saved);
      fprintf (tty, "\n");
      fclose (tty);
    }
  if (read == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("No PIN was given."));
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  char *pin = g_strdup (line);
  sodium_memzero (line, sizeof line);
  return pin;
}

int
ps_ctl_fail (GError *error)
{
  fprintf (stderr, "%s\n", error->message);
  return PS_CTL_EXIT_FAILURE;
}
