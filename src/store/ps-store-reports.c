/* ps-store-reports.c — held parcels' reports, their custody events, and the
 * lists a supervisor reads.
 *
 * Nobody reviews a hold they made themselves: every custody action is a
 * supervisor's, and never the supervisor who held the parcel.
 */
#include "ps-store-private.h"

#include <string.h>

typedef struct
{
  char *note;
  char *officer_name;
  char *officer_unit;
  char *officer_badge;
} PsCustodyFields;

static void
custody_fields_clear (PsCustodyFields *fields)
{
  g_free (fields->note);
  g_free (fields->officer_name);
  g_free (fields->officer_unit);
  g_free (fields->officer_badge);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsCustodyFields, custody_fields_clear)

/* Checks what each kind of event needs: a note for an assessment or a
 * release, the officer for a hand-over. */
static gboolean
check_custody_fields (PsCustodyKind kind, const char *note, const PsOfficer *officer,
                      PsCustodyFields *fields, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean note_required = kind == PS_CUSTODY_ASSESSMENT || kind == PS_CUSTODY_RELEASE;

  fields->note = ps_text_check_field (
      note, kind == PS_CUSTODY_RELEASE ? _ ("The reason for the release") : _ ("The note"),
      note_required, PS_NOTE_MAX_CHARS, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (kind != PS_CUSTODY_HANDOVER)
    return TRUE;

  if (officer == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("Enter the police officer who receives the parcel."));
      return FALSE;
    }
  fields->officer_name =
      ps_text_check_field (officer->name, _ ("The officer's name"), TRUE, 100, error);
  if (fields->officer_name == NULL)
    return FALSE;
  fields->officer_unit =
      ps_text_check_field (officer->unit, _ ("The officer's unit"), TRUE, 200, error);
  if (fields->officer_unit == NULL)
    return FALSE;
  fields->officer_badge =
      ps_text_check_field (officer->badge, _ ("The officer's badge number"), TRUE, 40, error);
  if (fields->officer_badge == NULL)
    return FALSE;
  if (officer->time_us <= 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("Enter the time of the hand-over."));
      return FALSE;
    }
  return TRUE;
}

