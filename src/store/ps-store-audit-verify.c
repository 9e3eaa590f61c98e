/* ps-store-audit-verify.c — checking the audit trail: the hash chain, the
 * digests of decisions, custody events and corrections against the rows,
 * the covered tables, purges, the schema and the heads kept outside. Every
 * problem is named with its sequence number; nothing is repaired. */
#include "ps-store-private.h"

#include "parcelscreen/ps-text.h"

#include <json-glib/json-glib.h>
#include <string.h>

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
  GHashTable *rows;        /* "table\tid" of a covered row → (digest or NULL, seq) */
  GHashTable *purged;      /* parcel ids whose personal data a purge erased */
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

/* A string member of a JSON array element, or NULL. */
static const char *
element_string (JsonArray *array, guint i)
{
  JsonNode *node = i < json_array_get_length (array) ? json_array_get_element (array, i) : NULL;
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                 json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

/* Remembers the covered rows an entry recorded ("rows": [[table, id,
 * digest], …]) and the parcels a purge erased ("purged": [id, …]). Anything
 * not of the expected types is passed over (the row then has no entry, which
 * the row check names). */
static void
remember_rows (PsAuditedRecords *records, JsonObject *object, gint64 seq)
{
  JsonNode *rows = json_object_get_member (object, "rows");
  if (rows != NULL && JSON_NODE_HOLDS_ARRAY (rows))
    {
      JsonArray *array = json_node_get_array (rows);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_ARRAY (element))
            continue;
          JsonArray *row = json_node_get_array (element);
          const char *table = element_string (row, 0);
          const char *id = element_string (row, 1);
          if (table == NULL || id == NULL || json_array_get_length (row) != 3)
            continue;
          PsAuditedDigest *audited = g_new0 (PsAuditedDigest, 1);
          audited->digest = g_strdup (element_string (row, 2)); /* NULL: deleted */
          audited->seq = seq;
          g_hash_table_replace (records->rows, g_strdup_printf ("%s\t%s", table, id), audited);
        }
    }
  JsonNode *purged = json_object_get_member (object, "purged");
  if (purged != NULL && JSON_NODE_HOLDS_ARRAY (purged))
    {
      JsonArray *array = json_node_get_array (purged);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_INT64)
            g_hash_table_add (records->purged, (gpointer) (gintptr) json_node_get_int (element));
        }
    }
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
  gboolean has_rows = strstr (payload, "\"rows\"") != NULL || strstr (payload, "\"purged\"");
  if (table == NULL && !has_rows)
    return;

  /* Payloads are small and flat; a deep one is hostile (the parser recurses). */
  gsize len = strlen (payload);
  if (len > 16 * 1024 * 1024 || ps_json_too_deep (payload, len, 8))
    return;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, payload, -1, NULL))
    return;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  JsonObject *object = json_node_get_object (root);
  if (has_rows)
    remember_rows (records, object, seq);
  if (table == NULL)
    return;
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

      g_autofree char *computed = ps_store_audit_entry_hash (
          seq, time_us, has_actor, actor_id, kind, action, entity, payload, prev_hash);
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

static const char *
covered_label (const char *table)
{
  if (strcmp (table, "users") == 0)
    return _ ("User");
  if (strcmp (table, "reports") == 0)
    return _ ("Report");
  if (strcmp (table, "outbox") == 0)
    return _ ("Delivery to the police (outbox row)");
  return _ ("Database setting");
}

/* Checks every row of the covered tables against the digest its last audit
 * entry recorded. */
