/* ps-store-audit.c — the audit trail, a hash chain, and the digests that bind
 * decisions and custody events to it.
 *
 * Each entry's hash is the SHA-256 of its canonical form: its sequence
 * number, time, actor, action, entity, payload and the previous entry's
 * hash, each length-prefixed so that no two entries share a form. A decision's
 * audit payload holds the digest of the parcel's rows (answers, risk hits and
 * timeline included), and a custody entry the digest of its event, so that
 * editing those tables behind the program's back is found too.
 */
#include "ps-store-private.h"

#include "parcelscreen/ps-text.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _PsDigest
{
  GChecksum *checksum;
};

PsDigest *
ps_digest_new (const char *kind)
{
  PsDigest *digest = g_new0 (PsDigest, 1);
  digest->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  ps_digest_add_text (digest, kind);
  return digest;
}

void
ps_digest_add_text (PsDigest *digest, const char *text)
{
  if (text == NULL)
    {
      ps_digest_add_null (digest);
      return;
    }
  g_autofree char *prefix = g_strdup_printf ("T%zu:", strlen (text));
  g_checksum_update (digest->checksum, (const guchar *) prefix, -1);
  g_checksum_update (digest->checksum, (const guchar *) text, -1);
  g_checksum_update (digest->checksum, (const guchar *) "\n", 1);
}

void
ps_digest_add_int (PsDigest *digest, gint64 value)
{
  g_autofree char *text = g_strdup_printf ("I%" G_GINT64_FORMAT "\n", value);
  g_checksum_update (digest->checksum, (const guchar *) text, -1);
}

void
ps_digest_add_null (PsDigest *digest)
{
  g_checksum_update (digest->checksum, (const guchar *) "N\n", 2);
}

char *
ps_digest_finish (PsDigest *digest)
{
  char *hex = g_strdup (g_checksum_get_string (digest->checksum));
  g_checksum_free (digest->checksum);
  g_free (digest);
  return hex;
}

static char *
entry_hash (gint64 seq, gint64 time_us, gboolean has_actor, gint64 actor_id, const char *actor_kind,
            const char *action, const char *entity, const char *payload, const char *prev_hash)
{
  PsDigest *digest = ps_digest_new ("ps-audit-v1");
  ps_digest_add_int (digest, seq);
  ps_digest_add_int (digest, time_us);
  if (has_actor)
    ps_digest_add_int (digest, actor_id);
  else
    ps_digest_add_null (digest);
  ps_digest_add_text (digest, actor_kind);
  ps_digest_add_text (digest, action);
  ps_digest_add_text (digest, entity);
  ps_digest_add_text (digest, payload);
  ps_digest_add_text (digest, prev_hash);
  return ps_digest_finish (digest);
}

gboolean
ps_store_audit_append_in_transaction (PsStore *store, const PsActor *actor, const char *action,
                                      const char *entity, const char *payload, gint64 now_us,
                                      GError **error)
{
  sqlite3_stmt *last = ps_store_prepare (store,
                                         "SELECT seq, hash FROM audit ORDER BY seq DESC "
                                         "LIMIT 1",
                                         error);
  if (last == NULL)
    return FALSE;

  gint64 seq = 1;
  g_autofree char *prev_hash = g_strdup (PS_AUDIT_GENESIS);
  int rc = sqlite3_step (last);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (last, 0) + 1;
      g_free (prev_hash);
      if (!ps_store_column_read (store, last, 1, &prev_hash, error))
        {
          sqlite3_reset (last);
          return FALSE;
        }
    }
  else if (rc != SQLITE_DONE)
    {
      sqlite3_reset (last);
      return ps_store_fail (store, rc, error);
    }
  sqlite3_reset (last);

  gboolean has_actor = actor != NULL && actor->role != PS_ROLE_SYSTEM;
  gint64 actor_id = has_actor ? actor->user_id : 0;
  const char *kind = has_actor ? ps_role_to_id (actor->role) : "system";
  g_autofree char *hash =
      entry_hash (seq, now_us, has_actor, actor_id, kind, action, entity, payload, prev_hash);

  sqlite3_stmt *insert = ps_store_prepare (
      store,
      "INSERT INTO audit (seq, time_us, actor_id, actor_kind, action, entity, payload, "
      "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, seq);
  sqlite3_bind_int64 (insert, 2, now_us);
  if (has_actor)
    sqlite3_bind_int64 (insert, 3, actor_id);
  else
    sqlite3_bind_null (insert, 3);
  ps_store_bind_text (insert, 4, kind);
  ps_store_bind_text (insert, 5, action);
  ps_store_bind_text (insert, 6, entity);
  ps_store_bind_text (insert, 7, payload);
  ps_store_bind_text (insert, 8, prev_hash);
  ps_store_bind_text (insert, 9, hash);
  return ps_store_step_done (store, insert, error);
}

