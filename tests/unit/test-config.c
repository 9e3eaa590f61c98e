/* test-config.c — configuration files: defaults, overrides, and broken files
 * refused with the file, the line and the reason. */
#include "ps-config.h"
#include "parcelscreen/ps-error.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  fixture->dir = g_dir_make_tmp ("ps-config-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture *fixture, const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_defaults (Fixture *fixture, gconstpointer data)
{
  (void) fixture;
  (void) data;
  g_autoptr (GError) error = NULL;
  const char *const none[] = { "/nonexistent/parcelscreen.conf", NULL };
  g_autoptr (PsConfig) config = ps_config_load_files (none, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ps_config_get_string (config, "counter", "office-code"), ==, "");
  g_assert_true (g_str_has_suffix (ps_config_get_string (config, "database", "path"),
                                   "/parcelscreen/counter.db"));
  g_assert_true (
      g_str_has_suffix (ps_config_get_string (config, "data", "checklist"), "/checklist.txt"));
  g_assert_cmpstr (ps_config_get_string (config, "data", "watchlist"), ==, "");
  g_autofree char *origin = ps_config_get_origin (config, "counter", "office-code");
  g_assert_cmpstr (origin, ==, "default");
  g_assert_null (ps_config_get_files (config)[0]);
  g_assert_cmpuint (ps_tracking_formats_get_n (ps_config_get_tracking_formats (config)), ==, 0);
}

static void
test_override (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autofree char *system = write_file (fixture, "system.conf",
                                        "# system\n[counter]\noffice-code=240000\ncounter-id=01\n"
                                        "[data]\nrules=rules-lang-son.txt\n");
  g_autofree char *user = write_file (fixture, "user.conf",
                                      "[counter]\n  counter-id = 03  \nlanguage=vi\n"
                                      "[tracking-format ghn]\npattern=GHN[0-9]{8}\n"
                                      "description=Giao Hàng Nhanh\n");
  const char *const paths[] = { system, user, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (PsConfig) config = ps_config_load_files (paths, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ps_config_get_string (config, "counter", "office-code"), ==, "240000");
  g_assert_cmpstr (ps_config_get_string (config, "counter", "counter-id"), ==, "03");
  g_assert_cmpstr (ps_config_get_string (config, "counter", "language"), ==, "vi");
  g_autofree char *rules = g_build_filename (fixture->dir, "rules-lang-son.txt", NULL);
  g_assert_cmpstr (ps_config_get_string (config, "data", "rules"), ==, rules);

  g_autofree char *origin = ps_config_get_origin (config, "counter", "counter-id");
  g_autofree char *expected = g_strdup_printf ("%s:2", user);
  g_assert_cmpstr (origin, ==, expected);
  g_assert_cmpstr (ps_config_get_files (config)[0], ==, system);
  g_assert_cmpstr (ps_config_get_files (config)[1], ==, user);
  g_assert_cmpuint (ps_tracking_formats_get_n (ps_config_get_tracking_formats (config)), ==, 1);

  g_autofree char *described = ps_config_describe (config);
  g_assert_nonnull (strstr (described, "counter.counter-id = 03"));
  g_assert_nonnull (strstr (described, "tracking-format ghn = GHN[0-9]{8}"));
}

static void
test_broken (Fixture *fixture, gconstpointer data)
{
  (void) data;
  struct
  {
    const char *contents;
    guint line;
    const char *reason;
  } cases[] = {
    { "[counter]\noffice-code=1\nthis line is wrong\n", 3, "expected ‘key=value’" },
    { "office-code=1\n", 1, "before the first ‘[group]’" },
    { "[counter]\noffice-cod=1\n", 2, "unknown key ‘office-cod’ in group [counter]" },
    { "[countr]\n", 1, "unknown group [countr]" },
    { "[counter\n", 1, "a group header is" },
    { "[counter]\noffice-code=1\n\n# again\noffice-code=2\n", 5, "appears twice" },
    { "[counter]\n[data]\n[counter]\n", 3, "group [counter] appears twice" },
    { "[counter]\nlanguage=fr\n", 2, "must be vi, en or empty" },
    { "[counter]\noffice-code=\xff\n", 2, "UTF-8" },
    { "[counter]\n=1\n", 2, "expected ‘key=value’" },
    { "[tracking-format x]\npattern=([A-Z\n", 2, "not a valid regular expression" },
    { "[tracking-format x]\ncolour=red\n", 2, "unknown key ‘colour’" },
    { "[tracking-format ]\n", 1, "unknown group" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (fixture, "broken.conf", cases[i].contents);
      const char *const paths[] = { path, NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (PsConfig) config = ps_config_load_files (paths, &error);
      g_autofree char *where = g_strdup_printf ("%s:%u: ", path, cases[i].line);

      g_assert_null (config);
      g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
      if (!g_str_has_prefix (error->message, where) ||
          strstr (error->message, cases[i].reason) == NULL)
        g_error ("case %u: expected ‘%s… %s’, got ‘%s’", i, where, cases[i].reason, error->message);
    }

  /* A format group without its pattern names the group. */
  g_autofree char *path =
      write_file (fixture, "nopattern.conf", "[tracking-format x]\ndescription=y\n");
  const char *const paths[] = { path, NULL };
  g_autoptr (GError) error = NULL;
  g_assert_null (ps_config_load_files (paths, &error));
  g_assert_nonnull (strstr (error->message, "[tracking-format x] has no ‘pattern’"));
}

static void
test_load_locations (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autofree char *system = write_file (fixture, "system.conf", "[counter]\noffice-code=100000\n");
  g_autofree char *explicit_path =
      write_file (fixture, "explicit.conf", "[counter]\ncounter-id=9\n");
  g_autoptr (GError) error = NULL;

  g_setenv ("PARCELSCREEN_SYSTEM_CONFIG", system, TRUE);
  g_autoptr (PsConfig) config = ps_config_load (explicit_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ps_config_get_string (config, "counter", "office-code"), ==, "100000");
  g_assert_cmpstr (ps_config_get_string (config, "counter", "counter-id"), ==, "9");

  /* A file named on the command line must exist. */
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.conf", NULL);
  g_assert_null (ps_config_load (missing, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "missing.conf"));
  g_clear_error (&error);

  /* An unreadable file is an error, not a silent default. */
  if (geteuid () != 0)
    {
      g_autofree char *locked = write_file (fixture, "locked.conf", "[counter]\n");
      g_chmod (locked, 0);
      g_setenv ("PARCELSCREEN_SYSTEM_CONFIG", locked, TRUE);
      g_assert_null (ps_config_load (NULL, &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
      g_clear_error (&error);
    }
  /* A directory where the file should be is not readable as one either. */
  g_setenv ("PARCELSCREEN_SYSTEM_CONFIG", fixture->dir, TRUE);
  g_assert_null (ps_config_load (NULL, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
  g_unsetenv ("PARCELSCREEN_SYSTEM_CONFIG");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/config/defaults", test_defaults);
  ADD ("/config/override", test_override);
  ADD ("/config/broken", test_broken);
  ADD ("/config/load-locations", test_load_locations);
#undef ADD
  return g_test_run ();
}
