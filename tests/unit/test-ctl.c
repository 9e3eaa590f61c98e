/* test-ctl.c — parcelscreenctl as a person runs it: output and exit status. */
#include <gio/gio.h>

#include "ps-store.h"
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Without a controlling terminal, as in CI, even when the tests run in one. */
static void
detach_from_terminal (gpointer data)
{
  (void) data;
  setsid ();
}

/* Runs parcelscreenctl with @args (NULL-terminated), @language and @input on
 * standard input. */
static void
run_ctl_input (Run *run, const char *language, const char *input, const char *const *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                 G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("PARCELSCREENCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, detach_from_terminal, NULL, NULL);
  g_autoptr (GSubprocess) process =
      g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static void
run_ctl (Run *run, const char *language, const char *const *args)
{
  run_ctl_input (run, language, NULL, args);
}

#define RUN_INPUT(run, input, ...)                                                                 \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *const _args[] = { __VA_ARGS__, NULL };                                             \
    g_clear_pointer (&run.out, g_free);                                                            \
    g_clear_pointer (&run.err, g_free);                                                            \
    run_ctl_input (&run, "en", input, _args);                                                      \
  }                                                                                                \
  G_STMT_END

#define RUN(run, language, ...)                                                                    \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *const _args[] = { __VA_ARGS__, NULL };                                             \
    run_ctl (&run, language, _args);                                                               \
  }                                                                                                \
  G_STMT_END

static void
test_tracking_check (void)
{
  g_auto (Run) valid = { 0 };
  RUN (valid, "en", "tracking", "check", "EE471108151FR", "RB123456785US");
  g_assert_cmpint (valid.status, ==, 0);
  g_assert_nonnull (strstr (valid.out, "EE471108151FR: valid UPU S10 number"));
  g_assert_nonnull (strstr (valid.out, "EMS (express mail service)"));
  g_assert_nonnull (strstr (valid.out, "47110815"));
  g_assert_nonnull (strstr (valid.out, "FR — France"));
  g_assert_nonnull (strstr (valid.out, "RB123456785US: valid UPU S10 number"));
  g_assert_nonnull (strstr (valid.out, "US — United States"));

  g_auto (Run) invalid = { 0 };
  RUN (invalid, "en", "tracking", "check", "EE471108152FR");
  g_assert_cmpint (invalid.status, ==, 1);
  g_assert_nonnull (strstr (invalid.out, "check digit is 2, expected 1"));

  /* One bad among good ones still fails, and all are reported. */
  g_auto (Run) mixed = { 0 };
  RUN (mixed, "en", "tracking", "check", "EE471108151FR", "XX1", "RB123456785US");
  g_assert_cmpint (mixed.status, ==, 1);
  g_assert_nonnull (strstr (mixed.out, "RB123456785US: valid"));
  g_assert_nonnull (strstr (mixed.out, "XX1 is not a valid tracking number"));
}

static void
test_usage (void)
{
  g_auto (Run) none = { 0 };
  RUN (none, "en", "tracking", "check");
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "give at least one tracking number"));

  g_auto (Run) unknown = { 0 };
  RUN (unknown, "en", "teleport");
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "unknown command ‘teleport’"));

  g_auto (Run) action = { 0 };
  RUN (action, "en", "tracking", "print");
  g_assert_cmpint (action.status, ==, 2);
  g_assert_nonnull (strstr (action.err, "unknown command ‘tracking print’"));

  g_auto (Run) option = { 0 };
  RUN (option, "en", "tracking", "check", "--colour");
  g_assert_cmpint (option.status, ==, 2);
  g_assert_nonnull (strstr (option.err, "--colour"));

  g_auto (Run) extra = { 0 };
  RUN (extra, "en", "config", "show", "surplus");
  g_assert_cmpint (extra.status, ==, 2);
}

