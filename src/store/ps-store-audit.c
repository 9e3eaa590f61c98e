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

gsize
ps_store_format_int (char out[PS_STORE_INT_CHARS], gint64 value)
{
  /* What "%" G_GINT64_FORMAT prints, without printf: called for every field
   * a decision hashes and stores. */
  char digits[PS_STORE_INT_CHARS];
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;
  gsize n = 0;
  do
    {
      digits[n++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);

  gsize length = 0;
  if (value < 0)
    out[length++] = '-';
  while (n > 0)
    out[length++] = digits[--n];
  out[length] = '\0';
  return length;
}

void
ps_digest_add_text (PsDigest *digest, const char *text)
{
  if (text == NULL)
    {
      ps_digest_add_null (digest);
      return;
    }
  /* Called for every field of every row: no allocation. */
  char prefix[PS_STORE_INT_CHARS + 2] = "T";
  size_t length = strlen (text);
  gsize n = 1 + ps_store_format_int (prefix + 1, (gint64) length);
  prefix[n++] = ':';
  g_checksum_update (digest->checksum, (const guchar *) prefix, (gssize) n);
  g_checksum_update (digest->checksum, (const guchar *) text, (gssize) length);
  g_checksum_update (digest->checksum, (const guchar *) "\n", 1);
}

void
ps_digest_add_int (PsDigest *digest, gint64 value)
{
  char text[PS_STORE_INT_CHARS + 2] = "I";
  gsize n = 1 + ps_store_format_int (text + 1, value);
  text[n++] = '\n';
  g_checksum_update (digest->checksum, (const guchar *) text, (gssize) n);
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
const PsCoveredTable ps_covered_tables[PS_N_COVERED_TABLES] = {
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

const PsCoveredTable *
ps_store_find_covered (const char *table)
{
  for (guint i = 0; i < PS_N_COVERED_TABLES; i++)
    if (g_strcmp0 (ps_covered_tables[i].table, table) == 0)
      return &ps_covered_tables[i];
  return NULL;
}

/* The digest of a covered row, or NULL (*found FALSE) if there is none. */
char *
ps_store_covered_digest (PsStore *store, const PsCoveredTable *covered, const char *id,
                         gboolean *found, GError **error)
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
  g_return_if_fail (ps_store_find_covered (table) != NULL);
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
      g_autofree char *digest = ps_store_covered_digest (store, ps_store_find_covered (parts[0]),
                                                         parts[1], &found, &local_error);
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

char *
ps_store_audit_entry_hash (gint64 seq, gint64 time_us, gboolean has_actor, gint64 actor_id,
                           const char *actor_kind, const char *action, const char *entity,
                           const char *payload, const char *prev_hash)
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
  const char *kind = ps_store_actor_kind (actor);
  g_autofree char *hash = ps_store_audit_entry_hash (seq, now_us, has_actor, actor_id, kind, action,
                                                     entity, payload, prev_hash);

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
  for (guint t = 0; rc == SQLITE_DONE && t < PS_N_COVERED_TABLES; t++)
    {
      rc = sqlite3_prepare_v2 (store->db, ps_covered_tables[t].ids_sql, -1, &statement, NULL);
      if (rc == SQLITE_OK)
        while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
          ps_store_cover_key (store, ps_covered_tables[t].table,
                              ps_store_column_text (statement, 0));
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
