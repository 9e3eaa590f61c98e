/* ps-ctl-store.c — parcelscreenctl's database commands: users, the audit
 * trail, checks, backups, the retention purge and the simulator. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-config.h"
#include "ps-data-files.h"
#include "ps-simulator.h"
#include "ps-store.h"
#include "ps-ctl.h"

/* The options every database command takes. */
typedef struct
{
  char *db_path;
  char *config_path;
  char *as_login;
  gboolean pin_stdin;
} PsCtlStoreOptions;

static void
store_options_clear (PsCtlStoreOptions *options)
{
  g_free (options->db_path);
  g_free (options->config_path);
  g_free (options->as_login);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsCtlStoreOptions, store_options_clear)

/* How a database command is parsed and opened. */
typedef enum
{
  STORE_COMMAND_ACTOR = 1 << 0,  /* takes --as and --pin-stdin */
  STORE_COMMAND_CREATE = 1 << 1, /* may create the database */
} StoreCommandFlags;

/* Checks the number of positional arguments after option parsing. */
static gboolean
expect_arguments (const PsCtlCommand *command, int argc, int wanted)
{
  if (argc - 1 == wanted)
    return TRUE;
  fprintf (stderr, _ ("parcelscreenctl %s %s: expected %s.\n"), command->group, command->action,
           *command->parameters != '\0' ? _ (command->parameters) : _ ("no argument"));
  return FALSE;
}

static PsLockoutPolicy
lockout_policy (const PsConfig *config)
{
  PsLockoutPolicy policy = {
    (guint) ps_config_get_int (config, "security", "max-pin-failures"),
    ps_config_get_int (config, "security", "lockout-minutes") * 60 * G_USEC_PER_SEC,
  };
  return policy;
}

/* Authenticates --as LOGIN with a PIN; NULL (no actor) when --as is absent. */
static gboolean
acting_admin (PsStore *store, const PsConfig *config, const PsCtlStoreOptions *options,
              PsActor **actor, GError **error)
{
  *actor = NULL;
  if (options->as_login == NULL)
    return TRUE;

  g_autofree char *prompt = g_strdup_printf (_ ("PIN of %s: "), options->as_login);
  g_autofree char *pin = ps_ctl_read_pin (prompt, options->pin_stdin, error);
  if (pin == NULL)
    return FALSE;
  PsLockoutPolicy policy = lockout_policy (config);
  *actor =
      ps_store_authenticate (store, options->as_login, pin, &policy, g_get_real_time (), error);
  return *actor != NULL;
}

/* Parses a database command's arguments: @extra (NULL or an array ended by
 * an empty entry), --db and --config, and --as and --pin-stdin with
 * STORE_COMMAND_ACTOR; then checks that @n_arguments positional arguments
 * are left (any number if negative). FALSE after a usage message. */
static gboolean
parse_store_command (const PsCtlCommand *command, const GOptionEntry *extra,
                     PsCtlStoreOptions *options, StoreCommandFlags flags, int n_arguments,
                     int *argc, char ***argv)
{
  const GOptionEntry store_entries[] = {
    PS_CTL_DB_ENTRY (options->db_path),
    PS_CTL_CONFIG_ENTRY (options->config_path),
  };
  const GOptionEntry actor_entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &options->as_login,
      N_ ("Act as this administrator (asks for their PIN)"), N_ ("LOGIN") },
    { "pin-stdin", 0, 0, G_OPTION_ARG_NONE, &options->pin_stdin,
      N_ ("Read PINs from standard input, one a line, instead of the terminal"), NULL },
  };
  /* Zero-terminated: the last entry is G_OPTION_ENTRY_NULL. */
  g_autoptr (GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  for (; extra != NULL && extra->long_name != NULL; extra++)
    g_array_append_val (entries, *extra);
  g_array_append_vals (entries, store_entries, G_N_ELEMENTS (store_entries));
  if (flags & STORE_COMMAND_ACTOR)
    g_array_append_vals (entries, actor_entries, G_N_ELEMENTS (actor_entries));

  return ps_ctl_parse_options (command, &g_array_index (entries, GOptionEntry, 0), argc, argv) &&
         (n_arguments < 0 || expect_arguments (command, *argc, n_arguments));
}