static void
test_help_and_version (void)
{
  g_auto (Run) version = { 0 };
  RUN (version, "en", "--version");
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "parcelscreenctl "));

  g_auto (Run) help = { 0 };
  RUN (help, "en", "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "tracking check"));
  g_assert_nonnull (strstr (help.out, "config check"));

  /* Every command has its own --help. */
  const char *commands[][2] = { { "tracking", "check" },
                                { "config", "show" },
                                { "config", "check" } };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto (Run) command_help = { 0 };
      RUN (command_help, "en", commands[i][0], commands[i][1], "--help");
      g_assert_cmpint (command_help.status, ==, 0);
      g_autofree char *usage =
          g_strdup_printf ("parcelscreenctl %s %s", commands[i][0], commands[i][1]);
      g_assert_nonnull (strstr (command_help.out, usage));
      g_assert_nonnull (strstr (command_help.out, "--config"));
    }

  g_auto (Run) group = { 0 };
  RUN (group, "en", "config", "--help");
  g_assert_cmpint (group.status, ==, 0);
  g_assert_nonnull (strstr (group.out, "config show"));
  g_assert_null (strstr (group.out, "tracking check"));
}

static void
test_config_commands (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ps-ctl-XXXXXX", &error);
  g_autofree char *good = g_build_filename (dir, "good.conf", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.conf", NULL);
  g_assert_true (g_file_set_contents (good, "[counter]\noffice-code=240000\n", -1, &error));
  g_assert_true (g_file_set_contents (bad, "[counter]\nofice-code=240000\n", -1, &error));

  g_auto (Run) show = { 0 };
  RUN (show, "en", "config", "show", "--config", good);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "counter.office-code = 240000"));
  g_assert_nonnull (strstr (show.out, "good.conf:2"));

  g_auto (Run) check = { 0 };
  RUN (check, "en", "config", "check", "--config", good);
  g_assert_cmpint (check.status, ==, 0);
  g_assert_nonnull (strstr (check.out, "Checklist: 7 items"));
  g_assert_nonnull (strstr (check.out, "valid"));

  g_auto (Run) broken = { 0 };
  RUN (broken, "en", "config", "check", "--config", bad);
  g_assert_cmpint (broken.status, ==, 1);
  g_autofree char *where = g_strdup_printf ("%s:2: unknown key ‘ofice-code’", bad);
  g_assert_nonnull (strstr (broken.err, where));

  /* The tracking check reads operator formats from the configuration too. */
  g_auto (Run) tracking = { 0 };
  RUN (tracking, "en", "tracking", "check", "--config", bad, "EE471108151FR");
  g_assert_cmpint (tracking.status, ==, 1);
  g_assert_nonnull (strstr (tracking.err, "unknown key"));

  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

static void
test_vietnamese (void)
{
  g_auto (Run) invalid = { 0 };
  RUN (invalid, "vi", "tracking", "check", "EE471108152FR");
  g_assert_cmpint (invalid.status, ==, 1);
  g_assert_nonnull (strstr (invalid.out, "chữ số kiểm tra là 2, phải là 1"));

  g_auto (Run) valid = { 0 };
  RUN (valid, "vi", "tracking", "check", "EE471108151FR");
  g_assert_cmpint (valid.status, ==, 0);
  /* The country name comes from iso-codes' Vietnamese catalogue. */
  g_assert_nonnull (strstr (valid.out, "FR — Pháp"));

  g_auto (Run) help = { 0 };
  RUN (help, "vi", "--help");
  g_assert_nonnull (strstr (help.out, "Kiểm tra"));
}

