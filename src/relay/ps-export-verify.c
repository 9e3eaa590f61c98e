/* ps-export-verify.c — checking an export folder the way the police
 * liaison's side does: the signed manifest, then every file it names by
 * size and SHA-256, and no file it does not name. Every problem is named;
 * nothing in the folder is trusted before it is checked. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parcelscreen/ps-error.h"
#include "parcelscreen/ps-text.h"
#include "ps-data-files.h"
#include "ps-export.h"

/* ---- Verification -------------------------------------------------------------- */

/* The limits of what export verify reads: a manifest is a few hundred bytes
 * a file; a data file a few megabytes a day. */
#define MANIFEST_MAX   (256 * 1024)
#define DATA_FILE_MAX  (256 * 1024 * 1024)
#define JSON_MAX_DEPTH 16

/* Reads a regular file of at most @max bytes (see ps_file_read()), or says
 * in @problem what is wrong with it, by the file's name. */
static gboolean
read_regular_file (const char *path, gsize max, char **contents, gsize *len, char **problem)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_path_get_basename (path);
  *contents = ps_file_read (path, max, len, &error);
  if (*contents != NULL)
    return TRUE;
  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    *problem = g_strdup_printf (_ ("%s is missing."), name);
  else if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL))
    *problem = g_strdup_printf (_ ("%s is not a regular file."), name);
  else
    *problem = g_strdup_printf (_ ("%s cannot be read: %s"), name, error->message);
  return FALSE;
}

/* A member that is a string, or NULL (absent, or of another type). */
static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
ps_export_verify (const char *folder, const char *public_key_file, GPtrArray *problems,
                  GError **error)
{
  g_return_val_if_fail (folder != NULL && public_key_file != NULL && problems != NULL, FALSE);

  guint8 key[32];
  if (!ps_public_key_load (public_key_file, key, error))
    return FALSE;
  g_autofree char *manifest_path = g_build_filename (folder, "manifest.json", NULL);
  g_autofree char *signature_path = g_build_filename (folder, "manifest.sig", NULL);
  g_autofree char *manifest = NULL;
  g_autofree char *signature = NULL;
  gsize manifest_len = 0, signature_len = 0;
  char *problem = NULL;
  if (!read_regular_file (manifest_path, MANIFEST_MAX, &manifest, &manifest_len, &problem) ||
      !read_regular_file (signature_path, 1024, &signature, &signature_len, &problem))
    {
      g_ptr_array_add (problems, problem);
      return TRUE;
    }
  /* Nothing unsigned is read further than needed to say so. */
  if (!ps_signature_verify (key, manifest, manifest_len, g_strstrip (signature)))
    {
      g_ptr_array_add (problems,
                       g_strdup (_ ("manifest.json: the signature does not match this key (the "
                                    "manifest was changed, or it is not from this counter).")));
      return TRUE;
    }

  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  if (!ps_json_too_deep (manifest, manifest_len, JSON_MAX_DEPTH) &&
      json_parser_load_from_data (parser, manifest, (gssize) manifest_len, NULL))
    root = json_parser_get_root (parser);
  JsonNode *files_node = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                             ? json_object_get_member (json_node_get_object (root), "files")
                             : NULL;
  if (files_node == NULL || !JSON_NODE_HOLDS_ARRAY (files_node))
    {
      g_ptr_array_add (problems, g_strdup (_ ("manifest.json cannot be read.")));
      return TRUE;
    }
  JsonArray *files = json_node_get_array (files_node);
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonNode *element = json_array_get_element (files, i);
      JsonObject *file = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = string_member (file, "name");
      const char *expected = string_member (file, "sha256");
      if (name == NULL || expected == NULL)
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_ ("manifest.json: entry %u is not a file's name and "
                                               "SHA-256."),
                                            i + 1));
          continue;
        }
      if (strchr (name, '/') != NULL || *name == '\0' || *name == '.' ||
          !g_utf8_validate (name, -1, NULL))
        {
          g_autofree char *shown = g_utf8_make_valid (name, -1);
          g_ptr_array_add (problems,
                           g_strdup_printf (_ ("manifest.json names a bad file ‘%s’."), shown));
          continue;
        }
      g_hash_table_add (listed, (gpointer) name);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      if (!read_regular_file (path, DATA_FILE_MAX, &data, &len, &problem))
        {
          g_ptr_array_add (problems, problem);
          continue;
        }
      g_autofree char *actual =
          g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) data, len);
      if (g_strcmp0 (actual, expected) != 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_ ("%s: its SHA-256 does not match the manifest (the "
                                             "file was changed)."),
                                          name));
    }

  /* A file slipped in beside the signed ones is named: it was not signed. */
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  const char *entry;
  g_autoptr (GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    if (strcmp (entry, "manifest.json") != 0 && strcmp (entry, "manifest.sig") != 0 &&
        !g_hash_table_contains (listed, entry))
      g_ptr_array_add (extra, g_utf8_make_valid (entry, -1));
  g_ptr_array_sort (extra, compare_names);
  for (guint i = 0; i < extra->len; i++)
    g_ptr_array_add (problems,
                     g_strdup_printf (_ ("%s is not part of what was signed (the manifest does "
                                         "not list it)."),
                                      (const char *) g_ptr_array_index (extra, i)));
  return TRUE;
}
