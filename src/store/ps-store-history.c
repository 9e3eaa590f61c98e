/* ps-store-history.c — a parcel in full for the supervisor and the history;
 * corrections as new linked entries; the outbox summary; the training mark. */
#include "ps-store-private.h"

#include <string.h>

static void
answer_record_free (PsAnswerRecord *answer)
{
  g_free (answer->item_id);
  g_free (answer->text_vi);
  g_free (answer->text_en);
  g_free (answer);
}

static void
custody_record_free (PsCustodyRecord *event)
{
  g_free (event->actor_login);
  g_free (event->note);
  g_free (event->officer_name);
  g_free (event->officer_unit);
  g_free (event->officer_badge);
  g_free (event->instruction_id);
  g_free (event->override_reason);
  g_free (event);
}

static void
correction_record_free (PsCorrectionRecord *correction)
{
  g_free (correction->actor_login);
  g_free (correction->note);
  g_free (correction);
}

void
ps_parcel_detail_free (PsParcelDetail *detail)
{
  if (detail == NULL)
    return;
  char **strings[] = {
    &detail->tracking,
    &detail->clerk_login,
    &detail->clerk_name,
    &detail->override_login,
    &detail->sender_source,
    &detail->sender_id,
    &detail->sender_name,
    &detail->sender_address,
    &detail->sender_phone,
    &detail->recipient_name,
    &detail->recipient_address,
    &detail->recipient_phone,
    &detail->destination_country,
    &detail->weight_source,
    &detail->manual_weight_reason,
    &detail->manual_weight_note,
    &detail->category,
    &detail->description,
    &detail->refuse_reason,
    &detail->hold_reasons,
    &detail->decision_note,
  };
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_free (*strings[i]);
  g_clear_pointer (&detail->answers, g_ptr_array_unref);
  g_clear_pointer (&detail->hits, g_ptr_array_unref);
  g_clear_pointer (&detail->custody, g_ptr_array_unref);
  g_clear_pointer (&detail->corrections, g_ptr_array_unref);
  g_clear_pointer (&detail->instructions, g_ptr_array_unref);
  g_free (detail);
}

