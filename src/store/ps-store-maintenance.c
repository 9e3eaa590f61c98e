/* ps-store-maintenance.c — integrity check, online backup, retention purge. */
#include "ps-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs a checking pragma; its single "ok" row, or its first complaint. */
static gboolean
run_check (sqlite3 *db, PsStore *store, const char *sql, gboolean empty_is_ok, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return ps_store_fail (store, rc, error);

  rc = sqlite3_step (statement);
  g_autofree char *first = NULL;
  if (rc == SQLITE_ROW)
    {
      /* foreign_key_check rows: table, rowid, parent, fkid. */
      GString *row = g_string_new (NULL);
      for (int i = 0; i < sqlite3_column_count (statement); i++)
        {
          const char *value = (const char *) sqlite3_column_text (statement, i);
          g_string_append_printf (row, "%s%s", i > 0 ? " " : "", value != NULL ? value : "NULL");
        }
      first = g_string_free (row, FALSE);
    }
  sqlite3_finalize (statement);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);
  if ((rc == SQLITE_DONE && empty_is_ok) || g_strcmp0 (first, "ok") == 0)
    return TRUE;

  g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_CORRUPT,
               _ ("The database check found a problem: %s"),
               first != NULL ? first : _ ("no answer"));
  return FALSE;
}

gboolean
ps_store_check (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return run_check (store->db, store, "PRAGMA integrity_check(1)", FALSE, error) &&
         run_check (store->db, store, "PRAGMA foreign_key_check", TRUE, error);
}

