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

static PsOutboxRow *
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

  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_outbox_row_free);
  sqlite3_bind_int64 (select, 1, now_us);
  ps_store_bind_text (select, 2, owner);
  sqlite3_bind_int (select, 3, (int) MIN (limit, G_MAXINT));
  sqlite3_bind_int64 (select, 4, due_us);
  int rc;
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, read_row (select));
    }
  sqlite3_reset (select);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
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
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_outbox_row_free);
  int rc;
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, read_row (select));
    }
  sqlite3_reset (select);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
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
  g_return_val_if_fail (store != NULL && seq != NULL && hash != NULL, FALSE);

  sqlite3_stmt *select =
      ps_store_prepare (store, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (select == NULL)
    return FALSE;
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

/* ---- The document ---------------------------------------------------------- */

char *
ps_time_to_iso (gint64 time_us)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  if (time == NULL)
    return g_strdup ("");
  g_autoptr (GDateTime) exact = g_date_time_add (time, time_us % G_USEC_PER_SEC);
  return g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
member_text (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
member_int (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
member_time (JsonBuilder *builder, const char *name, gint64 time_us)
{
  g_autofree char *iso = time_us > 0 ? ps_time_to_iso (time_us) : NULL;
  member_text (builder, name, iso);
}

static void
add_custody (JsonBuilder *builder, const PsCustodyRecord *event)
{
  json_builder_begin_object (builder);
  member_int (builder, "id", event->id);
  member_text (builder, "kind", ps_custody_kind_to_id (event->kind));
  member_time (builder, "time", event->time_us);
  member_text (builder, "actor", event->actor_login);
  member_text (builder, "note", event->note);
  if (event->officer_name != NULL)
    {
      json_builder_set_member_name (builder, "officer");
      json_builder_begin_object (builder);
      member_text (builder, "name", event->officer_name);
      member_text (builder, "unit", event->officer_unit);
      member_text (builder, "badge", event->officer_badge);
      member_time (builder, "time", event->handover_us);
      json_builder_end_object (builder);
    }
  /* What the event carries out, or the override the police must see. */
  if (event->instruction_id != NULL)
    member_text (builder, "instruction", event->instruction_id);
  if (event->override_reason != NULL)
    member_text (builder, "override", event->override_reason);
  json_builder_end_object (builder);
}

void
ps_parcel_detail_to_json (JsonBuilder *builder, const PsParcelDetail *detail)
{
  json_builder_begin_object (builder);
  member_int (builder, "id", detail->parcel_id);
  member_text (builder, "tracking", detail->tracking);
  member_text (builder, "decision", ps_decision_to_id (detail->decision));
  member_time (builder, "started", detail->started_us);
  member_time (builder, "decided", detail->decided_us);
  member_text (builder, "clerk", detail->clerk_login);
  member_text (builder, "clerk_name", detail->clerk_name);
  member_text (builder, "approved_by", detail->override_login);

  json_builder_set_member_name (builder, "sender");
  json_builder_begin_object (builder);
  member_text (builder, "source", detail->sender_source);
  member_text (builder, "id_number", detail->sender_id);
  member_text (builder, "name", detail->sender_name);
  member_text (builder, "address", detail->sender_address);
  member_text (builder, "phone", detail->sender_phone);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "recipient");
  json_builder_begin_object (builder);
  member_text (builder, "name", detail->recipient_name);
  member_text (builder, "address", detail->recipient_address);
  member_text (builder, "phone", detail->recipient_phone);
  member_text (builder, "country", detail->destination_country);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "weight");
  json_builder_begin_object (builder);
  if (detail->has_weight)
    member_int (builder, "milligrams", detail->weight_mg);
  member_text (builder, "source", detail->weight_source);
  member_text (builder, "manual_reason", detail->manual_weight_reason);
  member_text (builder, "manual_note", detail->manual_weight_note);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "declaration");
  json_builder_begin_object (builder);
  member_text (builder, "category", detail->category);
  member_text (builder, "description", detail->description);
  member_int (builder, "quantity", detail->quantity);
  member_int (builder, "value_vnd", detail->value_vnd);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "inspection");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->answers->len; i++)
    {
      const PsAnswerRecord *answer = g_ptr_array_index (detail->answers, i);
      json_builder_begin_object (builder);
      member_text (builder, "item", answer->item_id);
      member_text (builder, "text_vi", answer->text_vi);
      member_text (builder, "text_en", answer->text_en);
      member_text (builder, "answer", ps_answer_to_id (answer->answer));
      member_text (builder, "passes", ps_answer_to_id (answer->passes));
      member_time (builder, "answered", answer->answered_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "risk");
  json_builder_begin_object (builder);
  member_int (builder, "score", detail->risk_score);
  member_int (builder, "threshold", detail->risk_threshold);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (detail->hits, i);
      json_builder_begin_object (builder);
      member_text (builder, "rule", hit->rule_id);
      member_int (builder, "score", hit->score);
      member_text (builder, "reason_vi", hit->reason_vi);
      member_text (builder, "reason_en", hit->reason_en);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  member_text (builder, "refuse_reason", detail->refuse_reason);
  json_builder_set_member_name (builder, "hold_reasons");
  json_builder_begin_array (builder);
  if (detail->hold_reasons != NULL)
    {
      g_auto (GStrv) reasons = g_strsplit (detail->hold_reasons, ",", -1);
      for (guint i = 0; reasons[i] != NULL; i++)
        if (*reasons[i] != '\0')
          json_builder_add_string_value (builder, reasons[i]);
    }
  json_builder_end_array (builder);
  member_text (builder, "note", detail->decision_note);
  json_builder_end_object (builder);
}