static gboolean
load_children (PsStore *store, PsParcelDetail *detail, GError **error)
{
  int rc;
  sqlite3_stmt *answers = ps_store_prepare (
      store,
      "SELECT item_id, text_vi, text_en, passes, answer, answered_us FROM inspection_answers "
      "WHERE parcel_id = ? ORDER BY position",
      error);
  if (answers == NULL)
    return FALSE;
  sqlite3_bind_int64 (answers, 1, detail->parcel_id);
  while ((rc = sqlite3_step (answers)) == SQLITE_ROW)
    {
      PsAnswerRecord *answer = g_new0 (PsAnswerRecord, 1);
      answer->item_id = ps_store_column_dup (answers, 0);
      answer->text_vi = ps_store_column_dup (answers, 1);
      answer->text_en = ps_store_column_dup (answers, 2);
      answer->passes = (PsAnswer) ps_store_enum_value (
          PS_TYPE_ANSWER, ps_store_column_text (answers, 3), PS_ANSWER_NONE);
      answer->answer = (PsAnswer) ps_store_enum_value (
          PS_TYPE_ANSWER, ps_store_column_text (answers, 4), PS_ANSWER_NONE);
      answer->answered_us = sqlite3_column_int64 (answers, 5);
      g_ptr_array_add (detail->answers, answer);
    }
  sqlite3_reset (answers);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);

  sqlite3_stmt *hits = ps_store_prepare (
      store,
      "SELECT rule_id, score, reason_vi, reason_en FROM risk_hits WHERE parcel_id = ? "
      "ORDER BY position",
      error);
  if (hits == NULL)
    return FALSE;
  sqlite3_bind_int64 (hits, 1, detail->parcel_id);
  while ((rc = sqlite3_step (hits)) == SQLITE_ROW)
    {
      PsRiskHit *hit = g_new0 (PsRiskHit, 1);
      hit->rule_id = ps_store_column_dup (hits, 0);
      hit->score = (guint) sqlite3_column_int (hits, 1);
      hit->reason_vi = ps_store_column_dup (hits, 2);
      hit->reason_en = ps_store_column_dup (hits, 3);
      g_ptr_array_add (detail->hits, hit);
    }
  sqlite3_reset (hits);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);

  sqlite3_stmt *custody = ps_store_prepare (
      store,
      "SELECT c.id, c.time_us, u.login, c.kind, c.note, c.officer_name, c.officer_unit, "
      "c.officer_badge, c.handover_us, c.instruction_id, c.override_reason "
      "FROM custody_events c JOIN users u ON u.id = c.actor_id "
      "WHERE c.report_id = ? ORDER BY c.time_us, c.id",
      error);
  if (custody == NULL)
    return FALSE;
  sqlite3_bind_int64 (custody, 1, detail->report_id);
  while ((rc = sqlite3_step (custody)) == SQLITE_ROW)
    {
      PsCustodyRecord *event = g_new0 (PsCustodyRecord, 1);
      event->id = sqlite3_column_int64 (custody, 0);
      event->time_us = sqlite3_column_int64 (custody, 1);
      event->actor_login = ps_store_column_dup (custody, 2);
      event->kind = (PsCustodyKind) ps_store_enum_value (
          PS_TYPE_CUSTODY_KIND, ps_store_column_text (custody, 3), PS_CUSTODY_CREATED);
      event->note = ps_store_column_dup (custody, 4);
      event->officer_name = ps_store_column_dup (custody, 5);
      event->officer_unit = ps_store_column_dup (custody, 6);
      event->officer_badge = ps_store_column_dup (custody, 7);
      event->handover_us = sqlite3_column_int64 (custody, 8);
      event->instruction_id = ps_store_column_dup (custody, 9);
      event->override_reason = ps_store_column_dup (custody, 10);
      g_ptr_array_add (detail->custody, event);
    }
  sqlite3_reset (custody);
  if (rc != SQLITE_DONE)
    return ps_store_fail (store, rc, error);

  sqlite3_stmt *corrections = ps_store_prepare (
      store,
      "SELECT c.id, c.time_us, u.login, c.note FROM corrections c JOIN users u ON u.id = "
      "c.actor_id WHERE c.parcel_id = ? ORDER BY c.time_us, c.id",
      error);
  if (corrections == NULL)
    return FALSE;
  sqlite3_bind_int64 (corrections, 1, detail->parcel_id);
  while ((rc = sqlite3_step (corrections)) == SQLITE_ROW)
    {
      PsCorrectionRecord *correction = g_new0 (PsCorrectionRecord, 1);
      correction->id = sqlite3_column_int64 (corrections, 0);
      correction->time_us = sqlite3_column_int64 (corrections, 1);
      correction->actor_login = ps_store_column_dup (corrections, 2);
      correction->note = ps_store_column_dup (corrections, 3);
      g_ptr_array_add (detail->corrections, correction);
    }
  sqlite3_reset (corrections);
  return rc == SQLITE_DONE || ps_store_fail (store, rc, error);
}

