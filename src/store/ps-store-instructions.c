/* ps-store-instructions.c — the police's instructions as the counter keeps
 * them: each signed document, numbered without gaps, stored with its audit
 * entry in one transaction; what is carried out, acknowledged, refused. The
 * checks of a document (signature, numbering, counter) are the relay's
 * (ps-instructions.c); the rules of carrying out are the core's. */
#include "ps-store-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

void
ps_instruction_record_free (PsInstructionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->issued_by);
  g_free (record->cancels);
  g_free (record->summary);
  g_clear_pointer (&record->document, g_bytes_unref);
  g_free (record->signature);
  g_free (record->tracking);
  g_free (record);
}

void
ps_instruction_record_view (const PsInstructionRecord *record, PsInstructionView *view)
{
  view->id = record->id;
  view->kind = record->kind;
  view->report_id = record->report_id;
  view->state = record->state;
  view->until_us = record->until_us;
}

gint64
ps_store_instruction_last_seq (PsStore *store, GError **error)
{
  sqlite3_stmt *statement =
      ps_store_prepare (store, "SELECT coalesce (max (seq), 0) FROM instructions", error);
  if (statement == NULL)
    return -1;
  int rc = sqlite3_step (statement);
  gint64 seq = rc == SQLITE_ROW ? sqlite3_column_int64 (statement, 0) : -1;
  sqlite3_reset (statement);
  if (rc != SQLITE_ROW)
    ps_store_fail (store, rc, error);
  return seq;
}

#define INSTRUCTION_COLUMNS                                                                        \
  "SELECT i.seq, i.id, i.kind, i.report_id, i.issued_us, i.issued_by, i.due_us, i.until_us, "      \
  "i.cancels, i.summary, i.document, i.signature, i.received_us, i.acked_us, i.state, i.done_us, " \
  "p.tracking FROM instructions i LEFT JOIN reports r ON r.id = i.report_id "                      \
  "LEFT JOIN parcels p ON p.id = r.parcel_id "

static gpointer
read_record (sqlite3_stmt *statement)
{
  PsInstructionRecord *record = g_new0 (PsInstructionRecord, 1);
  record->seq = sqlite3_column_int64 (statement, 0);
  record->id = ps_store_column_dup (statement, 1);
  int kind = ps_instruction_kind_from_id (ps_store_column_text (statement, 2));
  record->kind = kind >= 0 ? (PsInstructionKind) kind : PS_INSTRUCTION_RECEIVED;
  record->report_id = sqlite3_column_int64 (statement, 3);
  record->issued_us = sqlite3_column_int64 (statement, 4);
  record->issued_by = ps_store_column_dup (statement, 5);
  record->due_us = sqlite3_column_int64 (statement, 6);
  record->until_us = sqlite3_column_int64 (statement, 7);
  record->cancels = ps_store_column_dup (statement, 8);
  record->summary = ps_store_column_dup (statement, 9);
  record->document = g_bytes_new (sqlite3_column_blob (statement, 10),
                                  (gsize) sqlite3_column_bytes (statement, 10));
  record->signature = ps_store_column_dup (statement, 11);
  record->received_us = sqlite3_column_int64 (statement, 12);
  record->acked_us = sqlite3_column_int64 (statement, 13);
  int state = ps_instruction_state_from_id (ps_store_column_text (statement, 14));
  record->state = state >= 0 ? (PsInstructionState) state : PS_INSTRUCTION_OPEN;
  record->done_us = sqlite3_column_int64 (statement, 15);
  record->tracking = ps_store_column_dup (statement, 16);
  return record;
}

