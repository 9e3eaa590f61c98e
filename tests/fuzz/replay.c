/* replay.c — runs a fuzz target over a corpus without libFuzzer, so that any
 * compiler (gcc included) and every CI run replays the corpora.
 *   replay-TARGET FILE-OR-DIRECTORY…
 */
#include <glib.h>
#include <stdio.h>

#include "fuzz.h"

static guint n_inputs;

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
replay_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      g_ptr_array_sort (names, compare_paths);
      for (guint i = 0; i < names->len; i++)
        replay_path (g_ptr_array_index (names, i));
      return;
    }

  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("cannot read %s: %s", path, error->message);
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  n_inputs++;
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    replay_path (argv[i]);
  if (n_inputs == 0)
    {
      fprintf (stderr, "no corpus inputs found\n");
      return 1;
    }
  printf ("replayed %u inputs\n", n_inputs);
  return 0;
}