PsParcelDetail *
ps_store_get_parcel (PsStore *store, gint64 parcel_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  sqlite3_stmt *statement = ps_store_prepare (
      store,
      "SELECT p.id, p.tracking, p.decision, p.started_us, p.decided_us, p.clerk_id, u.login, "
      "u.full_name, o.login, p.sender_source, p.sender_id, p.sender_name, p.sender_address, "
      "p.sender_phone, p.recipient_name, p.recipient_address, p.recipient_phone, "
      "p.destination_country, p.weight_mg, p.weight_source, p.manual_weight_reason, "
      "p.manual_weight_note, p.category, p.description, p.quantity, p.value_vnd, "
      "p.refuse_reason, p.hold_reasons, p.decision_note, p.risk_score, p.risk_threshold, "
      "p.personal_data_purged_us, r.id, r.status, "
      "(SELECT count(*) FROM outbox x WHERE x.report_id = r.id AND x.state != 'sent') "
      "FROM parcels p JOIN users u ON u.id = p.clerk_id LEFT JOIN users o ON o.id = "
      "p.override_by LEFT JOIN reports r ON r.parcel_id = p.id WHERE p.id = ?",
      error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int64 (statement, 1, parcel_id);
  if (!ps_store_step_row (store, statement, error, _ ("There is no parcel %lld."),
                          (long long) parcel_id))
    return NULL;

  g_autoptr (PsParcelDetail) detail = g_new0 (PsParcelDetail, 1);
  int c = 0;
  detail->parcel_id = sqlite3_column_int64 (statement, c++);
  detail->tracking = ps_store_column_dup (statement, c++);
  detail->decision = (PsDecision) ps_store_enum_value (
      PS_TYPE_DECISION, ps_store_column_text (statement, c++), PS_DECISION_NONE);
  detail->started_us = sqlite3_column_int64 (statement, c++);
  detail->decided_us = sqlite3_column_int64 (statement, c++);
  detail->clerk_id = sqlite3_column_int64 (statement, c++);
  detail->clerk_login = ps_store_column_dup (statement, c++);
  detail->clerk_name = ps_store_column_dup (statement, c++);
  detail->override_login = ps_store_column_dup (statement, c++);
  detail->sender_source = ps_store_column_dup (statement, c++);
  detail->sender_id = ps_store_column_dup (statement, c++);
  detail->sender_name = ps_store_column_dup (statement, c++);
  detail->sender_address = ps_store_column_dup (statement, c++);
  detail->sender_phone = ps_store_column_dup (statement, c++);
  detail->recipient_name = ps_store_column_dup (statement, c++);
  detail->recipient_address = ps_store_column_dup (statement, c++);
  detail->recipient_phone = ps_store_column_dup (statement, c++);
  detail->destination_country = ps_store_column_dup (statement, c++);
  detail->has_weight = sqlite3_column_type (statement, c) != SQLITE_NULL;
  detail->weight_mg = sqlite3_column_int64 (statement, c++);
  detail->weight_source = ps_store_column_dup (statement, c++);
  detail->manual_weight_reason = ps_store_column_dup (statement, c++);
  detail->manual_weight_note = ps_store_column_dup (statement, c++);
  detail->category = ps_store_column_dup (statement, c++);
  detail->description = ps_store_column_dup (statement, c++);
  detail->quantity = (guint) sqlite3_column_int (statement, c++);
  detail->value_vnd = sqlite3_column_int64 (statement, c++);
  detail->refuse_reason = ps_store_column_dup (statement, c++);
  detail->hold_reasons = ps_store_column_dup (statement, c++);
  detail->decision_note = ps_store_column_dup (statement, c++);
  detail->risk_score = (guint) sqlite3_column_int (statement, c++);
  detail->risk_threshold = (guint) sqlite3_column_int (statement, c++);
  detail->purged = sqlite3_column_type (statement, c++) != SQLITE_NULL;
  detail->report_id = sqlite3_column_int64 (statement, c++);
  detail->report_status = (PsReportStatus) ps_store_enum_value (
      PS_TYPE_REPORT_STATUS, ps_store_column_text (statement, c++), PS_REPORT_OPEN);
  detail->outbox_pending = (guint) sqlite3_column_int (statement, c++);
  sqlite3_reset (statement);

  detail->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) answer_record_free);
  detail->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_risk_hit_free);
  detail->custody = g_ptr_array_new_with_free_func ((GDestroyNotify) custody_record_free);
  detail->corrections = g_ptr_array_new_with_free_func ((GDestroyNotify) correction_record_free);
  if (!load_children (store, detail, error))
    return NULL;
  detail->instructions =
      detail->report_id > 0
          ? ps_store_list_instructions (store, detail->report_id, FALSE, error)
          : g_ptr_array_new_with_free_func ((GDestroyNotify) ps_instruction_record_free);
  if (detail->instructions == NULL)
    return NULL;
  return g_steal_pointer (&detail);
}

