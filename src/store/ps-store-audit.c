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

/* ---- Covered tables ------------------------------------------------------------ */

/* The rows whose every change is audited with their new digest (parcels,
 * custody events and corrections have digests of their own). Columns that
 * change without an audit entry of their own (failure counters, leases,
 * retry times) are left out. */
typedef struct
{
  const char *table;
  const char *row_sql; /* the digested columns of one row, by id (or key) */
  const char *ids_sql; /* every row's id (or key) */
  int n_columns;
} CoveredTable;

static const CoveredTable covered_tables[] = {
  { "users",
    "SELECT login, full_name, role, pin_hash, disabled, created_us FROM users WHERE id = ?",
    "SELECT id FROM users ORDER BY id", 6 },
  { "reports",
    "SELECT parcel_id, created_us, status, status_changed_us, closed_us FROM reports WHERE id = ?",
    "SELECT id FROM reports ORDER BY id", 5 },
  { "outbox",
    "SELECT idempotency_key, kind, report_id, custody_event_id, created_us, state, "
    "receiver_reference FROM outbox WHERE id = ?",
    "SELECT id FROM outbox ORDER BY id", 7 },
  { "meta", "SELECT key, value FROM meta WHERE key = ?", "SELECT key FROM meta ORDER BY key", 2 },
};

static const CoveredTable *
find_covered (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (covered_tables); i++)
    if (g_strcmp0 (covered_tables[i].table, table) == 0)
      return &covered_tables[i];
  return NULL;
}

/* The digest of a covered row, or NULL (*found FALSE) if there is none. */
static char *
covered_digest (PsStore *store, const CoveredTable *covered, const char *id, gboolean *found,
                GError **error)
{
  g_autofree char *domain = g_strdup_printf ("ps-%s-v1", covered->table);
  /* The settings are keyed by text, the other tables by number. */
  gboolean by_key = strcmp (covered->table, "meta") == 0;
  return ps_store_row_digest (store, covered->row_sql, by_key ? 0 : g_ascii_strtoll (id, NULL, 10),
                              by_key ? id : NULL, domain, covered->n_columns, found, error);
}

void
ps_store_cover_key (PsStore *store, const char *table, const char *key)
{
  g_return_if_fail (find_covered (table) != NULL);
  char *entry = g_strdup_printf ("%s\t%s", table, key);
  for (guint i = 0; i < store->covers->len; i++)
    if (strcmp (g_ptr_array_index (store->covers, i), entry) == 0)
      {
        g_free (entry);
        return;
      }
  g_ptr_array_add (store->covers, entry);
}

void
ps_store_cover (PsStore *store, const char *table, gint64 id)
{
  char key[24];
  g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT, id);
  ps_store_cover_key (store, table, key);
}

/* @payload with "rows": [[table, id, digest], …] for the rows covered since
 * the last entry; NULL with @error on a database failure. Written as text:
 * the payload is an object the store made, and tables, ids (digits or the
 * store's own setting keys) and hex digests need no escaping. */
static char *
payload_with_rows (PsStore *store, const char *payload, GError **error)
{
  gsize len = strlen (payload);
  if (len < 2 || payload[0] != '{' || payload[len - 1] != '}')
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, "audit payload is not an object");
      return NULL;
    }
  GString *text = g_string_new_len (payload, (gssize) len - 1);
  g_string_append (text, len > 2 ? ",\"rows\":[" : "\"rows\":[");
  for (guint i = 0; i < store->covers->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (store->covers, i), "\t", 2);
      gboolean found;
      g_autoptr (GError) local_error = NULL;
      g_autofree char *digest =
          covered_digest (store, find_covered (parts[0]), parts[1], &found, &local_error);
      if (local_error != NULL)
        {
          g_string_free (text, TRUE);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* null: the row was deleted */
      g_string_append_printf (text, "%s[\"%s\",\"%s\",%s%s%s]", i > 0 ? "," : "", parts[0],
                              parts[1], digest != NULL ? "\"" : "",
                              digest != NULL ? digest : "null", digest != NULL ? "\"" : "");
    }
  g_string_append (text, "]}");
  return g_string_free (text, FALSE);
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

  g_autofree char *covered_payload = NULL;
  if (store->covers->len > 0)
    {
      covered_payload = payload_with_rows (store, payload, error);
      if (covered_payload == NULL)
        return FALSE;
      g_ptr_array_set_size (store->covers, 0);
      payload = covered_payload;
    }

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
  for (guint t = 0; t < G_N_ELEMENTS (covered_tables); t++)
    {
      const CoveredTable *covered = &covered_tables[t];
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
          g_autofree char *digest = covered_digest (store, covered, id, &found, &local_error);
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
      if (expected->digest != NULL && find_covered (parts[0]) != NULL)
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

gboolean
ps_store_write_coverage_baseline (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  /* Every covered row as it is, and the parcels already purged: what the
   * trail vouches for from here on (a database from before the coverage). */
  if (!ps_store_begin (store, error))
    return FALSE;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "purged");
  json_builder_begin_array (builder);
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (
      store->db, "SELECT id FROM parcels WHERE personal_data_purged_us IS NOT NULL ORDER BY id", -1,
      &statement, NULL);
  /* (After a row rc is SQLITE_ROW: the loop must not test for SQLITE_OK.) */
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
      json_builder_add_int_value (builder, sqlite3_column_int64 (statement, 0));
  sqlite3_finalize (statement);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  for (guint t = 0; rc == SQLITE_DONE && t < G_N_ELEMENTS (covered_tables); t++)
    {
      rc = sqlite3_prepare_v2 (store->db, covered_tables[t].ids_sql, -1, &statement, NULL);
      if (rc == SQLITE_OK)
        while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
          ps_store_cover_key (store, covered_tables[t].table, ps_store_column_text (statement, 0));
      sqlite3_finalize (statement);
    }
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      ps_store_rollback (store);
      return FALSE;
    }
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *payload = json_to_string (root, FALSE);
  if (!ps_store_audit_append_in_transaction (store, NULL, "coverage", "database", payload,
                                             g_get_real_time (), error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return ps_store_commit (store, error);
}