static gboolean
verify_covered (PsStore *store, PsAuditedRecords *records, PsAuditResult *result, GError **error)
{
  for (guint t = 0; t < PS_N_COVERED_TABLES; t++)
    {
      const PsCoveredTable *covered = &ps_covered_tables[t];
      const char *what = covered_label (covered->table);
      sqlite3_stmt *ids = NULL;
      int rc = sqlite3_prepare_v2 (store->db, covered->ids_sql, -1, &ids, NULL);
      if (rc != SQLITE_OK)
        return ps_store_fail (store, rc, error);
      while ((rc = sqlite3_step (ids)) == SQLITE_ROW)
        {
          g_autofree char *id = ps_store_column_dup (ids, 0);
          g_autofree char *key = g_strdup_printf ("%s\t%s", covered->table, id);
          PsAuditedDigest *expected = g_hash_table_lookup (records->rows, key);
          gboolean found;
          g_autoptr (GError) local_error = NULL;
          g_autofree char *digest =
              ps_store_covered_digest (store, covered, id, &found, &local_error);
          if (digest == NULL)
            {
              sqlite3_finalize (ids);
              if (local_error == NULL)
                g_set_error (&local_error, PS_ERROR, PS_ERROR_STORAGE,
                             _ ("%s %s changed while it was being checked."), what, id);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (expected == NULL || expected->digest == NULL)
            report_problem (result, PS_AUDIT_RECORD_CHANGED, result->n_entries + 1,
                            _ ("%s %s has no audit entry: it was added behind the program's back"),
                            what, id);
          else if (strcmp (digest, expected->digest) != 0)
            report_problem (result, PS_AUDIT_RECORD_CHANGED, expected->seq,
                            _ ("%s %s was changed after audit entry %lld recorded it"), what, id,
                            (long long) expected->seq);
          g_hash_table_remove (records->rows, key);
        }
      sqlite3_finalize (ids);
      if (rc != SQLITE_DONE)
        return ps_store_fail (store, rc, error);
    }
  /* Recorded rows that are gone. */
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, records->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PsAuditedDigest *expected = value;
      g_auto (GStrv) parts = g_strsplit (key, "\t", 2);
      if (expected->digest != NULL && ps_store_find_covered (parts[0]) != NULL)
        report_problem (result, PS_AUDIT_RECORD_CHANGED, expected->seq,
                        _ ("%s %s recorded by audit entry %lld was deleted"),
                        covered_label (parts[0]), parts[1], (long long) expected->seq);
    }
  return TRUE;
}

/* A parcel marked purged must have been purged by a recorded purge, and hold
 * no personal data: marking it purged no longer hides a changed identity. */
static gboolean
verify_purged (PsStore *store, PsAuditedRecords *records, PsAuditResult *result, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (
      store->db,
      "SELECT id, coalesce(sender_source, sender_id, sender_old_id, sender_name, sender_address, "
      "sender_phone, sender_birth_date, sender_sex, recipient_name, recipient_address, "
      "recipient_phone) IS NULL FROM parcels WHERE personal_data_purged_us IS NOT NULL "
      "ORDER BY id",
      -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return ps_store_fail (store, rc, error);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (statement, 0);
      gboolean erased = sqlite3_column_int (statement, 1) != 0;
      if (!g_hash_table_contains (records->purged, (gpointer) (gintptr) id))
        report_problem (result, PS_AUDIT_RECORD_CHANGED, result->n_entries + 1,
                        _ ("Parcel record %lld is marked as purged, but no purge in the audit "
                           "trail erased it"),
                        (long long) id);
      else if (!erased)
        report_problem (result, PS_AUDIT_RECORD_CHANGED, result->n_entries + 1,
                        _ ("Parcel record %lld is marked as purged but holds personal data: it "
                           "was changed after the purge"),
                        (long long) id);
    }
  sqlite3_finalize (statement);
  return rc == SQLITE_DONE || ps_store_fail (store, rc, error);
}

/* The digest of a database's schema: every table, index and trigger as SQLite
 * keeps its text. */
static char *
schema_digest (sqlite3 *db)
{
  sqlite3_stmt *statement = NULL;
  if (sqlite3_prepare_v2 (db,
                          "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                          "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
                          -1, &statement, NULL) != SQLITE_OK)
    return NULL;
  PsDigest *digest = ps_digest_new ("ps-schema-v1");
  while (sqlite3_step (statement) == SQLITE_ROW)
    for (int i = 0; i < 4; i++)
      ps_digest_add_text (digest, (const char *) sqlite3_column_text (statement, i));
  sqlite3_finalize (statement);
  return ps_digest_finish (digest);
}

/* The schema, its append-only triggers included, is the one this version of
 * the program makes: compared with a fresh one built in memory. */
static void
verify_schema (PsStore *store, PsAuditResult *result)
{
  sqlite3 *fresh = NULL;
  g_autofree char *expected = NULL;
  if (sqlite3_open (":memory:", &fresh) == SQLITE_OK &&
      ps_store_migrate (fresh, ps_store_get_schema_version (store), NULL))
    expected = schema_digest (fresh);
  sqlite3_close (fresh);
  g_autofree char *actual = schema_digest (store->db);
  if (expected == NULL || g_strcmp0 (expected, actual) != 0)
    /* Named when nothing more precise is: dropping a trigger is how rows
     * are changed, and the changed row is the finding to show first. */
    report_problem (result, PS_AUDIT_SCHEMA_CHANGED, G_MAXINT64,
                    _ ("the database's schema was changed (a table, an index or a trigger such "
                       "as the one that keeps the trail append-only)"));
}

/* Checks one head the counter sent out (in a forwarded document, in an
 * export): its entry must still be in the chain, unchanged. */
