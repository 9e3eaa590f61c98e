/* test-crash.c — kill -9 a `parcelscreenctl simulate` at random moments.
 *
 * Every tracking number the child printed as committed (it prints only
 * after the commit returned) must be in the database; the file must pass
 * integrity_check, and the audit trail — which binds every decision's rows
 * by digest — must verify, so that nothing is half-written.
 */
#include "ps-test-util.h"

#include <gio/gio.h>
#include <string.h>

#define ROUNDS 12

typedef struct
{
  GDataInputStream *input;
  GPtrArray *committed;
} Reader;

static gpointer
read_lines (gpointer data)
{
  Reader *reader = data;
  char *line;
  gsize length;

  /* Only whole lines: a line cut by the kill has no newline and is not read. */
  while ((line = g_data_input_stream_read_line (reader->input, &length, NULL, NULL)) != NULL)
    {
      if (g_str_has_prefix (line, "committed "))
        g_ptr_array_add (reader->committed, g_strdup (line + strlen ("committed ")));
      g_free (line);
    }
  return NULL;
}

static void
test_kill_nine (void)
{
  const char *ctl = g_getenv ("PARCELSCREENCTL");
  g_autofree char *dir = ps_test_mkdtemp ();
  g_autofree char *db = g_build_filename (dir, "counter.db", NULL);
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  GRand *rand = g_rand_new_with_seed (20261128);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *seed = g_strdup_printf ("%u", round + 1);
      const char *batch = round % 3 == 2 ? "7" : "1";
      g_autofree char *log = g_build_filename (dir, "simulate.log", NULL);
      g_autoptr (GSubprocessLauncher) launcher =
          g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_subprocess_launcher_set_stderr_file_path (launcher, log);
      g_autoptr (GSubprocess) child = g_subprocess_launcher_spawn (
          launcher, &error, ctl, "simulate", "--db", db, "--parcels", "1000000", "--hold-rate",
          "0.2", "--seed", seed, "--batch", batch, NULL);
      g_assert_no_error (error);

      Reader reader = {
        g_data_input_stream_new (g_subprocess_get_stdout_pipe (child)),
        g_ptr_array_new_with_free_func (g_free),
      };
      GThread *thread = g_thread_new ("reader", read_lines, &reader);

      /* Past the start-up (PIN hashing) most of the time, not always. */
      g_usleep ((gulong) g_rand_int_range (rand, 150, 1500) * 1000);
      g_subprocess_force_exit (child); /* SIGKILL */
      g_subprocess_wait (child, NULL, NULL);
      g_thread_join (thread);
      if (!g_subprocess_get_if_signaled (child))
        {
          /* It stopped by itself: say why, from what it wrote. */
          g_autofree char *written = NULL;
          g_file_get_contents (log, &written, NULL, NULL);
          g_error ("round %u: the simulator exited with status %d before it was killed: %s", round,
                   g_subprocess_get_exit_status (child), written != NULL ? written : "");
        }

      g_autoptr (PsStore) store = ps_store_open (db, &error);
      g_assert_no_error (error);
      g_assert_true (ps_store_check (store, &error));
      g_assert_no_error (error);
      g_auto (PsAuditResult) result = { 0 };
      g_assert_true (ps_store_audit_verify (store, &result, &error));
      if (result.problem != PS_AUDIT_OK)
        g_error ("round %u: %s", round, result.detail);

      for (guint i = 0; i < reader.committed->len; i++)
        g_ptr_array_add (all, g_strdup (g_ptr_array_index (reader.committed, i)));
      for (guint i = 0; i < all->len; i++)
        {
          g_autoptr (GPtrArray) found =
              ps_store_find_parcels (store, g_ptr_array_index (all, i), &error);
          g_assert_no_error (error);
          if (found->len == 0)
            g_error ("round %u: %s was reported committed but is not in the database", round,
                     (const char *) g_ptr_array_index (all, i));
        }
      g_test_message (
          "round %u: killed after %u commits (%u in all), audit trail of %" G_GINT64_FORMAT
          " entries whole",
          round, reader.committed->len, all->len, result.n_entries);
      g_ptr_array_unref (reader.committed);
      g_object_unref (reader.input);
    }

  /* The rounds did commit work, in the middle of which they were killed. */
  g_assert_cmpuint (all->len, >, ROUNDS);
  g_rand_free (rand);
  ps_test_rmdir (dir);
}

/* Killed between adding its first user and the others: the next run
 * completes the set-up instead of refusing the database. */
static void
test_partial_setup (void)
{
  const char *ctl = g_getenv ("PARCELSCREENCTL");
  g_autofree char *dir = ps_test_mkdtemp ();
  g_autofree char *db = g_build_filename (dir, "counter.db", NULL);
  g_autoptr (GError) error = NULL;

  {
    /* As simulate leaves it: marked as a simulation first, then its users. */
    g_autoptr (PsStore) store = ps_store_open (db, &error);
    g_assert_no_error (error);
    g_assert_true (ps_store_mark_simulation (store, &error));
    g_assert_cmpint (ps_store_add_user (store, NULL, "sim-admin", "Quản trị mô phỏng",
                                        PS_ROLE_ADMIN, "739146", g_get_real_time (), &error),
                     >, 0);
    g_assert_no_error (error);
  }

  int status = -1;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { ctl, "simulate", "--db", db, "--parcels", "3", "--seed", "1", NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("simulate refused a database it had begun: %s", err);

  g_autoptr (PsStore) store = ps_store_open (db, &error);
  g_assert_cmpint (ps_store_count_users (store, &error), ==, 3);
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("PARCELSCREENCTL") == NULL)
    return 77;
  g_test_add_func ("/store/crash/kill-nine", test_kill_nine);
  g_test_add_func ("/store/crash/partial-setup", test_partial_setup);
  return g_test_run ();
}
