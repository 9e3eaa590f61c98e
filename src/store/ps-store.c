/* ps-store.c — opening the database, SQLite errors, transactions. */
#include "ps-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PS_STORE_APPLICATION_ID 0x50534331
#define BUSY_TIMEOUT_MS         5000

gboolean
ps_store_fail (PsStore *store, int rc, GError **error)
{
  const char *detail = store != NULL && store->db != NULL ? sqlite3_errmsg (store->db) : "";
  int code = PS_ERROR_STORAGE;
  g_autofree char *message = NULL;

  /* Every primary result code, so that none is mapped by accident. */
  switch (rc & 0xff)
    {
      case SQLITE_FULL:
        code = PS_ERROR_STORAGE_FULL;
        message = g_strdup (_ ("The disk is full; nothing was saved. Free some space, then try "
                               "again."));
        break;
      case SQLITE_IOERR:
        code = PS_ERROR_STORAGE_IO;
        message =
            g_strdup (_ ("The disk could not be written or read; nothing was saved. Check the "
                         "disk, then try again."));
        break;
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        code = PS_ERROR_STORAGE_BUSY;
        message = g_strdup (_ ("The database is in use by another program; nothing was saved. Try "
                               "again in a moment."));
        break;
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        code = PS_ERROR_STORAGE_CORRUPT;
        message =
            g_strdup (_ ("The database file is damaged. Nothing more can be saved in it; call "
                         "the technician (parcelscreenctl db check)."));
        break;
      case SQLITE_NOMEM:
        message = g_strdup (_ ("The computer is out of memory; nothing was saved. Close other "
                               "programs, then try again."));
        break;
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_AUTH:
      case SQLITE_CANTOPEN:
        message =
            g_strdup_printf (_ ("The database file cannot be opened or written (%s); check its "
                                "permissions and the disk."),
                             detail);
        break;
      case SQLITE_CONSTRAINT:
      case SQLITE_ERROR:
      case SQLITE_INTERNAL:
      case SQLITE_ABORT:
      case SQLITE_INTERRUPT:
      case SQLITE_NOTFOUND:
      case SQLITE_PROTOCOL:
      case SQLITE_EMPTY:
      case SQLITE_SCHEMA:
      case SQLITE_TOOBIG:
      case SQLITE_MISMATCH:
      case SQLITE_MISUSE:
      case SQLITE_NOLFS:
      case SQLITE_FORMAT:
      case SQLITE_RANGE:
      case SQLITE_NOTICE:
      case SQLITE_WARNING:
      case SQLITE_OK:
      case SQLITE_ROW:
      case SQLITE_DONE:
      default:
        message = g_strdup_printf (_ ("The database reported an error: %s"), detail);
        break;
    }

  g_set_error_literal (error, PS_ERROR, code, message);
  return FALSE;
}

static gboolean check_transaction_alive (PsStore *store, GError **error);

sqlite3_stmt *
ps_store_prepare (PsStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *statement = g_hash_table_lookup (store->statements, sql);

  if (!check_transaction_alive (store, error))
    return NULL;

  if (statement != NULL)
    {
      sqlite3_reset (statement);
      sqlite3_clear_bindings (statement);
      return statement;
    }

  int rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL);
  if (rc != SQLITE_OK)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  g_hash_table_insert (store->statements, g_strdup (sql), statement);
  return statement;
}

gboolean
ps_store_exec (PsStore *store, const char *sql, GError **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK || ps_store_fail (store, rc, error);
}

gboolean
ps_store_step_done (PsStore *store, sqlite3_stmt *statement, GError **error)
{
  int rc = sqlite3_step (statement);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (statement);
      return TRUE;
    }
  ps_store_fail (store, rc, error);
  sqlite3_reset (statement);
  return FALSE;
}

