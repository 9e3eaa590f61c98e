/* ps-watchlist-install.c — installing a watch list signed by the police:
 * from a file (parcelscreenctl watchlist import) or from a "watchlist"
 * instruction of the hub. Only a list whose signature holds with the
 * police's key, that parses, and whose version is newer than the installed
 * one replaces it; its signature goes beside it (checked again at every use)
 * and the counter's audit trail records it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-error.h"
#include "ps-data-files.h"
#include "ps-relay.h"

gboolean
ps_watchlist_install (const char *target, PsStore *store, const guint8 key[32], const char *data,
                      gsize len, const char *signature, const char *source, guint *entries,
                      GError **error)
{
  if (target == NULL || *target == '\0')
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("No watch-list file is configured: set [data] watchlist to where it is "
                      "kept."));
      return FALSE;
    }
  g_autofree char *clean = signature != NULL ? g_strstrip (g_strdup (signature)) : NULL;
  if (clean == NULL || !ps_signature_verify (key, data, len, clean))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s is refused: its signature is missing or does not match the police's "
                      "key. Nothing was changed."),
                   source);
      return FALSE;
    }
  g_autoptr (PsWatchlist) watchlist = ps_watchlist_parse (data, len, source, error);
  if (watchlist == NULL)
    return FALSE;

  /* Never an older list over a newer one: a signed list states its version,
   * and only a higher one replaces it (an unversioned list replaces only an
   * unversioned one). */
  guint64 version = ps_watchlist_version (data, len);
  gsize installed_len = 0;
  g_autofree char *installed = ps_file_read (target, PS_DATA_FILE_MAX_BYTES, &installed_len, NULL);
  guint64 installed_version =
      installed != NULL ? ps_watchlist_version (installed, installed_len) : 0;
  if (installed != NULL && installed_version > 0 && version <= installed_version)
    {
      g_autofree char *new_text = g_strdup_printf ("%" G_GUINT64_FORMAT, version);
      g_autofree char *old_text = g_strdup_printf ("%" G_GUINT64_FORMAT, installed_version);
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("%s is refused: it is version %s, not newer than the installed version %s. "
                      "Nothing was changed."),
                   source, new_text, old_text);
      return FALSE;
    }

  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) data, len);
  g_autofree char *payload =
      g_strdup_printf ("{\"sha256\":\"%s\",\"version\":%" G_GUINT64_FORMAT ",\"entries\":%u}",
                       sha256, version, ps_watchlist_get_n (watchlist));
  /* The signature beside the list, so that every use checks it again; the
   * list last (it is what the counter looks for). */
  g_autofree char *target_signature = g_strconcat (target, ".sig", NULL);
  g_autofree char *signature_line = g_strconcat (clean, "\n", NULL);
  if (!g_file_set_contents_full (target_signature, signature_line, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 error) ||
      !g_file_set_contents_full (target, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 error) ||
      !ps_store_audit_append (store, NULL, "watchlist-import", "watchlist", payload,
                              g_get_real_time (), error))
    return FALSE;
  if (entries != NULL)
    *entries = ps_watchlist_get_n (watchlist);
  return TRUE;
}
