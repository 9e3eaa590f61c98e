/* ps-store-outbox.c — the outbox as the forwarder sees it: leases, the JSON
 * document of a row, and the outcome of a delivery.
 *
 * A row is leased to one forwarder for PS_OUTBOX_LEASE_US, renewed while that
 * forwarder lives, so that two forwarders never send the same row at the same
 * time; a forwarder that dies loses its leases within that time and another
 * takes the rows over. Rows of one report are delivered in order: a custody
 * event never overtakes the report it belongs to. The document of a row is
 * built and signed once, at its first try, and kept with the row, byte for
 * byte: every later try, by any forwarder, sends the same bytes under the same
 * idempotency key.
 */
#include "ps-store-private.h"

#include <string.h>

#include "ps-store-json.h"

void
ps_outbox_row_free (PsOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->kind);
  g_free (row->last_error);
  g_free (row->document);
  g_free (row->signature);
  g_free (row->signer_key);
  g_free (row->document_sha256);
  g_free (row);
}

/* ---- The kept document ----------------------------------------------------- */

/* The stored document as text, or NULL if there is none or it is not text. */
static char *
document_from_column (sqlite3_stmt *select, int index)
{
  const char *blob = sqlite3_column_blob (select, index);
  gsize len = (gsize) sqlite3_column_bytes (select, index);
  if (blob == NULL || len == 0 || len > PS_OUTBOX_DOCUMENT_MAX || memchr (blob, '\0', len) != NULL)
    return NULL;
  return g_strndup (blob, len);
}

/* An outbox row, from a statement selecting OUTBOX_COLUMNS. */
#define OUTBOX_COLUMNS                                                                             \
  "o.id, o.idempotency_key, o.kind, o.report_id, o.custody_event_id, o.attempts, o.last_error, "   \
  "d.document, d.signature, d.signer_key, d.sha256 FROM outbox o LEFT JOIN outbox_documents d "    \
  "ON d.outbox_id = o.id"

static gpointer
read_row (sqlite3_stmt *select)
{
  PsOutboxRow *row = g_new0 (PsOutboxRow, 1);
  row->id = sqlite3_column_int64 (select, 0);
  row->key = ps_store_column_dup (select, 1);
  row->kind = ps_store_column_dup (select, 2);
  row->report_id = sqlite3_column_int64 (select, 3);
  row->custody_event_id = sqlite3_column_int64 (select, 4);
  row->attempts = (guint) sqlite3_column_int (select, 5);
  row->last_error = ps_store_column_dup (select, 6);
  row->document = document_from_column (select, 7);
  row->signature = ps_store_column_dup (select, 8);
  row->signer_key = ps_store_column_dup (select, 9);
  row->document_sha256 = ps_store_column_dup (select, 10);
  /* A kept document that no longer matches its digest is not sent: better
   * a new one (a new try, refused by the receiver as another body) than
   * bytes that are not what was signed. */
  if (row->document != NULL)
    {
      g_autofree char *actual =
          g_compute_checksum_for_string (G_CHECKSUM_SHA256, row->document, -1);
      if (g_strcmp0 (actual, row->document_sha256) != 0 || row->signature == NULL ||
          row->signer_key == NULL)
        {
          g_warning ("outbox %" G_GINT64_FORMAT ": the kept document is damaged", row->id);
          g_clear_pointer (&row->document, g_free);
        }
    }
  return row;
}