GPtrArray *
ps_store_read_rows (PsStore *store, sqlite3_stmt *statement,
                    gpointer (*read_row) (sqlite3_stmt *statement), GDestroyNotify free_row,
                    GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (statement));
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
ps_store_step_row (PsStore *store, sqlite3_stmt *statement, GError **error, const char *not_found,
                   ...)
{
  int rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return TRUE;
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);

  va_list args;
  va_start (args, not_found);
  g_autofree char *message = g_strdup_vprintf (not_found, args);
  va_end (args);
  g_set_error_literal (error, PS_ERROR, PS_ERROR_NOT_FOUND, message);
  return FALSE;
}

/* After some errors (out of memory, an I/O error) SQLite rolls the whole
 * transaction back by itself; nothing may then run outside it as if it were
 * still open. */
static gboolean
check_transaction_alive (PsStore *store, GError **error)
{
  if (!store->in_transaction || !sqlite3_get_autocommit (store->db))
    return TRUE;
  g_set_error (error, PS_ERROR, PS_ERROR_STORAGE,
               _ ("The database abandoned the transaction after an error; nothing was saved. "
                  "Try again."));
  return FALSE;
}

gboolean
ps_store_begin (PsStore *store, GError **error)
{
  if (!ps_store_exec (store, store->in_batch ? "SAVEPOINT ps_write" : "BEGIN IMMEDIATE", error))
    return FALSE;
  store->in_transaction = TRUE;
  return TRUE;
}

void
ps_store_rollback (PsStore *store)
{
  if (store->in_batch)
    sqlite3_exec (store->db, "ROLLBACK TO ps_write; RELEASE ps_write", NULL, NULL, NULL);
  /* A failed statement may have rolled the transaction back already. */
  else if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  store->in_transaction = store->in_batch;
  g_ptr_array_set_size (store->covers, 0);
}