static void
test_store_commands (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ps-ctl-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "counter.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "backup.db", NULL);
  g_auto (Run) run = { 0 };

  /* The first user is the administrator, created without one. */
  RUN_INPUT (run, "739146\n", "user", "add", "admin", "--db", db, "--name", "Quản trị", "--role",
             "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Added admin"));
  RUN_INPUT (run, "739146\n", "user", "add", "lan", "--db", db, "--name", "Lan", "--role", "clerk",
             "--pin-stdin");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Only an administrator manages users"));
  /* Then an administrator acts: their PIN first, then the new user's. */
  RUN_INPUT (run, "739146\n482915\n", "user", "add", "lan", "--db", db, "--name", "Nguyễn Thị Lan",
             "--role", "clerk", "--as", "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 0);
  RUN_INPUT (run, "000000\n482915\n", "user", "add", "hoa", "--db", db, "--name", "Hoa", "--role",
             "clerk", "--as", "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Unknown user or wrong PIN"));
  RUN_INPUT (run, "739146\n123456\n", "user", "add", "hoa", "--db", db, "--name", "Hoa", "--role",
             "clerk", "--as", "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "too easy to guess"));
  RUN_INPUT (run, "739146\n", "user", "add", "hoa", "--db", db, "--role", "chief");
  g_assert_cmpint (run.status, ==, 2);
  /* No terminal and no --pin-stdin: a clear message, not a hang. */
  RUN_INPUT (run, "", "user", "add", "hoa", "--db", db, "--name", "Hoa", "--role", "clerk", "--as",
             "admin");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--pin-stdin"));

  /* Users change their own PIN with the old one. */
  RUN_INPUT (run, "482915\n591846\n", "user", "passwd", "lan", "--db", db, "--pin-stdin");
  g_assert_cmpint (run.status, ==, 0);
  RUN_INPUT (run, "739146\n", "user", "disable", "lan", "--db", db, "--as", "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 0);
  RUN_INPUT (run, NULL, "user", "list", "--db", db);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "lan"));
  g_assert_nonnull (strstr (run.out, "disabled"));
  RUN_INPUT (run, "739146\n", "user", "enable", "lan", "--db", db, "--as", "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 0);
  RUN_INPUT (run, "739146\n", "user", "unlock", "lan", "--db", db, "--as", "admin", "--pin-stdin");
  g_assert_cmpint (run.status, ==, 0);
  RUN_INPUT (run, NULL, "user", "unlock", "lan", "--db", db);
  g_assert_cmpint (run.status, ==, 2);

  /* The audit trail: whole, then tampered with. */
  RUN_INPUT (run, NULL, "audit", "verify", "--db", db);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "The audit trail is whole"));
  RUN_INPUT (run, NULL, "db", "check", "--db", db);
  g_assert_cmpint (run.status, ==, 0);
  g_autofree char *schema = g_strdup_printf ("schema version %d", PS_STORE_SCHEMA_VERSION);
  g_assert_nonnull (strstr (run.out, schema));
  RUN_INPUT (run, NULL, "db", "backup", backup, "--db", db);
  g_assert_cmpint (run.status, ==, 0);
  RUN_INPUT (run, NULL, "db", "purge", "--db", db);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Erased the personal data of 0 parcels"));

  g_autofree char *sql = g_strdup_printf ("sqlite3 %s \"DROP TRIGGER audit_no_update; UPDATE audit "
                                          "SET action = 'nothing' WHERE seq = 2\"",
                                          backup);
  int status;
  g_spawn_command_line_sync (sql, NULL, NULL, &status, NULL);
  if (g_spawn_check_wait_status (status, NULL))
    {
      RUN_INPUT (run, NULL, "audit", "verify", "--db", backup);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.out, "broken at entry 2 (changed)"));
    }

  /* The simulator prints each committed tracking number. */
  g_autofree char *sim = g_build_filename (dir, "sim.db", NULL);
  RUN_INPUT (run, NULL, "simulate", "--db", sim, "--parcels", "25", "--seed", "7");
  g_assert_cmpint (run.status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 25);
  g_assert_true (g_str_has_prefix (lines[0], "committed "));
  RUN_INPUT (run, NULL, "simulate", "--db", db, "--parcels", "1");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "needs a new database or one it made"));
  RUN_INPUT (run, NULL, "simulate", "--db", sim, "--parcels", "0");
  g_assert_cmpint (run.status, ==, 2);

  /* A database from the future is refused with a clear message. */
  g_autofree char *future = g_strdup_printf ("sqlite3 %s \"PRAGMA user_version = 42\"", sim);
  g_spawn_command_line_sync (future, NULL, NULL, &status, NULL);
  RUN_INPUT (run, NULL, "db", "check", "--db", sim);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "newer ParcelScreen"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("PARCELSCREENCTL") == NULL)
    {
      g_test_message ("PARCELSCREENCTL is not set; run this test with meson test");
      return 77;
    }
  g_test_add_func ("/ctl/tracking-check", test_tracking_check);
  g_test_add_func ("/ctl/usage", test_usage);
  g_test_add_func ("/ctl/help-and-version", test_help_and_version);
  g_test_add_func ("/ctl/config-commands", test_config_commands);
  g_test_add_func ("/ctl/vietnamese", test_vietnamese);
  g_test_add_func ("/ctl/store-commands", test_store_commands);
  return g_test_run ();
}