static gint64
add_custody_in_transaction (PsStore *store, const PsActor *actor, gint64 report_id,
                            PsCustodyKind kind, const PsCustodyFields *fields,
                            const PsOfficer *officer, const char *instruction_id,
                            const char *override_reason, gint64 now_us, GError **error)
{
  sqlite3_stmt *lookup = ps_store_prepare (
      store,
      "SELECT r.status, p.clerk_id FROM reports r JOIN parcels p ON p.id = r.parcel_id "
      "WHERE r.id = ?",
      error);
  if (lookup == NULL)
    return 0;
  sqlite3_bind_int64 (lookup, 1, report_id);
  if (!ps_store_step_row (store, lookup, error, _ ("There is no report %lld."),
                          (long long) report_id))
    return 0;
  PsReportStatus status = (PsReportStatus) ps_store_enum_value (
      PS_TYPE_REPORT_STATUS, ps_store_column_text (lookup, 0), PS_REPORT_OPEN);
  gint64 clerk_id = sqlite3_column_int64 (lookup, 1);
  sqlite3_reset (lookup);

  if (clerk_id == actor->user_id)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("You held this parcel yourself; another supervisor must review it."));
      return 0;
    }
  /* The core's rules, with the police's instructions for this report. */
  g_autoptr (GPtrArray) instructions = ps_store_list_instructions (store, report_id, FALSE, error);
  if (instructions == NULL)
    return 0;
  g_autofree PsInstructionView *views = g_new0 (PsInstructionView, instructions->len + 1);
  for (guint i = 0; i < instructions->len; i++)
    ps_instruction_record_view (instructions->pdata[i], &views[i]);
  PsReportStatus status_after;
  if (!ps_custody_check (status, kind, report_id, views, instructions->len, instruction_id,
                         override_reason, now_us, &status_after, error))
    return 0;
  if (instruction_id != NULL && *instruction_id == '\0')
    instruction_id = NULL;
  if (override_reason != NULL && *override_reason == '\0')
    override_reason = NULL;

  sqlite3_stmt *insert = ps_store_prepare (
      store,
      "INSERT INTO custody_events (report_id, time_us, actor_id, kind, note, officer_name, "
      "officer_unit, officer_badge, handover_us, instruction_id, override_reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_int64 (insert, 1, report_id);
  sqlite3_bind_int64 (insert, 2, now_us);
  sqlite3_bind_int64 (insert, 3, actor->user_id);
  ps_store_bind_text (insert, 4, ps_custody_kind_to_id (kind));
  ps_store_bind_text (insert, 5, fields->note);
  ps_store_bind_text (insert, 6, fields->officer_name);
  ps_store_bind_text (insert, 7, fields->officer_unit);
  ps_store_bind_text (insert, 8, fields->officer_badge);
  if (kind == PS_CUSTODY_HANDOVER)
    sqlite3_bind_int64 (insert, 9, officer->time_us);
  else
    sqlite3_bind_null (insert, 9);
  ps_store_bind_text (insert, 10, instruction_id);
  ps_store_bind_text (insert, 11, override_reason);
  if (!ps_store_step_done (store, insert, error))
    return 0;
  gint64 event_id = sqlite3_last_insert_rowid (store->db);
  if (instruction_id != NULL && !ps_store_instruction_done (store, instruction_id, now_us, error))
    return 0;

  sqlite3_stmt *update =
      ps_store_prepare (store,
                        "UPDATE reports SET status = ?, status_changed_us = ?, "
                        "closed_us = CASE WHEN ? = 'closed' THEN ? ELSE closed_us END WHERE id = ?",
                        error);
  if (update == NULL)
    return 0;
  ps_store_bind_text (update, 1, ps_report_status_to_id (status_after));
  sqlite3_bind_int64 (update, 2, now_us);
  ps_store_bind_text (update, 3, ps_report_status_to_id (status_after));
  sqlite3_bind_int64 (update, 4, now_us);
  sqlite3_bind_int64 (update, 5, report_id);
  if (!ps_store_step_done (store, update, error))
    return 0;

  sqlite3_stmt *outbox = ps_store_prepare (
      store,
      "INSERT INTO outbox (idempotency_key, kind, report_id, custody_event_id, created_us, "
      "next_attempt_us) VALUES (?, ?, ?, ?, ?, ?)",
      error);
  if (outbox == NULL)
    return 0;
  g_autofree char *key = g_uuid_string_random ();
  ps_store_bind_text (outbox, 1, key);
  ps_store_bind_text (outbox, 2, kind == PS_CUSTODY_CLOSE ? "closure" : "custody");
  sqlite3_bind_int64 (outbox, 3, report_id);
  sqlite3_bind_int64 (outbox, 4, event_id);
  sqlite3_bind_int64 (outbox, 5, now_us);
  sqlite3_bind_int64 (outbox, 6, now_us);
  if (!ps_store_step_done (store, outbox, error))
    return 0;
  ps_store_cover (store, "reports", report_id);
  ps_store_cover (store, "outbox", sqlite3_last_insert_rowid (store->db));

  g_autofree char *digest = ps_store_custody_digest (store, event_id, error);
  if (digest == NULL)
    return 0;
  g_autofree char *entity = g_strdup_printf ("report:%" G_GINT64_FORMAT, report_id);
  g_autofree char *payload =
      ps_json_object ("report", 'i', report_id, "event", 'i', event_id, "kind", 's',
                      ps_custody_kind_to_id (kind), "digest", 's', digest, "instruction", 's',
                      instruction_id, "override", 'b', override_reason != NULL, NULL);
  if (!ps_store_audit_append_in_transaction (store, actor, "custody", entity, payload, now_us,
                                             error))
    return 0;
  return event_id;
}

gint64
ps_store_add_custody_event (PsStore *store, const PsActor *actor, gint64 report_id,
                            PsCustodyKind kind, const char *note, const PsOfficer *officer,
                            const char *instruction_id, const char *override_reason, gint64 now_us,
                            GError **error)
{
  g_return_val_if_fail (store != NULL, 0);

  if (actor == NULL || actor->role != PS_ROLE_SUPERVISOR)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Only a supervisor records what happens to a held parcel."));
      return 0;
    }
  if (kind == PS_CUSTODY_CREATED || kind > PS_CUSTODY_CLOSE)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("A report is created by holding a parcel, not by hand."));
      return 0;
    }

  g_auto (PsCustodyFields) fields = { 0 };
  if (!check_custody_fields (kind, note, officer, &fields, error))
    return 0;

  if (!ps_store_begin (store, error))
    return 0;
  gint64 event_id = add_custody_in_transaction (store, actor, report_id, kind, &fields, officer,
                                                instruction_id, override_reason, now_us, error);
  if (event_id == 0 || !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return 0;
    }
  return event_id;
}

void
ps_report_summary_free (PsReportSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->tracking);
  g_free (summary->clerk_login);
  g_free (summary->hold_reasons);
  g_free (summary);
}

void
ps_parcel_summary_free (PsParcelSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->tracking);
  g_free (summary->clerk_login);
  g_free (summary);
}

#define REPORT_SUMMARY_COLUMNS                                                                     \
  "SELECT r.id, r.parcel_id, p.tracking, r.status, r.created_us, u.login, p.hold_reasons, "        \
  "p.risk_score, (SELECT count(*) FROM outbox o WHERE o.report_id = r.id AND o.state != 'sent') "  \
  "FROM reports r JOIN parcels p ON p.id = r.parcel_id JOIN users u ON u.id = p.clerk_id "