/* Opens the database of @options (creating it with STORE_COMMAND_CREATE)
 * and authenticates --as if given: @actor is then set, else NULL. */
static PsStore *
open_store_acting (const PsCtlStoreOptions *options, StoreCommandFlags flags, PsConfig **config,
                   PsActor **actor, GError **error)
{
  g_autoptr (PsStore) store =
      (flags & STORE_COMMAND_CREATE)
          ? ps_ctl_create_store (options->db_path, options->config_path, config, error)
          : ps_ctl_open_store (options->db_path, options->config_path, config, error);
  if (store == NULL || !acting_admin (store, *config, options, actor, error))
    return NULL;
  return g_steal_pointer (&store);
}

/* Asks for a new PIN, twice on a terminal. */
static char *
read_new_pin (const char *login, gboolean from_stdin, GError **error)
{
  g_autofree char *prompt = g_strdup_printf (_ ("New PIN for %s: "), login);
  g_autofree char *pin = ps_ctl_read_pin (prompt, from_stdin, error);
  if (pin == NULL || !ps_check_pin (pin, error))
    return NULL;
  if (!from_stdin)
    {
      g_autofree char *again = ps_ctl_read_pin (_ ("The same PIN again: "), FALSE, error);
      if (again == NULL)
        return NULL;
      if (strcmp (pin, again) != 0)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("The two PINs differ."));
          return NULL;
        }
    }
  return g_steal_pointer (&pin);
}

int
ps_ctl_user_add (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autofree char *full_name = NULL;
  g_autofree char *role_id = NULL;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &full_name, N_ ("The user's full name"), N_ ("NAME") },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_id, N_ ("clerk, supervisor or admin"),
      N_ ("ROLE") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, entries, &options, STORE_COMMAND_ACTOR, 1, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  PsRole role;
  if (role_id == NULL || !ps_role_from_id (role_id, &role) || role == PS_ROLE_SYSTEM)
    {
      fprintf (stderr, "%s\n", _ ("Give the role with --role clerk, supervisor or admin."));
      return PS_CTL_EXIT_USAGE;
    }
  if (full_name == NULL)
    {
      fprintf (stderr, "%s\n", _ ("Give the user's full name with --name."));
      return PS_CTL_EXIT_USAGE;
    }

  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsActor) actor = NULL;
  g_autoptr (PsStore) store = open_store_acting (
      &options, STORE_COMMAND_ACTOR | STORE_COMMAND_CREATE, &config, &actor, &error);
  if (store == NULL)
    return ps_ctl_fail (error);
  g_autofree char *pin = read_new_pin (argv[1], options.pin_stdin, &error);
  if (pin == NULL)
    return ps_ctl_fail (error);
  gint64 id =
      ps_store_add_user (store, actor, argv[1], full_name, role, pin, g_get_real_time (), &error);
  sodium_memzero (pin, strlen (pin));
  if (id == 0)
    return ps_ctl_fail (error);
  printf (_ ("Added %s (%s).\n"), argv[1], ps_role_label (role));
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_user_list (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, NULL, &options, 0, 0, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  g_autoptr (PsStore) store =
      ps_ctl_open_store (options.db_path, options.config_path, NULL, &error);
  g_autoptr (GPtrArray) users = store != NULL ? ps_store_list_users (store, &error) : NULL;
  if (users == NULL)
    return ps_ctl_fail (error);

  gint64 now_us = g_get_real_time ();
  for (guint i = 0; i < users->len; i++)
    {
      const PsUserInfo *user = g_ptr_array_index (users, i);
      const char *state = user->disabled                   ? _ ("disabled")
                          : user->locked_until_us > now_us ? _ ("locked out")
                                                           : _ ("active");
      printf ("%-16s %-14s %-12s %s\n", user->login, ps_role_label (user->role), state,
              user->full_name);
    }
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_user_passwd (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, NULL, &options, STORE_COMMAND_ACTOR, 1, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  /* Without --as, users change their own PIN and prove it with the old one. */
  if (options.as_login == NULL)
    options.as_login = g_strdup (argv[1]);
  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsActor) actor = NULL;
  g_autoptr (PsStore) store =
      open_store_acting (&options, STORE_COMMAND_ACTOR, &config, &actor, &error);
  if (store == NULL)
    return ps_ctl_fail (error);
  g_autofree char *pin = read_new_pin (argv[1], options.pin_stdin, &error);
  if (pin == NULL || !ps_store_set_pin (store, actor, argv[1], pin, g_get_real_time (), &error))
    return ps_ctl_fail (error);
  printf (_ ("The PIN of %s is changed.\n"), argv[1]);
  return PS_CTL_EXIT_OK;
}

