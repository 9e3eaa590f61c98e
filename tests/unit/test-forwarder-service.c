/* test-forwarder-service.c — the counter program's forwarder service
 * against a child that misbehaves: one that writes a line without end on its
 * error output, then gives up.
 *
 * The service runs the parcelscreenctl found beside the program. So the test
 * copies itself into a folder of its own, beside a script of that name, and
 * runs the copy with --service: the copy runs the real service, whose child
 * is the script. The script writes 4 MiB without a newline, a line that is
 * not UTF-8, and why it stops; it then exits with status 3. The copy's error
 * output (the service passes the child's lines on) is read here.
 */
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ps-config.h"
#include "ps-forwarder-service.h"

/* ---- The copy ---------------------------------------------------------------------- */

static void
error_cb (PsForwarderService *service, GParamSpec *pspec, GMainLoop *loop)
{
  (void) pspec;
  const char *error = ps_forwarder_service_get_error (service);
  if (error != NULL && strstr (error, "starts again") != NULL)
    {
      g_print ("error: %s\n", error);
      g_main_loop_quit (loop);
    }
}

static int
run_service (const char *config_path)
{
  g_autoptr (GError) error = NULL;
  setlocale (LC_ALL, ""); /* as the program does: its messages are UTF-8 */
  PsConfig *config = ps_config_load (config_path, &error);
  g_assert_no_error (error);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (PsForwarderService) service =
      ps_forwarder_service_new (config, config_path, "/nonexistent/counter.db");
  g_signal_connect (service, "notify::error", G_CALLBACK (error_cb), loop);
  ps_forwarder_service_start (service);
  g_main_loop_run (loop);
  ps_forwarder_service_stop (service);
  ps_config_unref (config);
  return 0;
}

/* ---- The test ---------------------------------------------------------------------- */

static const char script[] = "#!/bin/sh\n"
                             "head -c 4194304 /dev/zero | tr '\\0' x >&2\n"
                             "printf '\\nbad byte \\377 here\\n' >&2\n"
                             "echo 'the signing key cannot be read' >&2\n"
                             "exit 3\n";

static void
test_misbehaving_child (void)
{
  g_autoptr (GError) error = NULL;
  /* In the build folder, not /tmp: the copy must run, and /tmp may be
   * mounted noexec. */
  const char *build = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *dir =
      g_build_filename (build != NULL ? build : g_get_tmp_dir (), "ps-forwarder-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (dir));
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  g_autofree char *copy = g_build_filename (dir, "test-forwarder-service", NULL);
  g_autofree char *ctl = g_build_filename (dir, "parcelscreenctl", NULL);
  g_autofree char *config = g_build_filename (dir, "parcelscreen.conf", NULL);

  g_autofree char *contents = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (self_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, &error));
  g_assert_cmpint (g_chmod (copy, 0700), ==, 0);
  g_assert_true (g_file_set_contents (ctl, script, -1, &error));
  g_assert_cmpint (g_chmod (ctl, 0700), ==, 0);
  g_assert_true (g_file_set_contents (
      config, "[relay]\nurl=https://127.0.0.1:9/reports\n[counter]\noffice-code=T\ncounter-id=1\n",
      -1, &error));

  const char *argv[] = { copy, "--service", config, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));

  /* The child's last line says why it stopped, in the status line. */
  g_assert_nonnull (strstr (out, "the signing key cannot be read"));
  /* Every line passed on is short and valid UTF-8: the 4 MiB line was cut. */
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  guint passed = 0;
  gboolean cut = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!g_str_has_prefix (lines[i], "parcelscreenctl forward: "))
        continue;
      passed++;
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      g_assert_cmpuint (strlen (lines[i]), <, 4096);
      cut = cut || g_str_has_suffix (lines[i], "xxx…");
    }
  g_assert_true (cut);
  g_assert_cmpuint (passed, ==, 3);

  g_unlink (copy);
  g_unlink (ctl);
  g_unlink (config);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "--service") == 0)
    return run_service (argv[2]);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/forwarder-service/misbehaving-child", test_misbehaving_child);
  return g_test_run ();
}