gboolean
ps_store_commit (PsStore *store, GError **error)
{
  if (!check_transaction_alive (store, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  int rc =
      sqlite3_exec (store->db, store->in_batch ? "RELEASE ps_write" : "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      store->in_transaction = store->in_batch;
      return TRUE;
    }
  ps_store_fail (store, rc, error);
  ps_store_rollback (store);
  return FALSE;
}

gboolean
ps_store_begin_batch (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL && !store->in_batch, FALSE);
  if (!ps_store_exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  store->in_batch = TRUE;
  store->in_transaction = TRUE;
  return TRUE;
}

gboolean
ps_store_end_batch (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL && store->in_batch, FALSE);
  store->in_batch = FALSE;
  return ps_store_commit (store, error);
}

void
ps_store_bind_text (sqlite3_stmt *statement, int index, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (statement, index);
  else
    /* Not copied: every bound string outlives the step that uses it, and a
     * copy is an allocation that could fail and leave the value NULL. */
    sqlite3_bind_text (statement, index, text, -1, SQLITE_STATIC);
}

const char *
ps_store_column_text (sqlite3_stmt *statement, int index)
{
  return (const char *) sqlite3_column_text (statement, index);
}

char *
ps_store_column_dup (sqlite3_stmt *statement, int index)
{
  return g_strdup (ps_store_column_text (statement, index));
}

gboolean
ps_store_column_read (PsStore *store, sqlite3_stmt *statement, int index, char **out,
                      GError **error)
{
  /* The type first: a conversion that runs out of memory leaves a NULL. */
  int type = sqlite3_column_type (statement, index);
  const char *text = ps_store_column_text (statement, index);
  if (text == NULL && type != SQLITE_NULL)
    {
      *out = NULL;
      return ps_store_fail (store, SQLITE_NOMEM, error);
    }
  *out = g_strdup (text);
  return TRUE;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static int
query_int (sqlite3 *db, const char *sql, int *out)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      *out = sqlite3_column_int (statement, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (statement);
  return rc;
}

/* Creates the file with mode 0600 (and its folder with 0700) if it is missing. */
static gboolean
create_private_file (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE, _ ("Cannot create the folder %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved = errno;
      g_set_error (error, PS_ERROR, saved == ENOSPC ? PS_ERROR_STORAGE_FULL : PS_ERROR_STORAGE,
                   _ ("Cannot create the database %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fd >= 0)
    close (fd);
  return TRUE;
}

/* Refuses a file that is not a ParcelScreen database or is from a newer
 * version, before anything (even the journal mode) is written to it. */
static gboolean
check_identity (PsStore *store, GError **error)
{
  int version = 0, application_id = 0, n_objects = 0;
  int rc = query_int (store->db, "PRAGMA user_version", &version);

  if (rc == SQLITE_OK)
    rc = query_int (store->db, "PRAGMA application_id", &application_id);
  if (rc == SQLITE_OK)
    rc = query_int (store->db, "SELECT count(*) FROM sqlite_schema", &n_objects);
  if (rc != SQLITE_OK)
    {
      ps_store_fail (store, rc, error);
      g_prefix_error (error, "%s: ", store->path);
      return FALSE;
    }

  if ((application_id != 0 && application_id != PS_STORE_APPLICATION_ID) ||
      (application_id == 0 && n_objects > 0))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_CORRUPT,
                   _ ("%s is not a ParcelScreen database; it was not changed."), store->path);
      return FALSE;
    }
  if (version > PS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_VERSION,
                   _ ("The database %s was written by a newer ParcelScreen (schema version %d; "
                      "this program knows up to %d). It was not changed; use the newer "
                      "program."),
                   store->path, version, PS_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static PsStore *open_store (const char *path, gboolean migrate, GError **error);

PsStore *
ps_store_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return open_store (path, TRUE, error);
}

static PsStore *
open_store (const char *path, gboolean migrate, GError **error)
{
  if (!create_private_file (path, error))
    return NULL;
  /* The database holds the senders' identities: the counter's user only.
   * One left readable by others (copied by hand, made by an older version)
   * is closed up, and the log says so. */
  GStatBuf info;
  if (g_stat (path, &info) == 0 && (info.st_mode & 0077) != 0)
    {
      if (info.st_uid == geteuid () && g_chmod (path, 0600) == 0)
        g_message ("%s could be read by other users (mode %03o); it is now 0600.", path,
                   (unsigned) (info.st_mode & 0777));
      else
        g_warning ("%s can be read by other users (mode %03o): make it 0600 (chmod 600).", path,
                   (unsigned) (info.st_mode & 0777));
    }

  g_autoptr (PsStore) store = g_new0 (PsStore, 1);
  store->path = g_strdup (path);
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  store->covers = g_ptr_array_new_with_free_func (g_free);
  store->simulation = -1;

  int rc = sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    {
      ps_store_fail (store, rc, error);
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);

  if (!check_identity (store, error))
    return NULL;

  char *mode = NULL;
  sqlite3_stmt *statement = NULL;
  rc = sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &statement, NULL);
  if (rc == SQLITE_OK && sqlite3_step (statement) == SQLITE_ROW)
    mode = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  else if (rc == SQLITE_OK)
    rc = sqlite3_errcode (store->db);
  sqlite3_finalize (statement);
  if (rc != SQLITE_OK || g_strcmp0 (mode, "wal") != 0)
    {
      g_free (mode);
      if (rc == SQLITE_OK)
        rc = SQLITE_CANTOPEN;
      ps_store_fail (store, rc, error);
      g_prefix_error (error, _ ("%s: cannot switch to write-ahead logging: "), path);
      return NULL;
    }
  g_free (mode);

  if (!ps_store_exec (store,
                      "PRAGMA synchronous = FULL;"
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA secure_delete = ON;"
                      "PRAGMA trusted_schema = OFF;",
                      error))
    return NULL;

  int before = 0;
  query_int (store->db, "PRAGMA user_version", &before);
  if (!migrate)
    return g_steal_pointer (&store);
  if (!ps_store_migrate (store->db, PS_STORE_SCHEMA_VERSION, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  /* A database from before schema 6 had users, reports, outbox rows and
   * settings the trail did not vouch for: it does from the upgrade on. */
  if (before >= 1 && before < 6 && !ps_store_write_coverage_baseline (store, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&store);
}

static gboolean
check_existing (const char *path, GError **error)
{
  GStatBuf info;
  if (g_stat (path, &info) != 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND,
                     _ ("There is no database at %s (is the name mistyped?). Nothing was "
                        "created."),
                     path);
      else
        g_set_error (error, PS_ERROR, PS_ERROR_STORAGE, _ ("Cannot open %s: %s"), path,
                     g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (info.st_mode) || info.st_size == 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_CORRUPT,
                   _ ("%s is not a ParcelScreen database (%s); it was not changed."), path,
                   S_ISREG (info.st_mode) ? _ ("an empty file") : _ ("not a regular file"));
      return FALSE;
    }
  return TRUE;
}

PsStore *
ps_store_open_existing (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return check_existing (path, error) ? open_store (path, TRUE, error) : NULL;
}

PsStore *
ps_store_open_as_is (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return check_existing (path, error) ? open_store (path, FALSE, error) : NULL;
}

void
ps_store_close (PsStore *store)
{
  if (store == NULL)
    return;
  if (store->statements != NULL)
    g_hash_table_unref (store->statements);
  if (store->covers != NULL)
    g_ptr_array_unref (store->covers);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  sodium_memzero (store->pin_key, sizeof store->pin_key);
  g_free (store);
}

const char *
ps_store_get_path (PsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

int
ps_store_get_schema_version (PsStore *store)
{
  int version = -1;
  g_return_val_if_fail (store != NULL, -1);
  query_int (store->db, "PRAGMA user_version", &version);
  return version;
}

/* A JSON string as json-glib writes one: quotes, backslashes, control
 * characters and DEL escaped, the rest as it is. (json-glib 1.6 leaves 0x1f
 * raw, which JSON does not allow; it is escaped here.) */
static void
append_json_string (GString *out, const char *value)
{
  /* The characters with a short escape, and the letter of each. */
  static const char special[] = "\"\\\b\f\n\r\t", letter[] = "\"\\bfnrt";

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      const char *short_escape = strchr (special, *p);
      if (short_escape != NULL)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, letter[short_escape - special]);
        }
      else if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

char *
ps_json_object (const char *first_key, ...)
{
  /* Written directly, byte for byte what json-glib's generator writes: an
   * audit payload is made for every decision, and a builder, its nodes and
   * a generator cost more than the rest of the entry. */
  GString *out = g_string_new ("{");
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      if (out->len > 1)
        g_string_append_c (out, ',');
      append_json_string (out, key);
      g_string_append_c (out, ':');
      int type = va_arg (args, int);
      switch (type)
        {
          case 's':
            {
              const char *value = va_arg (args, const char *);
              if (value != NULL)
                append_json_string (out, value);
              else
                g_string_append (out, "null");
              break;
            }
          case 'i':
            {
              char text[PS_STORE_INT_CHARS];
              g_string_append_len (out, text,
                                   (gssize) ps_store_format_int (text, va_arg (args, gint64)));
              break;
            }
          case 'b':
            g_string_append (out, va_arg (args, int) ? "true" : "false");
            break;
          default:
            g_assert_not_reached ();
        }
    }
  va_end (args);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

const char *
ps_store_actor_kind (const PsActor *actor)
{
  return actor != NULL ? ps_role_to_id (actor->role) : "system";
}

int
ps_store_enum_value (GType enum_type, const char *id, int fallback)
{
  int value = ps_enum_from_id (enum_type, id);
  return value >= 0 ? value : fallback;
}

const char *
ps_answer_to_id (PsAnswer answer)
{
  return ps_enum_to_id (PS_TYPE_ANSWER, answer);
}

/* NULL for a sex the card does not give. */
const char *
ps_sex_to_id (PsSex sex)
{
  return sex == PS_SEX_UNKNOWN ? NULL : ps_enum_to_id (PS_TYPE_SEX, sex);
}

const char *
ps_weight_source_to_id (PsWeightSource source)
{
  return ps_enum_to_id (PS_TYPE_WEIGHT_SOURCE, source);
}

const char *
ps_sender_source_to_id (PsSenderSource source)
{
  return ps_enum_to_id (PS_TYPE_SENDER_SOURCE, source);
}

gboolean
ps_store_set_sync_each_commit (PsStore *store, gboolean sync, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return ps_store_exec (store, sync ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;",
                        error);
}