static gboolean
sync_path (const char *path, gboolean directory, GError **error)
{
  int fd = open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, PS_ERROR, saved == ENOSPC ? PS_ERROR_STORAGE_FULL : PS_ERROR_STORAGE_IO,
                   _ ("Cannot write %s to the disk: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* The canonical name of @path: its folder resolved (links included), its own
 * name kept; NULL if the folder does not exist. */
static char *
canonical_name (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *real_dir = realpath (dir, NULL);
  return real_dir != NULL ? g_build_filename (real_dir, base, NULL) : NULL;
}

/* Whether @destination is the database itself, or one of the files SQLite
 * keeps beside it: writing there would destroy what it copies. */
static gboolean
is_the_database (PsStore *store, const char *destination)
{
  static const char *const companions[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *target = canonical_name (destination);
  GStatBuf target_stat;
  gboolean target_exists = g_stat (destination, &target_stat) == 0;
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (store->path, companions[i], NULL);
      g_autofree char *name = canonical_name (companion);
      GStatBuf companion_stat;
      if (target != NULL && name != NULL && strcmp (target, name) == 0)
        return TRUE;
      if (target_exists && g_stat (companion, &companion_stat) == 0 &&
          companion_stat.st_dev == target_stat.st_dev &&
          companion_stat.st_ino == target_stat.st_ino)
        return TRUE;
    }
  return FALSE;
}

gboolean
ps_store_backup (PsStore *store, const char *destination, gboolean replace, GError **error)
{
  g_return_val_if_fail (store != NULL && destination != NULL, FALSE);

  if (is_the_database (store, destination))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is the database itself (or one of its files): a backup goes elsewhere. "
                      "Nothing was written."),
                   destination);
      return FALSE;
    }
  GStatBuf existing;
  if (g_lstat (destination, &existing) == 0)
    {
      if (!S_ISREG (existing.st_mode))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("%s exists and is not a regular file (a link, a device or a folder): "
                          "a backup never replaces it. Nothing was written."),
                       destination);
          return FALSE;
        }
      if (!replace)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("%s exists: give --replace to write over it. Nothing was written."),
                       destination);
          return FALSE;
        }
    }

  /* A new file of our own beside the destination (O_EXCL: never a planted
   * one), filled, synced, checked, then put in place. */
  g_autofree char *temporary = g_strdup_printf ("%s.XXXXXX", destination);
  g_autofree char *dir = g_path_get_dirname (destination);
  sqlite3 *copy = NULL;
  int fd = g_mkstemp_full (temporary, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, PS_ERROR, saved == ENOSPC ? PS_ERROR_STORAGE_FULL : PS_ERROR_STORAGE,
                   _ ("Cannot create a file beside %s: %s"), destination, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  int rc = sqlite3_open_v2 (temporary, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc == SQLITE_OK)
    {
      /* One step copies everything under one read transaction: a consistent
       * snapshot, while the counter goes on writing to its WAL. */
      sqlite3_backup *backup = sqlite3_backup_init (copy, "main", store->db, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (copy);
      else
        {
          rc = sqlite3_backup_step (backup, -1);
          int finish = sqlite3_backup_finish (backup);
          rc = rc == SQLITE_DONE ? finish : rc;
        }
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);

  gboolean ok = rc == SQLITE_OK || ps_store_fail (store, rc, error);
  ok = ok && run_check (copy, store, "PRAGMA integrity_check(1)", FALSE, error);
  sqlite3_close (copy);

  ok = ok && sync_path (temporary, FALSE, error);
  if (ok)
    {
      /* Without --replace, link() puts the copy in place only if nothing is
       * there: a file that appeared meanwhile is not replaced either. */
      int status = replace ? g_rename (temporary, destination) : link (temporary, destination);
      if (status != 0)
        {
          int saved = errno;
          g_set_error (error, PS_ERROR, PS_ERROR_STORAGE, _ ("Cannot write %s: %s"), destination,
                       g_strerror (saved));
          ok = FALSE;
        }
      else if (!replace)
        g_unlink (temporary);
    }
  ok = ok && sync_path (dir, TRUE, error);
  if (!ok)
    g_unlink (temporary);
  return ok;
}

static gint64
purge_in_transaction (PsStore *store, const PsActor *actor, const PsRetentionPolicy *policy,
                      gint64 now_us, GError **error)
{
  sqlite3_stmt *purge = ps_store_prepare (
      store,
      "UPDATE parcels SET sender_source = NULL, sender_id = NULL, sender_old_id = NULL, "
      "sender_name = NULL, sender_address = NULL, sender_phone = NULL, "
      "sender_birth_date = NULL, sender_sex = NULL, recipient_name = NULL, "
      "recipient_address = NULL, recipient_phone = NULL, personal_data_purged_us = ?1 "
      "WHERE personal_data_purged_us IS NULL AND ("
      "  (decision IN ('accepted', 'refused') AND decided_us < ?2"
      "   AND NOT EXISTS (SELECT 1 FROM risk_hits h WHERE h.parcel_id = parcels.id))"
      "  OR (decision = 'held' AND EXISTS (SELECT 1 FROM reports r WHERE r.parcel_id = parcels.id"
      "      AND r.status = 'closed' AND r.closed_us < ?3)))",
      error);
  if (purge == NULL)
    return -1;
  sqlite3_bind_int64 (purge, 1, now_us);
  sqlite3_bind_int64 (purge, 2,
                      now_us - (gint64) policy->personal_data_days * 86400 * G_USEC_PER_SEC);
  sqlite3_bind_int64 (purge, 3,
                      now_us - (gint64) policy->closed_report_days * 86400 * G_USEC_PER_SEC);
  if (!ps_store_step_done (store, purge, error))
    return -1;
  gint64 count = sqlite3_changes64 (store->db);

  /* The documents sent for those parcels' reports hold the same personal
   * data: erased too, keeping their digests and signatures. */
  static const char *const erase[] = {
    "UPDATE outbox_documents SET document = NULL WHERE document IS NOT NULL AND outbox_id IN "
    "(SELECT o.id FROM outbox o JOIN reports r ON r.id = o.report_id JOIN parcels p "
    "ON p.id = r.parcel_id WHERE o.state = 'sent' AND p.personal_data_purged_us = ?)",
    "UPDATE outbox SET last_error = NULL WHERE state = 'sent' AND last_error IS NOT NULL "
    "AND report_id IN (SELECT r.id FROM reports r JOIN parcels p ON p.id = r.parcel_id "
    "WHERE p.personal_data_purged_us = ?)",
  };
  for (guint i = 0; i < G_N_ELEMENTS (erase); i++)
    {
      sqlite3_stmt *documents = ps_store_prepare (store, erase[i], error);
      if (documents == NULL)
        return -1;
      sqlite3_bind_int64 (documents, 1, now_us);
      if (!ps_store_step_done (store, documents, error))
        return -1;
    }

  /* The purge records which parcels it erased: audit verify then knows a
   * parcel marked purged behind the program's back. */
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parcels");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "personal_data_days");
  json_builder_add_int_value (builder, policy->personal_data_days);
  json_builder_set_member_name (builder, "closed_report_days");
  json_builder_add_int_value (builder, policy->closed_report_days);
  json_builder_set_member_name (builder, "purged");
  json_builder_begin_array (builder);
  sqlite3_stmt *purged = ps_store_prepare (
      store, "SELECT id FROM parcels WHERE personal_data_purged_us = ? ORDER BY id", error);
  if (purged == NULL)
    return -1;
  sqlite3_bind_int64 (purged, 1, now_us);
  int rc;
  while ((rc = sqlite3_step (purged)) == SQLITE_ROW)
    json_builder_add_int_value (builder, sqlite3_column_int64 (purged, 0));
  sqlite3_reset (purged);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return -1;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *payload = json_to_string (root, FALSE);
  if (!ps_store_audit_append_in_transaction (store, actor, "purge", "parcels", payload, now_us,
                                             error))
    return -1;
  return count;
}

gint64
ps_store_purge (PsStore *store, const PsActor *actor, const PsRetentionPolicy *policy,
                gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && policy != NULL, -1);

  if (actor != NULL && actor->role != PS_ROLE_ADMIN && actor->role != PS_ROLE_SYSTEM)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Only an administrator or the system erases personal data."));
      return -1;
    }

  if (!ps_store_begin (store, error))
    return -1;
  gint64 count = purge_in_transaction (store, actor, policy, now_us, error);
  if (count < 0 || !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return -1;
    }

  /* secure_delete zeroes the freed cells; the checkpoint also moves the old
   * pages out of the write-ahead log, where copies would otherwise linger.
   * A reader (the counter program in the middle of a query) can hold it
   * back: then the copies stay until a later purge, which tries again. */
  int rc = sqlite3_wal_checkpoint_v2 (store->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  store->erase_pending = rc != SQLITE_OK;
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    g_warning ("checkpoint after the purge failed: %s", sqlite3_errstr (rc));
  return count;
}

gboolean
ps_store_erase_pending (PsStore *store)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return store->erase_pending;
}