/* disable, enable and unlock: one user, an administrator acting. */
static int
admin_user_command (const PsCtlCommand *command, int argc, char **argv,
                    gboolean (*apply) (PsStore *, const PsActor *, const char *, GError **),
                    const char *(*done) (void) )
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, NULL, &options, STORE_COMMAND_ACTOR, 1, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (options.as_login == NULL)
    {
      fprintf (stderr, "%s\n", _ ("Give the administrator who does this with --as LOGIN."));
      return PS_CTL_EXIT_USAGE;
    }
  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsActor) actor = NULL;
  g_autoptr (PsStore) store =
      open_store_acting (&options, STORE_COMMAND_ACTOR, &config, &actor, &error);
  if (store == NULL || !apply (store, actor, argv[1], &error))
    return ps_ctl_fail (error);
  printf ("%s: %s\n", argv[1], done ());
  return PS_CTL_EXIT_OK;
}

static gboolean
apply_disable (PsStore *store, const PsActor *actor, const char *login, GError **error)
{
  return ps_store_set_user_disabled (store, actor, login, TRUE, g_get_real_time (), error);
}

static gboolean
apply_enable (PsStore *store, const PsActor *actor, const char *login, GError **error)
{
  return ps_store_set_user_disabled (store, actor, login, FALSE, g_get_real_time (), error);
}

static gboolean
apply_unlock (PsStore *store, const PsActor *actor, const char *login, GError **error)
{
  return ps_store_unlock_user (store, actor, login, g_get_real_time (), error);
}

static const char *
disabled_text (void)
{
  return _ ("disabled");
}

static const char *
enabled_text (void)
{
  return _ ("enabled");
}

static const char *
unlocked_text (void)
{
  return _ ("unlocked");
}

int
ps_ctl_user_disable (const PsCtlCommand *command, int argc, char **argv)
{
  return admin_user_command (command, argc, argv, apply_disable, disabled_text);
}

int
ps_ctl_user_enable (const PsCtlCommand *command, int argc, char **argv)
{
  return admin_user_command (command, argc, argv, apply_enable, enabled_text);
}

int
ps_ctl_user_unlock (const PsCtlCommand *command, int argc, char **argv)
{
  return admin_user_command (command, argc, argv, apply_unlock, unlocked_text);
}

static const char *
audit_problem_label (PsAuditProblem problem)
{
  switch (problem)
    {
      case PS_AUDIT_OK:
        return _ ("whole");
      case PS_AUDIT_CHANGED:
        return _ ("changed");
      case PS_AUDIT_MISSING:
        return _ ("missing");
      case PS_AUDIT_INSERTED:
        return _ ("inserted");
      case PS_AUDIT_RECORD_CHANGED:
        return _ ("record changed");
      case PS_AUDIT_TRUNCATED:
        return _ ("cut off");
      case PS_AUDIT_SCHEMA_CHANGED:
        return _ ("schema changed");
    }
  return "";
}