gboolean
ps_store_outbox_keep_document (PsStore *store, PsOutboxRow *row, const char *owner, GError **error)
{
  g_return_val_if_fail (store != NULL && row != NULL && owner != NULL, FALSE);
  g_return_val_if_fail (row->document != NULL && row->signature != NULL, FALSE);
  g_return_val_if_fail (row->signer_key != NULL, FALSE);

  gsize len = strlen (row->document);
  if (len > PS_OUTBOX_DOCUMENT_MAX)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED,
                   _ ("Report %lld is too large to be forwarded (%zu bytes)."),
                   (long long) row->report_id, len);
      return FALSE;
    }
  g_free (row->document_sha256);
  row->document_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, row->document, -1);
  if (!ps_store_begin (store, error))
    return FALSE;
  sqlite3_stmt *update = ps_store_prepare (
      store,
      "INSERT INTO outbox_documents (outbox_id, document, sha256, signature, signer_key) "
      "SELECT ?5, ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM outbox WHERE id = ?5 "
      "AND lease_owner = ?6) ON CONFLICT (outbox_id) DO NOTHING",
      error);
  if (update == NULL)
    {
      ps_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_blob (update, 1, row->document, (int) len, SQLITE_STATIC);
  ps_store_bind_text (update, 2, row->document_sha256);
  ps_store_bind_text (update, 3, row->signature);
  ps_store_bind_text (update, 4, row->signer_key);
  sqlite3_bind_int64 (update, 5, row->id);
  ps_store_bind_text (update, 6, owner);
  if (!ps_store_step_done (store, update, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return ps_store_commit (store, error);
}

GPtrArray *
ps_store_outbox_lease (PsStore *store, const char *owner, gint64 due_us, gint64 now_us,
                       gint64 lease_us, guint limit, GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL, NULL);

  if (!ps_store_begin (store, error))
    return NULL;
  sqlite3_stmt *select = ps_store_prepare (
      store,
      "SELECT " OUTBOX_COLUMNS " WHERE o.state = 'pending' AND o.next_attempt_us <= ?4 "
      "AND (o.lease_until_us <= ?1 OR o.lease_owner = ?2) "
      "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.report_id = o.report_id AND e.id < o.id "
      "AND e.state != 'sent') "
      "ORDER BY o.next_attempt_us, o.id LIMIT ?3",
      error);
  sqlite3_stmt *update = ps_store_prepare (
      store, "UPDATE outbox SET lease_owner = ?, lease_until_us = ? WHERE id = ?", error);
  if (select == NULL || update == NULL)
    {
      ps_store_rollback (store);
      return NULL;
    }

  sqlite3_bind_int64 (select, 1, now_us);
  ps_store_bind_text (select, 2, owner);
  sqlite3_bind_int (select, 3, (int) MIN (limit, G_MAXINT));
  sqlite3_bind_int64 (select, 4, due_us);
  g_autoptr (GPtrArray) rows =
      ps_store_read_rows (store, select, read_row, (GDestroyNotify) ps_outbox_row_free, error);
  if (rows == NULL)
    {
      ps_store_rollback (store);
      return NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const PsOutboxRow *row = g_ptr_array_index (rows, i);
      ps_store_bind_text (update, 1, owner);
      sqlite3_bind_int64 (update, 2, now_us + lease_us);
      sqlite3_bind_int64 (update, 3, row->id);
      if (!ps_store_step_done (store, update, error))
        {
          ps_store_rollback (store);
          return NULL;
        }
    }
  if (!ps_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* Updates a leased row, and audits the outcome, in one transaction. Returns
 * FALSE with @error on a database failure; a row whose lease was lost to
 * another forwarder is left alone (it delivers the row again, and the key
 * makes that harmless). @payload is the audit entry's (no personal data). */
static gboolean
finish_row (PsStore *store, gint64 id, const char *owner, const char *sql, const char *text,
            gint64 time_us, const char *action, const char *payload, GError **error)
{
  if (!ps_store_begin (store, error))
    return FALSE;
  sqlite3_stmt *update = ps_store_prepare (store, sql, error);
  if (update == NULL)
    {
      ps_store_rollback (store);
      return FALSE;
    }
  ps_store_bind_text (update, 1, text);
  sqlite3_bind_int64 (update, 2, time_us);
  sqlite3_bind_int64 (update, 3, id);
  ps_store_bind_text (update, 4, owner);
  if (!ps_store_step_done (store, update, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  gboolean changed = sqlite3_changes (store->db) > 0;
  if (changed && action != NULL)
    {
      ps_store_cover (store, "outbox", id);
      g_autofree char *entity = g_strdup_printf ("outbox:%" G_GINT64_FORMAT, id);
      if (!ps_store_audit_append_in_transaction (store, NULL, action, entity, payload,
                                                 g_get_real_time (), error))
        {
          ps_store_rollback (store);
          return FALSE;
        }
    }
  return ps_store_commit (store, error);
}

gboolean
ps_store_outbox_sent (PsStore *store, gint64 id, const char *owner, const char *reference,
                      const char *document_sha256, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL, FALSE);
  /* The receiver's reference and the digest of what was sent: no personal data. */
  g_autofree char *payload =
      ps_json_object ("detail", 's', reference != NULL ? reference : "", "document_sha256", 's',
                      document_sha256 != NULL ? document_sha256 : "", NULL);
  return finish_row (store, id, owner,
                     "UPDATE outbox SET state = 'sent', receiver_reference = ?1, sent_us = ?2, "
                     "attempts = attempts + 1, last_error = NULL, lease_owner = NULL, "
                     "lease_until_us = 0 WHERE id = ?3 AND lease_owner = ?4 AND state = 'pending'",
                     reference != NULL ? reference : "", now_us, "forwarded", payload, error);
}

gboolean
ps_store_outbox_retry (PsStore *store, gint64 id, const char *owner, const char *problem,
                       gint64 next_attempt_us, GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL, FALSE);
  return finish_row (store, id, owner,
                     "UPDATE outbox SET last_error = ?1, next_attempt_us = ?2, "
                     "attempts = attempts + 1, lease_owner = NULL, lease_until_us = 0 "
                     "WHERE id = ?3 AND lease_owner = ?4 AND state = 'pending'",
                     problem, next_attempt_us, NULL, NULL, error);
}

gboolean
ps_store_outbox_failed (PsStore *store, gint64 id, const char *owner, const char *problem,
                        int status, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL, FALSE);
  /* The trail is append-only and never purged: the status and a digest of
   * the receiver's answer, never its words. */
  g_autofree char *digest =
      g_compute_checksum_for_string (G_CHECKSUM_SHA256, problem != NULL ? problem : "", -1);
  g_autofree char *payload =
      ps_json_object ("status", 'i', (gint64) status, "answer_sha256", 's', digest, NULL);
  return finish_row (store, id, owner,
                     "UPDATE outbox SET state = 'failed', last_error = ?1, sent_us = ?2, "
                     "attempts = attempts + 1, lease_owner = NULL, lease_until_us = 0 "
                     "WHERE id = ?3 AND lease_owner = ?4 AND state = 'pending'",
                     problem, now_us, "forward-refused", payload, error);
}

/* Sets the lease of each row of @ids still leased to @owner to @until_us
 * (0 gives it back). By primary key: no scan of the outbox. */
static gboolean
set_leases (PsStore *store, const char *owner, GArray *ids, gint64 until_us, GError **error)
{
  sqlite3_stmt *update = ps_store_prepare (
      store,
      "UPDATE outbox SET lease_until_us = ?1, lease_owner = CASE WHEN ?1 = 0 THEN NULL "
      "ELSE lease_owner END WHERE id = ?2 AND lease_owner = ?3 AND state = 'pending'",
      error);
  if (update == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_bind_int64 (update, 1, until_us);
      sqlite3_bind_int64 (update, 2, g_array_index (ids, gint64, i));
      ps_store_bind_text (update, 3, owner);
      if (!ps_store_step_done (store, update, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ps_store_outbox_renew (PsStore *store, const char *owner, GArray *ids, gint64 until_us,
                       GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL && ids != NULL && until_us > 0, FALSE);
  if (!ps_store_begin (store, error))
    return FALSE;
  if (!set_leases (store, owner, ids, until_us, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return ps_store_commit (store, error);
}

gboolean
ps_store_outbox_release (PsStore *store, const char *owner, GArray *ids, GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL && ids != NULL, FALSE);
  if (!ps_store_begin (store, error))
    return FALSE;
  if (!set_leases (store, owner, ids, 0, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return ps_store_commit (store, error);
}

gboolean
ps_store_outbox_requeue (PsStore *store, const PsActor *actor, gint64 id, gint64 now_us,
                         GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (actor == NULL || actor->role != PS_ROLE_SUPERVISOR)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Only a supervisor sends a refused report again."));
      return FALSE;
    }
  if (!ps_store_begin (store, error))
    return FALSE;
  sqlite3_stmt *update = ps_store_prepare (
      store,
      "UPDATE outbox SET state = 'pending', next_attempt_us = ?, lease_owner = NULL, "
      "lease_until_us = 0 WHERE id = ? AND state = 'failed'",
      error);
  gboolean ok = update != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (update, 1, now_us);
      sqlite3_bind_int64 (update, 2, id);
      ok = ps_store_step_done (store, update, error);
    }
  if (ok && sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND, _ ("No refused delivery %lld."),
                   (long long) id);
      ok = FALSE;
    }
  g_autofree char *entity = g_strdup_printf ("outbox:%" G_GINT64_FORMAT, id);
  if (ok)
    ps_store_cover (store, "outbox", id);
  ok = ok &&
       ps_store_audit_append_in_transaction (store, actor, "forward-requeued", entity, "{}", now_us,
                                             error) &&
       ps_store_commit (store, error);
  if (!ok)
    ps_store_rollback (store);
  return ok;
}

GPtrArray *
ps_store_outbox_list_failed (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  sqlite3_stmt *select = ps_store_prepare (
      store, "SELECT " OUTBOX_COLUMNS " WHERE o.state = 'failed' ORDER BY o.id", error);
  if (select == NULL)
    return NULL;
  return ps_store_read_rows (store, select, read_row, (GDestroyNotify) ps_outbox_row_free, error);
}

gboolean
ps_store_outbox_next_due (PsStore *store, const char *owner, gint64 *next_due_us, GError **error)
{
  g_return_val_if_fail (store != NULL && owner != NULL && next_due_us != NULL, FALSE);

  /* Only the first undelivered row of each report can be sent: one behind a
   * pending row waits for it, one behind a refused row waits for a
   * supervisor. Another forwarder's lease holds a row until it ends. */
  sqlite3_stmt *select = ps_store_prepare (
      store,
      "SELECT coalesce(min(max(o.next_attempt_us, CASE WHEN o.lease_owner IS NOT NULL AND "
      "o.lease_owner != ?1 THEN o.lease_until_us ELSE 0 END)), 0) FROM outbox o "
      "WHERE o.state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox e "
      "WHERE e.report_id = o.report_id AND e.id < o.id AND e.state != 'sent')",
      error);
  if (select == NULL)
    return FALSE;
  ps_store_bind_text (select, 1, owner);
  int rc = sqlite3_step (select);
  *next_due_us = rc == SQLITE_ROW ? MAX (sqlite3_column_int64 (select, 0), 0) : 0;
  sqlite3_reset (select);
  return rc == SQLITE_ROW || ps_store_fail (store, rc, error);
}

gboolean
ps_store_data_version (PsStore *store, gint64 *version, GError **error)
{
  g_return_val_if_fail (store != NULL && version != NULL, FALSE);
  sqlite3_stmt *select = ps_store_prepare (store, "PRAGMA data_version", error);
  if (select == NULL)
    return FALSE;
  int rc = sqlite3_step (select);
  *version = rc == SQLITE_ROW ? sqlite3_column_int64 (select, 0) : 0;
  sqlite3_reset (select);
  return rc == SQLITE_ROW || ps_store_fail (store, rc, error);
}

gboolean
ps_store_audit_head (PsStore *store, gint64 *seq, char **hash, GError **error)
{
  return ps_store_audit_head_before (store, G_MAXINT64, seq, hash, error);
}

gboolean
ps_store_audit_head_before (PsStore *store, gint64 before_us, gint64 *seq, char **hash,
                            GError **error)
{
  g_return_val_if_fail (store != NULL && seq != NULL && hash != NULL, FALSE);

  sqlite3_stmt *select = ps_store_prepare (
      store, "SELECT seq, hash FROM audit WHERE time_us < ? ORDER BY seq DESC LIMIT 1", error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, before_us);
  int rc = sqlite3_step (select);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64 (select, 0) : 0;
  *hash = rc == SQLITE_ROW ? ps_store_column_dup (select, 1) : g_strdup (PS_AUDIT_GENESIS);
  sqlite3_reset (select);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_clear_pointer (hash, g_free);
      return ps_store_fail (store, rc, error);
    }
  return TRUE;
}
