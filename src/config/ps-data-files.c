/* ps-data-files.c — reading the data files named by the configuration. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-data-files.h"
#include "parcelscreen/ps-error.h"

/* Reads @path; the error says which of the counter's files it is. */
static char *
read_data_file (const char *path, const char *what, gsize *len, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *data = NULL;

  if (!g_file_get_contents (path, &data, len, &local_error))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE, _ ("Cannot read the %s file: %s"), what,
                   local_error->message);
      return NULL;
    }
  if (*len > PS_DATA_FILE_MAX_BYTES)
    {
      g_free (data);
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("The %s file %s is larger than 16 MiB; it cannot be right."), what, path);
      return NULL;
    }
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