char *
ps_store_outbox_document (PsStore *store, const PsOutboxRow *row, const PsCounterIdentity *counter,
                          GError **error)
{
  g_return_val_if_fail (store != NULL && row != NULL && counter != NULL, NULL);

  gint64 parcel_id = ps_store_report_parcel (store, row->report_id, error);
  if (parcel_id <= 0)
    return NULL;
  g_autoptr (PsParcelDetail) detail = ps_store_get_parcel (store, parcel_id, error);
  if (detail == NULL)
    return NULL;
  gint64 seq;
  g_autofree char *head = NULL;
  if (!ps_store_audit_head (store, &seq, &head, error))
    return NULL;

  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  member_text (builder, "schema", PS_OUTBOX_SCHEMA);
  member_text (builder, "kind", row->kind);
  member_text (builder, "idempotency_key", row->key);
  if (ps_store_is_simulation (store))
    {
      /* Made up by parcelscreenctl simulate: a receiver must never take it
       * for a real report. */
      json_builder_set_member_name (builder, "simulation");
      json_builder_add_boolean_value (builder, TRUE);
    }

  json_builder_set_member_name (builder, "counter");
  json_builder_begin_object (builder);
  member_text (builder, "office", counter->office_code);
  member_text (builder, "counter", counter->counter_id);
  member_text (builder, "public_key", counter->public_key);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "audit_head");
  json_builder_begin_object (builder);
  member_int (builder, "seq", seq);
  member_text (builder, "hash", head);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "report");
  json_builder_begin_object (builder);
  member_int (builder, "id", detail->report_id);
  member_text (builder, "status", ps_report_status_to_id (detail->report_status));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "parcel");
  ps_parcel_detail_to_json (builder, detail);

  json_builder_set_member_name (builder, "event");
  const PsCustodyRecord *event = NULL;
  for (guint i = 0; i < detail->custody->len; i++)
    {
      const PsCustodyRecord *candidate = g_ptr_array_index (detail->custody, i);
      if (candidate->id == row->custody_event_id)
        event = candidate;
    }
  if (event != NULL)
    add_custody (builder, event);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "custody");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->custody->len; i++)
    add_custody (builder, g_ptr_array_index (detail->custody, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