GPtrArray *
ps_store_list_reports (PsStore *store, int status, guint limit, guint offset, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (status >= PS_REPORTS_ALL && status <= PS_REPORT_CLOSED, NULL);

  /* Not closed: the partial index reports_open_by_time gives them in order. */
  const char *sql = status >= 0 ? REPORT_SUMMARY_COLUMNS
                        "WHERE r.status = ?3 ORDER BY r.created_us DESC LIMIT ?1 OFFSET ?2"
                    : status == PS_REPORTS_NOT_CLOSED ? REPORT_SUMMARY_COLUMNS
                        "WHERE r.status != 'closed' ORDER BY r.created_us DESC LIMIT ?1 OFFSET ?2"
                                                      : REPORT_SUMMARY_COLUMNS
                        "ORDER BY r.created_us DESC LIMIT ?1 OFFSET ?2";
  sqlite3_stmt *statement = ps_store_prepare (store, sql, error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int (statement, 1, (int) limit);
  sqlite3_bind_int (statement, 2, (int) offset);
  if (status >= 0)
    ps_store_bind_text (statement, 3, ps_report_status_to_id (status));

  g_autoptr (GPtrArray) reports =
      g_ptr_array_new_with_free_func ((GDestroyNotify) ps_report_summary_free);
  int rc;
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PsReportSummary *summary = g_new0 (PsReportSummary, 1);
      summary->report_id = sqlite3_column_int64 (statement, 0);
      summary->parcel_id = sqlite3_column_int64 (statement, 1);
      summary->tracking = ps_store_column_dup (statement, 2);
      summary->status = (PsReportStatus) ps_store_enum_value (
          PS_TYPE_REPORT_STATUS, ps_store_column_text (statement, 3), PS_REPORT_OPEN);
      summary->created_us = sqlite3_column_int64 (statement, 4);
      summary->clerk_login = ps_store_column_dup (statement, 5);
      summary->hold_reasons = ps_store_column_dup (statement, 6);
      summary->risk_score = (guint) sqlite3_column_int (statement, 7);
      summary->outbox_pending = (guint) sqlite3_column_int (statement, 8);
      g_ptr_array_add (reports, summary);
    }
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&reports);
}

#define PARCEL_SUMMARY_COLUMNS                                                                     \
  "SELECT p.id, p.tracking, p.decision, p.decided_us, u.login, p.weight_mg, p.risk_score, "        \
  "(SELECT r.id FROM reports r WHERE r.parcel_id = p.id) "                                         \
  "FROM parcels p JOIN users u ON u.id = p.clerk_id "

static GPtrArray *
list_parcels (PsStore *store, sqlite3_stmt *statement, GError **error)
{
  g_autoptr (GPtrArray) parcels =
      g_ptr_array_new_with_free_func ((GDestroyNotify) ps_parcel_summary_free);
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PsParcelSummary *summary = g_new0 (PsParcelSummary, 1);
      const char *decision = ps_store_column_text (statement, 2);
      summary->parcel_id = sqlite3_column_int64 (statement, 0);
      summary->tracking = ps_store_column_dup (statement, 1);
      summary->decision = g_strcmp0 (decision, "accepted") == 0  ? PS_DECISION_ACCEPTED
                          : g_strcmp0 (decision, "held") == 0    ? PS_DECISION_HELD
                          : g_strcmp0 (decision, "refused") == 0 ? PS_DECISION_REFUSED
                                                                 : PS_DECISION_NONE;
      summary->decided_us = sqlite3_column_int64 (statement, 3);
      summary->clerk_login = ps_store_column_dup (statement, 4);
      summary->weight_mg = sqlite3_column_int64 (statement, 5);
      summary->risk_score = (guint) sqlite3_column_int (statement, 6);
      summary->report_id = sqlite3_column_int64 (statement, 7);
      g_ptr_array_add (parcels, summary);
    }
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&parcels);
}

GPtrArray *
ps_store_find_parcels (PsStore *store, const char *tracking, GError **error)
{
  g_return_val_if_fail (store != NULL && tracking != NULL, NULL);

  sqlite3_stmt *statement = ps_store_prepare (
      store, PARCEL_SUMMARY_COLUMNS "WHERE p.tracking = ? ORDER BY p.decided_us", error);
  if (statement == NULL)
    return NULL;
  ps_store_bind_text (statement, 1, tracking);
  return list_parcels (store, statement, error);
}

GPtrArray *
ps_store_list_day (PsStore *store, const char *day, guint limit, guint offset, GError **error)
{
  g_return_val_if_fail (store != NULL && day != NULL, NULL);

  sqlite3_stmt *statement = ps_store_prepare (
      store,
      PARCEL_SUMMARY_COLUMNS "WHERE p.decided_day = ? ORDER BY p.decided_us LIMIT ? OFFSET ?",
      error);
  if (statement == NULL)
    return NULL;
  ps_store_bind_text (statement, 1, day);
  sqlite3_bind_int (statement, 2, (int) limit);
  sqlite3_bind_int (statement, 3, (int) offset);
  return list_parcels (store, statement, error);
}