gint64
ps_store_report_parcel (PsStore *store, gint64 report_id, GError **error)
{
  g_return_val_if_fail (store != NULL, 0);

  sqlite3_stmt *statement =
      ps_store_prepare (store, "SELECT parcel_id FROM reports WHERE id = ?", error);
  if (statement == NULL)
    return 0;
  sqlite3_bind_int64 (statement, 1, report_id);
  if (!ps_store_step_row (store, statement, error, _ ("There is no report %lld."),
                          (long long) report_id))
    return 0;
  gint64 parcel_id = sqlite3_column_int64 (statement, 0);
  sqlite3_reset (statement);
  return parcel_id;
}

char *
ps_store_correction_digest (PsStore *store, gint64 correction_id, GError **error)
{
  gboolean found;
  char *digest = ps_store_row_digest (
      store, "SELECT parcel_id, time_us, actor_id, note FROM corrections WHERE id = ?",
      correction_id, NULL, "ps-correction-v1", 4, &found, error);
  if (!found && (error == NULL || *error == NULL))
    g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND, _ ("There is no correction %lld."),
                 (long long) correction_id);
  return digest;
}

static gint64
add_correction_in_transaction (PsStore *store, const PsActor *actor, gint64 parcel_id,
                               const char *note, gint64 now_us, GError **error)
{
  sqlite3_stmt *insert =
      ps_store_prepare (store,
                        "INSERT INTO corrections (parcel_id, time_us, actor_id, note) "
                        "SELECT id, ?, ?, ? FROM parcels WHERE id = ?",
                        error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_int64 (insert, 1, now_us);
  sqlite3_bind_int64 (insert, 2, actor->user_id);
  ps_store_bind_text (insert, 3, note);
  sqlite3_bind_int64 (insert, 4, parcel_id);
  if (!ps_store_step_done (store, insert, error))
    return 0;
  if (sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND, _ ("There is no parcel %lld."),
                   (long long) parcel_id);
      return 0;
    }
  gint64 id = sqlite3_last_insert_rowid (store->db);

  g_autofree char *digest = ps_store_correction_digest (store, id, error);
  if (digest == NULL)
    return 0;
  g_autofree char *entity = g_strdup_printf ("parcel:%lld", (long long) parcel_id);
  g_autofree char *payload =
      ps_json_object ("parcel", 'i', parcel_id, "correction", 'i', id, "digest", 's', digest, NULL);
  if (!ps_store_audit_append_in_transaction (store, actor, "correction", entity, payload, now_us,
                                             error))
    return 0;
  return id;
}

gint64
ps_store_add_correction (PsStore *store, const PsActor *actor, gint64 parcel_id, const char *note,
                         gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL, 0);

  if (actor == NULL || actor->role == PS_ROLE_SYSTEM)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("A correction is made by a user of the counter."));
      return 0;
    }
  g_autofree char *checked =
      ps_text_check_field (note, _ ("The correction"), TRUE, PS_NOTE_MAX_CHARS, error);
  if (checked == NULL)
    return 0;

  if (!ps_store_begin (store, error))
    return 0;
  gint64 id = add_correction_in_transaction (store, actor, parcel_id, checked, now_us, error);
  if (id == 0 || !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return 0;
    }
  return id;
}

gboolean
ps_store_outbox_summary (PsStore *store, gint64 *pending, gint64 *oldest_us, GError **error)
{
  g_return_val_if_fail (store != NULL && pending != NULL && oldest_us != NULL, FALSE);

  sqlite3_stmt *statement = ps_store_prepare (
      store, "SELECT count(*), coalesce(min(created_us), 0) FROM outbox WHERE state != 'sent'",
      error);
  if (statement == NULL)
    return FALSE;
  int rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    {
      *pending = sqlite3_column_int64 (statement, 0);
      *oldest_us = sqlite3_column_int64 (statement, 1);
    }
  sqlite3_reset (statement);
  return rc == SQLITE_ROW || ps_store_fail (store, rc, error);
}