static gboolean
verify_head (PsStore *store, gint64 seq, const char *hash, const char *where, PsAuditResult *result,
             GError **error)
{
  if (seq <= 0)
    return TRUE;
  sqlite3_stmt *select = ps_store_prepare (store, "SELECT hash FROM audit WHERE seq = ?", error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, seq);
  int rc = sqlite3_step (select);
  g_autofree char *stored = rc == SQLITE_ROW ? ps_store_column_dup (select, 0) : NULL;
  sqlite3_reset (select);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);
  if (stored == NULL)
    report_problem (result, PS_AUDIT_TRUNCATED, seq,
                    _ ("entry %lld, which the counter sent out in %s, is gone: the end of the "
                       "trail was cut off"),
                    (long long) seq, where);
  else if (g_strcmp0 (stored, hash) != 0)
    report_problem (result, PS_AUDIT_TRUNCATED, seq,
                    _ ("entry %lld is not the one the counter sent out in %s: the trail was "
                       "replaced from there"),
                    (long long) seq, where);
  return TRUE;
}

/* Every head the counter ever sent: in each forwarded document, and in each
 * export's record. */
static gboolean
verify_heads (PsStore *store, PsAuditResult *result, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (
      store->db,
      "SELECT outbox_id, document FROM outbox_documents WHERE document IS NOT NULL "
      "ORDER BY outbox_id",
      -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return ps_store_fail (store, rc, error);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      const char *document = (const char *) sqlite3_column_blob (statement, 1);
      gsize len = (gsize) sqlite3_column_bytes (statement, 1);
      g_autoptr (JsonParser) parser = json_parser_new ();
      if (document == NULL || ps_json_too_deep (document, len, 16) ||
          !json_parser_load_from_data (parser, document, (gssize) len, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      JsonNode *head = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                               "audit_head");
      if (head == NULL || !JSON_NODE_HOLDS_OBJECT (head))
        continue;
      JsonObject *object = json_node_get_object (head);
      JsonNode *seq = json_object_get_member (object, "seq");
      JsonNode *hash = json_object_get_member (object, "hash");
      if (seq == NULL || hash == NULL || !JSON_NODE_HOLDS_VALUE (seq) ||
          json_node_get_value_type (seq) != G_TYPE_INT64 || !JSON_NODE_HOLDS_VALUE (hash) ||
          json_node_get_value_type (hash) != G_TYPE_STRING)
        continue;
      g_autofree char *where = g_strdup_printf (_ ("the document of outbox row %lld"),
                                                (long long) sqlite3_column_int64 (statement, 0));
      if (!verify_head (store, json_node_get_int (seq), json_node_get_string (hash), where, result,
                        error))
        {
          sqlite3_finalize (statement);
          return FALSE;
        }
    }
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);

  rc = sqlite3_prepare_v2 (store->db, "SELECT day, audit_head FROM exports ORDER BY id", -1,
                           &statement, NULL);
  if (rc != SQLITE_OK)
    return ps_store_fail (store, rc, error);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      const char *text = ps_store_column_text (statement, 1);
      const char *colon = text != NULL ? strchr (text, ':') : NULL;
      if (colon == NULL)
        continue;
      g_autofree char *where =
          g_strdup_printf (_ ("the export of %s"), ps_store_column_text (statement, 0));
      if (!verify_head (store, g_ascii_strtoll (text, NULL, 10), colon + 1, where, result, error))
        {
          sqlite3_finalize (statement);
          return FALSE;
        }
    }
  sqlite3_finalize (statement);
  return rc == SQLITE_DONE || ps_store_fail (store, rc, error);
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
    .rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) audited_digest_free),
    .purged = g_hash_table_new (NULL, NULL),
  };

  /* One read transaction: a consistent view while the counter works. */
  gboolean ok =
      ps_store_exec (store, "BEGIN", error) && verify_chain (store, result, &records, error) &&
      verify_records (store, "SELECT id FROM parcels ORDER BY id", records.parcels,
                      _ ("Parcel record"), parcel_digest_as_audited, result, error) &&
      verify_records (store, "SELECT id FROM custody_events ORDER BY id", records.custody,
                      _ ("Custody event"), ps_store_custody_digest, result, error) &&
      verify_records (store, "SELECT id FROM corrections ORDER BY id", records.corrections,
                      _ ("Correction"), ps_store_correction_digest, result, error) &&
      verify_covered (store, &records, result, error) &&
      verify_purged (store, &records, result, error) && verify_heads (store, result, error);
  if (ok)
    verify_schema (store, result);
  ps_store_rollback (store);

  g_hash_table_unref (records.parcels);
  g_hash_table_unref (records.custody);
  g_hash_table_unref (records.corrections);
  g_hash_table_unref (records.rows);
  g_hash_table_unref (records.purged);
  return ok;
}