PsInstructionRecord *
ps_store_get_instruction (PsStore *store, gint64 seq, GError **error)
{
  sqlite3_stmt *statement = ps_store_prepare (store, INSTRUCTION_COLUMNS "WHERE i.seq = ?", error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int64 (statement, 1, seq);
  int rc = sqlite3_step (statement);
  PsInstructionRecord *record = rc == SQLITE_ROW ? read_record (statement) : NULL;
  sqlite3_reset (statement);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ps_store_fail (store, rc, error);
  return record;
}

GPtrArray *
ps_store_list_instructions (PsStore *store, gint64 report_id, gboolean open_only, GError **error)
{
  /* Past their deadline first (an open referral never drops out of sight),
   * then by deadline, then in the police's order. */
  sqlite3_stmt *statement = ps_store_prepare (
      store,
      INSTRUCTION_COLUMNS "WHERE (?1 = 0 OR i.report_id = ?1) AND (?2 = 0 OR i.state = 'open') "
                          "ORDER BY (i.state = 'open' AND i.due_us IS NOT NULL AND i.due_us < ?3) "
                          "DESC, i.state = 'open' DESC, coalesce (i.due_us, 9e18), i.seq",
      error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int64 (statement, 1, report_id);
  sqlite3_bind_int (statement, 2, open_only);
  sqlite3_bind_int64 (statement, 3, g_get_real_time ());
  return ps_store_read_rows (store, statement, read_record,
                             (GDestroyNotify) ps_instruction_record_free, error);
}

gboolean
ps_store_count_open_instructions (PsStore *store, gint64 now_us, guint *open, guint *overdue,
                                  GError **error)
{
  g_return_val_if_fail (store != NULL && open != NULL && overdue != NULL, FALSE);
  sqlite3_stmt *statement =
      ps_store_prepare (store,
                        "SELECT count (*), coalesce (sum (due_us IS NOT NULL AND due_us < ?), 0) "
                        "FROM instructions WHERE state = 'open'",
                        error);
  if (statement == NULL)
    return FALSE;
  sqlite3_bind_int64 (statement, 1, now_us);
  int rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    {
      *open = (guint) sqlite3_column_int64 (statement, 0);
      *overdue = (guint) sqlite3_column_int64 (statement, 1);
    }
  sqlite3_reset (statement);
  if (rc != SQLITE_ROW)
    {
      ps_store_fail (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_in_transaction (PsStore *store, PsInstructionRecord *record, gint64 now_us, GError **error)
{
  record->state = ps_instruction_initial_state (record->kind);
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (record->document, &len);
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes, len);
  sqlite3_stmt *insert = ps_store_prepare (
      store,
      "INSERT INTO instructions (seq, id, kind, report_id, issued_us, issued_by, due_us, until_us, "
      "cancels, summary, document, sha256, signature, received_us, state, done_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, record->seq);
  ps_store_bind_text (insert, 2, record->id);
  ps_store_bind_text (insert, 3, ps_instruction_kind_to_id (record->kind));
  if (record->report_id > 0)
    sqlite3_bind_int64 (insert, 4, record->report_id);
  else
    sqlite3_bind_null (insert, 4);
  sqlite3_bind_int64 (insert, 5, record->issued_us);
  ps_store_bind_text (insert, 6, record->issued_by);
  if (record->due_us > 0)
    sqlite3_bind_int64 (insert, 7, record->due_us);
  else
    sqlite3_bind_null (insert, 7);
  if (record->until_us > 0)
    sqlite3_bind_int64 (insert, 8, record->until_us);
  else
    sqlite3_bind_null (insert, 8);
  ps_store_bind_text (insert, 9, record->cancels);
  ps_store_bind_text (insert, 10, record->summary);
  sqlite3_bind_blob (insert, 11, bytes, (int) len, SQLITE_TRANSIENT);
  ps_store_bind_text (insert, 12, sha256);
  ps_store_bind_text (insert, 13, record->signature);
  sqlite3_bind_int64 (insert, 14, now_us);
  ps_store_bind_text (insert, 15, ps_instruction_state_to_id (record->state));
  if (record->state == PS_INSTRUCTION_DONE)
    sqlite3_bind_int64 (insert, 16, now_us);
  else
    sqlite3_bind_null (insert, 16);
  if (!ps_store_step_done (store, insert, error))
    return FALSE;

  if (record->kind == PS_INSTRUCTION_CANCEL && record->cancels != NULL)
    {
      sqlite3_stmt *cancel = ps_store_prepare (
          store, "UPDATE instructions SET state = 'cancelled' WHERE id = ? AND state = 'open'",
          error);
      if (cancel == NULL)
        return FALSE;
      ps_store_bind_text (cancel, 1, record->cancels);
      if (!ps_store_step_done (store, cancel, error))
        return FALSE;
    }
  /* The trail keeps what identifies it, never its words. */
  g_autofree char *entity = g_strdup_printf ("instruction:%" G_GINT64_FORMAT, record->seq);
  g_autofree char *payload = ps_json_object (
      "id", 's', record->id, "kind", 's', ps_instruction_kind_to_id (record->kind), "report", 'i',
      record->report_id, "sha256", 's', sha256, "cancels", 's', record->cancels, NULL);
  return ps_store_audit_append_in_transaction (store, NULL, "instruction", entity, payload, now_us,
                                               error);
}

gboolean
ps_store_add_instruction (PsStore *store, PsInstructionRecord *record, gint64 now_us,
                          GError **error)
{
  g_return_val_if_fail (store != NULL && record != NULL && record->document != NULL, FALSE);
  if (!ps_store_begin (store, error))
    return FALSE;
  if (!add_in_transaction (store, record, now_us, error) || !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
update_one (PsStore *store, const char *sql, sqlite3_stmt **out, GError **error)
{
  *out = ps_store_prepare (store, sql, error);
  return *out != NULL;
}

gboolean
ps_store_instruction_acked (PsStore *store, gint64 seq, gint64 now_us, GError **error)
{
  sqlite3_stmt *statement;
  if (!update_one (store, "UPDATE instructions SET acked_us = ? WHERE seq = ? AND acked_us IS NULL",
                   &statement, error))
    return FALSE;
  sqlite3_bind_int64 (statement, 1, now_us);
  sqlite3_bind_int64 (statement, 2, seq);
  return ps_store_step_done (store, statement, error);
}

gboolean
ps_store_instruction_done (PsStore *store, const char *id, gint64 now_us, GError **error)
{
  sqlite3_stmt *statement;
  if (!update_one (store,
                   "UPDATE instructions SET state = 'done', done_us = ? WHERE id = ? AND "
                   "state = 'open'",
                   &statement, error))
    return FALSE;
  sqlite3_bind_int64 (statement, 1, now_us);
  ps_store_bind_text (statement, 2, id);
  return ps_store_step_done (store, statement, error);
}

gboolean
ps_store_record_instruction_refusal (PsStore *store, gint64 seq, const char *reason, gint64 now_us,
                                     GError **error)
{
  if (!ps_store_begin (store, error))
    return FALSE;
  sqlite3_stmt *insert = ps_store_prepare (
      store, "INSERT INTO instruction_refusals (time_us, seq, reason) VALUES (?, ?, ?)", error);
  gboolean ok = insert != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (insert, 1, now_us);
      if (seq > 0)
        sqlite3_bind_int64 (insert, 2, seq);
      else
        sqlite3_bind_null (insert, 2);
      ps_store_bind_text (insert, 3, reason);
      ok = ps_store_step_done (store, insert, error);
    }
  g_autofree char *payload = ps_json_object ("seq", 'i', seq, "reason", 's', reason, NULL);
  if (!ok ||
      !ps_store_audit_append_in_transaction (store, NULL, "instruction-refused", "instructions",
                                             payload, now_us, error) ||
      !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

GStrv
ps_store_instruction_refusals (PsStore *store, guint limit, GError **error)
{
  sqlite3_stmt *statement = ps_store_prepare (
      store, "SELECT reason FROM instruction_refusals ORDER BY id DESC LIMIT ?", error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int (statement, 1, (int) limit);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  int rc;
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_strv_builder_add (builder, ps_store_column_text (statement, 0));
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

void
ps_instruction_collector (const PsInstructionRecord *record, char **name, char **unit, char **badge)
{
  *name = *unit = *badge = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (record->document, &len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  JsonObject *doc = json_node_get_object (json_parser_get_root (parser));
  JsonNode *seize = json_object_get_member (doc, "seize");
  if (seize == NULL || !JSON_NODE_HOLDS_OBJECT (seize))
    return;
  JsonNode *collector = json_object_get_member (json_node_get_object (seize), "collector");
  if (collector == NULL || !JSON_NODE_HOLDS_OBJECT (collector))
    return;
  JsonObject *who = json_node_get_object (collector);
  *name = g_strdup (json_object_get_string_member_with_default (who, "name", NULL));
  *unit = g_strdup (json_object_get_string_member_with_default (who, "unit", NULL));
  *badge = g_strdup (json_object_get_string_member_with_default (who, "badge", NULL));
}

char *
ps_instruction_detail (const PsInstructionRecord *record, const char *member)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (record->document, &len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  JsonObject *doc = json_node_get_object (json_parser_get_root (parser));
  JsonNode *detail = json_object_get_member (doc, ps_instruction_kind_to_id (record->kind));
  if (detail == NULL || !JSON_NODE_HOLDS_OBJECT (detail))
    return NULL;
  return g_strdup (
      json_object_get_string_member_with_default (json_node_get_object (detail), member, NULL));
}