gboolean
ps_store_audit_append (PsStore *store, const PsActor *actor, const char *action, const char *entity,
                       const char *payload, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (action != NULL && entity != NULL && payload != NULL, FALSE);

  if (!ps_store_begin (store, error))
    return FALSE;
  if (!ps_store_audit_append_in_transaction (store, actor, action, entity, payload, now_us, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return ps_store_commit (store, error);
}

void
ps_audit_result_clear (PsAuditResult *result)
{
  g_clear_pointer (&result->detail, g_free);
}

/* What the audit trail says each record's digest must be. */
typedef struct
{
  GHashTable *parcels;     /* parcel id → (digest, seq) */
  GHashTable *custody;     /* custody event id → (digest, seq) */
  GHashTable *corrections; /* correction id → (digest, seq) */
} PsAuditedRecords;

typedef struct
{
  char *digest;
  gint64 seq;
} PsAuditedDigest;

static void
audited_digest_free (PsAuditedDigest *audited)
{
  g_free (audited->digest);
  g_free (audited);
}

static void
remember_record (PsAuditedRecords *records, const char *action, const char *payload, gint64 seq)
{
  const char *table_key = NULL;
  GHashTable *table = NULL;

  if (strcmp (action, "decision") == 0)
    {
      table = records->parcels;
      table_key = "parcel";
    }
  else if (strcmp (action, "custody") == 0)
    {
      table = records->custody;
      table_key = "event";
    }
  else if (strcmp (action, "correction") == 0)
    {
      table = records->corrections;
      table_key = "correction";
    }
  else
    {
      return;
    }

  /* Payloads are small and flat; a deep one is hostile (the parser recurses). */
  gsize len = strlen (payload);
  if (len > 65536 || ps_json_too_deep (payload, len, 8))
    return;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, payload, -1, NULL))
    return;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  JsonObject *object = json_node_get_object (root);
  JsonNode *id = json_object_get_member (object, table_key);
  JsonNode *digest = json_object_get_member (object, "digest");
  /* A hostile entry may put anything there: only a whole number and a
   * string are read; anything else leaves the record without an entry,
   * which the record check then names. */
  if (id == NULL || digest == NULL || !JSON_NODE_HOLDS_VALUE (id) ||
      json_node_get_value_type (id) != G_TYPE_INT64 || !JSON_NODE_HOLDS_VALUE (digest) ||
      json_node_get_value_type (digest) != G_TYPE_STRING)
    return;

  PsAuditedDigest *audited = g_new0 (PsAuditedDigest, 1);
  audited->digest = g_strdup (json_node_get_string (digest));
  audited->seq = seq;
  g_hash_table_replace (table, (gpointer) (gintptr) json_node_get_int (id), audited);
}

G_GNUC_PRINTF (4, 5)
static void
report_problem (PsAuditResult *result, PsAuditProblem problem, gint64 seq, const char *format, ...)
{
  /* Keep the first broken sequence number. */
  if (result->problem != PS_AUDIT_OK && result->problem_seq <= seq)
    return;

  va_list args;
  va_start (args, format);
  g_free (result->detail);
  result->detail = g_strdup_vprintf (format, args);
  va_end (args);
  result->problem = problem;
  result->problem_seq = seq;
}