int
ps_ctl_audit_verify (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autoptr (GError) error = NULL;
  g_auto (PsAuditResult) result = { 0 };

  if (!parse_store_command (command, NULL, &options, 0, 0, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  g_autoptr (PsStore) store =
      ps_ctl_open_store (options.db_path, options.config_path, NULL, &error);
  if (store == NULL || !ps_store_audit_verify (store, &result, &error))
    return ps_ctl_fail (error);

  if (result.problem != PS_AUDIT_OK)
    {
      if (result.problem == PS_AUDIT_SCHEMA_CHANGED)
        printf (_ ("The audit trail cannot be trusted (%s): %s.\n"),
                audit_problem_label (result.problem), result.detail);
      else
        printf (_ ("The audit trail is broken at entry %lld (%s): %s.\n"),
                (long long) result.problem_seq, audit_problem_label (result.problem),
                result.detail);
      return PS_CTL_EXIT_FAILURE;
    }
  printf (_ ("The audit trail is whole: %lld entries, head %s.\n"), (long long) result.n_entries,
          result.head);
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_db_check (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, NULL, &options, 0, 0, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  g_autoptr (PsStore) store =
      ps_ctl_open_store (options.db_path, options.config_path, NULL, &error);
  if (store == NULL || !ps_store_check (store, &error))
    return ps_ctl_fail (error);
  printf (_ ("%s: the database is sound; schema version %d.\n"), ps_store_get_path (store),
          ps_store_get_schema_version (store));
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_db_backup (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_ ("Write over an existing backup file of that name"), NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, entries, &options, 0, 1, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  /* As it is: a backup before an upgrade keeps the old schema. */
  g_autoptr (PsStore) store =
      ps_ctl_open_store_as_is (options.db_path, options.config_path, &error);
  if (store == NULL || !ps_store_backup (store, argv[1], replace, &error))
    return ps_ctl_fail (error);
  printf (_ ("Backed up to %s.\n"), argv[1]);
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_db_migrate (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_ ("Only say whether the database would move (a backup is due first)"), NULL },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, entries, &options, 0, 0, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  int before = 0;
  {
    g_autoptr (PsStore) as_is =
        ps_ctl_open_store_as_is (options.db_path, options.config_path, &error);
    if (as_is == NULL)
      return ps_ctl_fail (error);
    before = ps_store_get_schema_version (as_is);
    if (dry_run)
      {
        if (before == PS_STORE_SCHEMA_VERSION)
          printf (_ ("%s: the database is at schema version %d already.\n"),
                  ps_store_get_path (as_is), before);
        else
          printf (_ ("%s: the database would move from schema version %d to %d.\n"),
                  ps_store_get_path (as_is), before, PS_STORE_SCHEMA_VERSION);
        return PS_CTL_EXIT_OK;
      }
  }
  g_autoptr (PsStore) store =
      ps_ctl_open_store (options.db_path, options.config_path, NULL, &error);
  if (store == NULL || !ps_store_check (store, &error))
    return ps_ctl_fail (error);
  int after = ps_store_get_schema_version (store);
  if (before == after)
    printf (_ ("%s: the database is at schema version %d already.\n"), ps_store_get_path (store),
            after);
  else
    printf (_ ("%s: the database moved from schema version %d to %d.\n"), ps_store_get_path (store),
            before, after);
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_db_purge (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, NULL, &options, STORE_COMMAND_ACTOR, 0, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  /* Without --as the purge runs as the system (from the nightly timer). */
  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsActor) actor = NULL;
  g_autoptr (PsStore) store =
      open_store_acting (&options, STORE_COMMAND_ACTOR, &config, &actor, &error);
  if (store == NULL)
    return ps_ctl_fail (error);

  PsRetentionPolicy policy = {
    (guint) ps_config_get_int (config, "retention", "personal-data-days"),
    (guint) ps_config_get_int (config, "retention", "closed-report-days"),
  };
  gint64 count = ps_store_purge (store, actor, &policy, g_get_real_time (), &error);
  if (count < 0)
    return ps_ctl_fail (error);
  printf (g_dngettext (GETTEXT_PACKAGE, "Erased the personal data of %lld parcel.\n",
                       "Erased the personal data of %lld parcels.\n", (gulong) count),
          (long long) count);
  if (ps_store_erase_pending (store))
    printf ("%s\n", _ ("Another program is reading the database: copies of erased values stay in "
                       "its write-ahead log until it lets go. Run db purge again later to erase "
                       "them (the nightly run does)."));
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_simulate (const PsCtlCommand *command, int argc, char **argv)
{
  g_auto (PsCtlStoreOptions) options = { 0 };
  gint64 parcels = 0;
  double hold_rate = 0.05;
  gint64 seed = 1;
  gint64 batch = 1;
  const GOptionEntry entries[] = {
    { "parcels", 'n', 0, G_OPTION_ARG_INT64, &parcels, N_ ("How many acceptances to run"),
      N_ ("N") },
    { "hold-rate", 0, 0, G_OPTION_ARG_DOUBLE, &hold_rate,
      N_ ("The share of parcels held, 0 to 1 (default 0.05)"), N_ ("R") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_ ("The same seed gives the same parcels"),
      N_ ("S") },
    { "batch", 0, 0, G_OPTION_ARG_INT64, &batch,
      N_ ("Commit this many decisions together (to seed large databases quickly)"), N_ ("B") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!parse_store_command (command, entries, &options, 0, -1, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  if (options.db_path == NULL)
    {
      /* Never the configuration's database: that is the counter's own. */
      fprintf (stderr, "%s\n",
               _ ("parcelscreenctl simulate: give the simulation's own database with --db."));
      return PS_CTL_EXIT_USAGE;
    }
  if (argc > 1 || parcels <= 0 || hold_rate < 0 || hold_rate > 1 || batch < 1)
    {
      fprintf (stderr, "%s\n",
               _ ("parcelscreenctl simulate: give --parcels N (N ≥ 1), --hold-rate from 0 to 1 "
                  "and --batch of at least 1."));
      return PS_CTL_EXIT_USAGE;
    }

  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsStore) store =
      ps_ctl_create_store (options.db_path, options.config_path, &config, &error);
  /* Never a counter's real database: its users and reports are real. */
  if (store == NULL || !ps_store_mark_simulation (store, &error))
    return ps_ctl_fail (error);
  g_autoptr (PsChecklist) checklist = ps_load_checklist (config, &error);
  g_autoptr (PsRules) rules = checklist != NULL ? ps_load_rules (config, &error) : NULL;
  g_autoptr (PsReasons) reasons = rules != NULL ? ps_load_reasons (config, &error) : NULL;
  g_autoptr (PsSimulator) simulator =
      reasons != NULL
          ? ps_simulator_new (store, checklist, rules, reasons, (guint32) seed, hold_rate, &error)
          : NULL;
  if (simulator == NULL)
    return ps_ctl_fail (error);

  /* About a minute a parcel, ending now: a simulated day is in the past, as
   * a real one, and its reports are due for forwarding at once. */
  gint64 now_us = g_get_real_time () - (parcels + 5) * 60 * G_USEC_PER_SEC;
  g_autoptr (GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  for (gint64 i = 0; i < parcels; i++)
    {
      char *tracking = NULL;
      if (batch > 1 && pending->len == 0 && !ps_store_begin_batch (store, &error))
        return ps_ctl_fail (error);
      if (ps_simulator_run_one (simulator, now_us, &tracking, &error) == PS_DECISION_NONE)
        return ps_ctl_fail (error);
      now_us += 60 * G_USEC_PER_SEC;
      g_ptr_array_add (pending, tracking);

      if (batch > 1 && (gint64) pending->len < batch && i + 1 < parcels)
        continue;
      if (batch > 1 && !ps_store_end_batch (store, &error))
        return ps_ctl_fail (error);
      /* Printed only once the commit is on the disk: the crash test relies on it. */
      for (guint p = 0; p < pending->len; p++)
        printf ("committed %s\n", (const char *) g_ptr_array_index (pending, p));
      fflush (stdout);
      g_ptr_array_set_size (pending, 0);
    }
  return PS_CTL_EXIT_OK;
}