/* Whether the meta flag @key is "yes". */
static gboolean
meta_flag (PsStore *store, const char *key)
{
  sqlite3_stmt *statement = ps_store_prepare (store, "SELECT value FROM meta WHERE key = ?", NULL);
  if (statement == NULL)
    return FALSE;
  ps_store_bind_text (statement, 1, key);
  gboolean set = sqlite3_step (statement) == SQLITE_ROW &&
                 g_strcmp0 (ps_store_column_text (statement, 0), "yes") == 0;
  sqlite3_reset (statement);
  return set;
}

/* Sets the meta flag @key on a database that holds nothing of @counted
 * (a SELECT count(*)), with its audit entry; @refusal otherwise. */
static gboolean
mark_flag (PsStore *store, const char *key, const char *counted, const char *refusal,
           GError **error)
{
  if (meta_flag (store, key))
    return TRUE;
  if (!ps_store_begin (store, error))
    return FALSE;
  sqlite3_stmt *count = ps_store_prepare (store, counted, error);
  gboolean ok = count != NULL;
  if (ok)
    {
      ok = sqlite3_step (count) == SQLITE_ROW;
      gint64 rows = ok ? sqlite3_column_int64 (count, 0) : 0;
      sqlite3_reset (count);
      if (ok && rows > 0)
        {
          g_set_error_literal (error, PS_ERROR, PS_ERROR_NOT_ALLOWED, refusal);
          ok = FALSE;
        }
    }
  sqlite3_stmt *insert =
      ok ? ps_store_prepare (store, "INSERT INTO meta (key, value) VALUES (?, 'yes')", error)
         : NULL;
  if (insert != NULL)
    ps_store_bind_text (insert, 1, key);
  ps_store_cover_key (store, "meta", key);
  ok = ok && insert != NULL && ps_store_step_done (store, insert, error) &&
       ps_store_audit_append_in_transaction (store, NULL, key, "database", "{}", g_get_real_time (),
                                             error) &&
       ps_store_commit (store, error);
  if (!ok)
    ps_store_rollback (store);
  return ok;
}

gboolean
ps_store_is_training (PsStore *store)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return meta_flag (store, "training");
}

gboolean
ps_store_mark_training (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return mark_flag (store, "training", "SELECT count(*) FROM parcels",
                    _ ("A database that holds real decisions cannot become a training database."),
                    error);
}

gboolean
ps_store_is_simulation (PsStore *store)
{
  g_return_val_if_fail (store != NULL, FALSE);
  /* Asked for every forwarded document: once a connection knows, it keeps
   * the answer (a database is marked before it holds anything, never after). */
  if (store->simulation < 0)
    store->simulation = meta_flag (store, "simulation") ? 1 : 0;
  return store->simulation == 1;
}

gboolean
ps_store_mark_simulation (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  store->simulation = -1;
  return mark_flag (store, "simulation",
                    "SELECT (SELECT count(*) FROM parcels) + (SELECT count(*) FROM users)",
                    _ ("This is a counter's database, not a simulation's: the simulator needs a "
                       "new database or one it made (give another --db)."),
                    error);
}

gboolean
ps_store_record_export (PsStore *store, const char *day, const char *directory,
                        const char *manifest_sha256, gint64 head_seq, const char *head_hash,
                        guint n_reports, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && day != NULL && directory != NULL, FALSE);
  g_return_val_if_fail (manifest_sha256 != NULL && head_hash != NULL, FALSE);

  sqlite3_stmt *insert = ps_store_prepare (
      store,
      "INSERT INTO exports (day, created_us, directory, manifest_sha256, audit_head, n_reports) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      error);
  if (insert == NULL)
    return FALSE;
  g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", head_seq, head_hash);
  ps_store_bind_text (insert, 1, day);
  sqlite3_bind_int64 (insert, 2, now_us);
  ps_store_bind_text (insert, 3, directory);
  ps_store_bind_text (insert, 4, manifest_sha256);
  ps_store_bind_text (insert, 5, head);
  sqlite3_bind_int64 (insert, 6, n_reports);
  if (!ps_store_begin (store, error))
    return FALSE;
  if (!ps_store_step_done (store, insert, error))
    {
      ps_store_rollback (store);
      return FALSE;
    }
  return ps_store_commit (store, error);
}