/* Walks the chain; fills @records from decision and custody entries. */
static gboolean
verify_chain (PsStore *store, PsAuditResult *result, PsAuditedRecords *records, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (store->db,
                               "SELECT seq, time_us, actor_id, actor_kind, action, entity, "
                               "payload, prev_hash, hash FROM audit ORDER BY seq",
                               -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return ps_store_fail (store, rc, error);

  gint64 expected = 1;
  g_autofree char *previous = g_strdup (PS_AUDIT_GENESIS);

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (statement, 0);
      gint64 time_us = sqlite3_column_int64 (statement, 1);
      gboolean has_actor = sqlite3_column_type (statement, 2) != SQLITE_NULL;
      gint64 actor_id = sqlite3_column_int64 (statement, 2);
      const char *kind = ps_store_column_text (statement, 3);
      const char *action = ps_store_column_text (statement, 4);
      const char *entity = ps_store_column_text (statement, 5);
      const char *payload = ps_store_column_text (statement, 6);
      const char *prev_hash = ps_store_column_text (statement, 7);
      const char *hash = ps_store_column_text (statement, 8);

      result->n_entries++;
      if (seq < expected)
        report_problem (result, PS_AUDIT_INSERTED, seq,
                        _ ("entry %lld was inserted: sequence numbers start at 1"),
                        (long long) seq);
      else if (seq > expected)
        report_problem (result, PS_AUDIT_MISSING, expected, _ ("entry %lld is missing (deleted)"),
                        (long long) expected);

      g_autofree char *computed =
          entry_hash (seq, time_us, has_actor, actor_id, kind, action, entity, payload, prev_hash);
      /* An entry that does not link to the one before it was put there; one
       * that links but no longer matches its hash was edited. */
      if (seq == expected && g_strcmp0 (prev_hash, previous) != 0)
        report_problem (result, PS_AUDIT_INSERTED, seq,
                        _ ("entry %lld was inserted or replaced: it does not link to the entry "
                           "before it"),
                        (long long) seq);
      else if (hash == NULL || strcmp (computed, hash) != 0)
        report_problem (result, PS_AUDIT_CHANGED, seq,
                        _ ("entry %lld was changed: its contents no longer match its hash"),
                        (long long) seq);

      if (action != NULL && payload != NULL)
        remember_record (records, action, payload, seq);
      g_free (previous);
      previous = g_strdup (hash);
      expected = seq + 1;
      g_strlcpy (result->head, hash != NULL ? hash : "", sizeof result->head);
    }
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);
  return TRUE;
}

/* Checks every row of @table against the digest its audit entry holds. */
static gboolean
verify_records (PsStore *store, const char *sql, GHashTable *audited, const char *what,
                char *(*digest_of) (PsStore *, gint64, GError **), PsAuditResult *result,
                GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return ps_store_fail (store, rc, error);

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (statement, 0);
      PsAuditedDigest *expected = g_hash_table_lookup (audited, (gpointer) (gintptr) id);

      if (expected == NULL)
        {
          report_problem (result, PS_AUDIT_RECORD_CHANGED, result->n_entries + 1,
                          _ ("%s %lld has no audit entry: it was added behind the program's back"),
                          what, (long long) id);
          continue;
        }
      g_autofree char *digest = digest_of (store, id, error);
      if (digest == NULL)
        {
          sqlite3_finalize (statement);
          return FALSE;
        }
      if (strcmp (digest, expected->digest) != 0)
        report_problem (result, PS_AUDIT_RECORD_CHANGED, expected->seq,
                        _ ("%s %lld was changed after audit entry %lld recorded it"), what,
                        (long long) id, (long long) expected->seq);
      g_hash_table_remove (audited, (gpointer) (gintptr) id);
    }
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);

  /* Audited records that are gone. */
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, audited);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PsAuditedDigest *expected = value;
      report_problem (result, PS_AUDIT_RECORD_CHANGED, expected->seq,
                      _ ("%s %lld recorded by audit entry %lld was deleted"), what,
                      (long long) (gintptr) key, (long long) expected->seq);
    }
  return TRUE;
}

static char *
parcel_digest_as_audited (PsStore *store, gint64 id, GError **error)
{
  return ps_store_parcel_digest (store, id, TRUE, error);
}

gboolean
ps_store_audit_verify (PsStore *store, PsAuditResult *result, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  g_strlcpy (result->head, PS_AUDIT_GENESIS, sizeof result->head);

  PsAuditedRecords records = {
    .parcels = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) audited_digest_free),
    .custody = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) audited_digest_free),
    .corrections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) audited_digest_free),
  };

  /* One read transaction: a consistent view while the counter works. */
  gboolean ok =
      ps_store_exec (store, "BEGIN", error) && verify_chain (store, result, &records, error) &&
      verify_records (store, "SELECT id FROM parcels ORDER BY id", records.parcels,
                      _ ("Parcel record"), parcel_digest_as_audited, result, error) &&
      verify_records (store, "SELECT id FROM custody_events ORDER BY id", records.custody,
                      _ ("Custody event"), ps_store_custody_digest, result, error) &&
      verify_records (store, "SELECT id FROM corrections ORDER BY id", records.corrections,
                      _ ("Correction"), ps_store_correction_digest, result, error);
  ps_store_rollback (store);

  g_hash_table_unref (records.parcels);
  g_hash_table_unref (records.custody);
  g_hash_table_unref (records.corrections);
  return ok;
}
