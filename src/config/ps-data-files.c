/* ps-data-files.c — reading the data files named by the configuration, and
 * the careful reader every file the program is handed goes through. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-data-files.h"
#include "parcelscreen/ps-error.h"

char *
ps_file_read (const char *path, gsize max, gsize *len, GError **error)
{
  g_return_val_if_fail (path != NULL && len != NULL, NULL);

  /* O_NONBLOCK: a FIFO opens at once (and is then refused) instead of
   * waiting forever for a writer. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("%s: %s"), path,
                   g_strerror (saved));
      return NULL;
    }
  struct stat info;
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _ ("%s is not a regular file (a device, a pipe or a folder)."), path);
      return NULL;
    }
  if ((guint64) info.st_size > max)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _ ("%s is larger than %zu bytes; it cannot be right."), path, max);
      return NULL;
    }
  GString *data = g_string_sized_new ((gsize) info.st_size + 1);
  char buffer[65536];
  ssize_t got;
  /* The size may change while reading: never more than @max. */
  while ((got = read (fd, buffer, sizeof buffer)) > 0 && data->len + (gsize) got <= max)
    g_string_append_len (data, buffer, got);
  int saved = errno;
  close (fd);
  if (got != 0)
    {
      g_string_free (data, TRUE);
      if (got < 0)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("%s: %s"), path,
                     g_strerror (saved));
      else
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                     _ ("%s is larger than %zu bytes; it cannot be right."), path, max);
      return NULL;
    }
  *len = data->len;
  return g_string_free (data, FALSE);
}

/* Reads @path; the error says which of the counter's files it is. */
static char *
read_data_file (const char *path, const char *what, gsize *len, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *data = ps_file_read (path, PS_DATA_FILE_MAX_BYTES, len, &local_error);
  if (data == NULL)
    g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("Cannot read the %s file: %s"), what,
                 local_error->message);
  return data;
}

PsChecklist *
ps_load_checklist (const PsConfig *config, GError **error)
{
  const char *path = ps_config_get_string (config, "data", "checklist");
  gsize len;
  g_autofree char *data = read_data_file (path, _ ("checklist"), &len, error);
  return data != NULL ? ps_checklist_parse (data, len, path, error) : NULL;
}

PsReasons *
ps_load_reasons (const PsConfig *config, GError **error)
{
  const char *path = ps_config_get_string (config, "data", "reasons");
  gsize len;
  g_autofree char *data = read_data_file (path, _ ("reasons"), &len, error);
  return data != NULL ? ps_reasons_parse (data, len, path, error) : NULL;
}

PsRules *
ps_load_rules (const PsConfig *config, GError **error)
{
  const char *path = ps_config_get_string (config, "data", "rules");
  gsize len;
  g_autofree char *data = read_data_file (path, _ ("risk rules"), &len, error);
  return data != NULL ? ps_rules_parse (data, len, path, error) : NULL;
}

PsWatchlist *
ps_load_watchlist (const PsConfig *config, GError **error)
{
  const char *path = ps_config_get_string (config, "data", "watchlist");
  gsize len;

  if (*path == '\0')
    return ps_watchlist_new ();
  g_autofree char *data = read_data_file (path, _ ("watch list"), &len, error);
  return data != NULL ? ps_watchlist_parse (data, len, path, error) : NULL;
}
