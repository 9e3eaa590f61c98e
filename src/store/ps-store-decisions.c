/* ps-store-decisions.c — recording a decision in one transaction, and the
 * parcel digest.
 *
 * A parcel is handled as a row of text values (integers in decimal), in the
 * fixed column order below: the same row is bound into the INSERT and read
 * back for verification, so its digest is computed the same way both times.
 */
#include "ps-store-private.h"

#include <string.h>

enum
{
  COL_TRACKING,
  COL_TRACKING_KIND,
  COL_SYMBOLOGY,
  COL_CLERK_ID,
  COL_SHIFT_ID,
  COL_OVERRIDE_BY,
  COL_STARTED_US,
  COL_DECIDED_US,
  COL_DECIDED_DAY,
  COL_DECISION,
  COL_DESTINATION_COUNTRY,
  COL_WEIGHT_MG,
  COL_WEIGHT_SOURCE,
  COL_MANUAL_WEIGHT_REASON,
  COL_MANUAL_WEIGHT_NOTE,
  COL_CATEGORY,
  COL_DESCRIPTION,
  COL_QUANTITY,
  COL_VALUE_VND,
  COL_REFUSE_REASON,
  COL_HOLD_REASONS,
  COL_DECISION_NOTE,
  COL_RISK_SCORE,
  COL_RISK_THRESHOLD,
  COL_CHECKLIST_DIGEST,
  /* Personal data: erased by the retention purge. */
  COL_SENDER_SOURCE,
  COL_SENDER_ID,
  COL_SENDER_OLD_ID,
  COL_SENDER_NAME,
  COL_SENDER_ADDRESS,
  COL_SENDER_PHONE,
  COL_SENDER_BIRTH_DATE,
  COL_SENDER_SEX,
  COL_RECIPIENT_NAME,
  COL_RECIPIENT_ADDRESS,
  COL_RECIPIENT_PHONE,
  N_COLUMNS,
  FIRST_PERSONAL = COL_SENDER_SOURCE,
};

static const char *const column_names[N_COLUMNS + 1] = {
  "tracking",
  "tracking_kind",
  "symbology",
  "clerk_id",
  "shift_id",
  "override_by",
  "started_us",
  "decided_us",
  "decided_day",
  "decision",
  "destination_country",
  "weight_mg",
  "weight_source",
  "manual_weight_reason",
  "manual_weight_note",
  "category",
  "description",
  "quantity",
  "value_vnd",
  "refuse_reason",
  "hold_reasons",
  "decision_note",
  "risk_score",
  "risk_threshold",
  "checklist_digest",
  "sender_source",
  "sender_id",
  "sender_old_id",
  "sender_name",
  "sender_address",
  "sender_phone",
  "sender_birth_date",
  "sender_sex",
  "recipient_name",
  "recipient_address",
  "recipient_phone",
  NULL,
};

#define N_ANSWER_FIELDS 6 /* item_id, text_vi, text_en, passes, answer, answered_us */
#define N_HIT_FIELDS    4 /* rule_id, score, reason_vi, reason_en */
#define N_EVENT_FIELDS  3 /* time_us, kind, summary */

typedef struct
{
  char *values[N_COLUMNS];
  GPtrArray *answers; /* GStrv of N_ANSWER_FIELDS (entries may be NULL: not a GStrv then) */
  GPtrArray *hits;
  GPtrArray *events;
  char *personal_digest;
  gboolean purged;
} PsParcelRow;

static void
free_fields (gpointer fields)
{
  char **values = fields;
  /* Fixed-size arrays whose entries may be NULL. */
  for (guint i = 0; i < N_ANSWER_FIELDS; i++)
    g_free (values[i]);
  g_free (values);
}

static char **
new_fields (void)
{
  return g_new0 (char *, N_ANSWER_FIELDS);
}

static void
parcel_row_init (PsParcelRow *row)
{
  memset (row, 0, sizeof *row);
  row->answers = g_ptr_array_new_with_free_func (free_fields);
  row->hits = g_ptr_array_new_with_free_func (free_fields);
  row->events = g_ptr_array_new_with_free_func (free_fields);
}

static void
parcel_row_clear (PsParcelRow *row)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (row->values[i]);
  g_ptr_array_unref (row->answers);
  g_ptr_array_unref (row->hits);
  g_ptr_array_unref (row->events);
  g_free (row->personal_digest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsParcelRow, parcel_row_clear)

static char *
int_text (gint64 value)
{
  char text[PS_STORE_INT_CHARS];
  gsize length = ps_store_format_int (text, value);
  return g_strndup (text, length);
}

static char *
compute_personal_digest (const PsParcelRow *row)
{
  PsDigest *digest = ps_digest_new ("ps-personal-v1");
  for (guint i = FIRST_PERSONAL; i < N_COLUMNS; i++)
    ps_digest_add_text (digest, row->values[i]);
  return ps_digest_finish (digest);
}

static void
add_fields (PsDigest *digest, GPtrArray *rows, guint n_fields)
{
  ps_digest_add_int (digest, rows->len);
  for (guint r = 0; r < rows->len; r++)
    {
      char **fields = g_ptr_array_index (rows, r);
      for (guint f = 0; f < n_fields; f++)
        ps_digest_add_text (digest, fields[f]);
    }
}

static char *
compute_decision_digest (const PsParcelRow *row)
{
  PsDigest *digest = ps_digest_new ("ps-parcel-v1");
  for (guint i = 0; i < FIRST_PERSONAL; i++)
    ps_digest_add_text (digest, row->values[i]);
  ps_digest_add_text (digest, row->personal_digest);
  add_fields (digest, row->answers, N_ANSWER_FIELDS);
  add_fields (digest, row->hits, N_HIT_FIELDS);
  add_fields (digest, row->events, N_EVENT_FIELDS);
  return ps_digest_finish (digest);
}

/* Fills @row from a decided acceptance. */
static void
parcel_row_fill (PsParcelRow *row, PsAcceptance *acceptance, const PsSession *session)
{
  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  PsChecklist *checklist = ps_acceptance_get_checklist (acceptance);
  char **v = row->values;

  v[COL_TRACKING] = g_strdup (record->tracking->code);
  v[COL_TRACKING_KIND] =
      g_strdup (record->tracking->kind == PS_TRACKING_KIND_S10 ? "s10" : "operator");
  v[COL_SYMBOLOGY] = g_strdup (record->tracking->symbology);
  v[COL_CLERK_ID] = int_text (record->clerk->user_id);
  v[COL_SHIFT_ID] = session->shift_id > 0 ? int_text (session->shift_id) : NULL;
  v[COL_OVERRIDE_BY] = record->override_by != NULL ? int_text (record->override_by->user_id) : NULL;
  v[COL_STARTED_US] = int_text (record->started_us);
  v[COL_DECIDED_US] = int_text (record->decided_us);
  PsDate day = ps_date_from_unix_us (record->decided_us);
  v[COL_DECIDED_DAY] = ps_date_to_iso (&day);
  v[COL_DECISION] = g_strdup (ps_decision_to_id (record->decision));
  v[COL_DESTINATION_COUNTRY] = g_strdup (record->destination_country);
  if (record->weight_source != PS_WEIGHT_SOURCE_NONE)
    v[COL_WEIGHT_MG] = int_text (record->weight_mg);
  v[COL_WEIGHT_SOURCE] = g_strdup (ps_weight_source_to_id (record->weight_source));
  if (record->weight_source == PS_WEIGHT_SOURCE_MANUAL)
    v[COL_MANUAL_WEIGHT_REASON] =
        g_strdup (ps_manual_weight_reason_to_id (record->manual_weight_reason));
  v[COL_MANUAL_WEIGHT_NOTE] = g_strdup (record->manual_weight_note);
  if (record->has_declaration)
    {
      v[COL_CATEGORY] = g_strdup (ps_category_to_id (record->category));
      v[COL_DESCRIPTION] = g_strdup (record->description);
      v[COL_QUANTITY] = int_text (record->quantity);
      v[COL_VALUE_VND] = int_text (record->value_vnd);
    }
  v[COL_REFUSE_REASON] = g_strdup (record->refuse_reason);
  v[COL_HOLD_REASONS] =
      record->hold_reasons != NULL ? g_strjoinv (",", record->hold_reasons) : NULL;
  v[COL_DECISION_NOTE] = g_strdup (record->decision_note);
  v[COL_RISK_SCORE] = int_text (record->risk_score);
  v[COL_RISK_THRESHOLD] = int_text (record->risk_threshold);
  v[COL_CHECKLIST_DIGEST] = g_strdup (ps_checklist_get_digest (checklist));

  if (record->sender_id != NULL)
    v[COL_SENDER_SOURCE] = g_strdup (ps_sender_source_to_id (record->sender_source));
  v[COL_SENDER_ID] = g_strdup (record->sender_id);
  v[COL_SENDER_OLD_ID] = g_strdup (record->sender_old_id);
  v[COL_SENDER_NAME] = g_strdup (record->sender_name);
  v[COL_SENDER_ADDRESS] = g_strdup (record->sender_address);
  v[COL_SENDER_PHONE] = g_strdup (record->sender_phone);
  if (record->sender_birth_date.year != 0)
    v[COL_SENDER_BIRTH_DATE] = ps_date_to_iso (&record->sender_birth_date);
  v[COL_SENDER_SEX] = g_strdup (ps_sex_to_id (record->sender_sex));
  v[COL_RECIPIENT_NAME] = g_strdup (record->recipient_name);
  v[COL_RECIPIENT_ADDRESS] = g_strdup (record->recipient_address);
  v[COL_RECIPIENT_PHONE] = g_strdup (record->recipient_phone);

  for (guint i = 0; i < ps_checklist_get_n_items (checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (checklist, i);
      char **fields = new_fields ();
      fields[0] = g_strdup (item->id);
      fields[1] = g_strdup (item->text_vi);
      fields[2] = g_strdup (item->text_en);
      fields[3] = g_strdup (ps_answer_to_id (item->passes));
      fields[4] = g_strdup (ps_answer_to_id (record->answers[i]));
      fields[5] = record->answered_us[i] != 0 ? int_text (record->answered_us[i]) : NULL;
      g_ptr_array_add (row->answers, fields);
    }

  GPtrArray *hits = ps_acceptance_get_risk_hits (acceptance);
  for (guint i = 0; i < hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (hits, i);
      char **fields = new_fields ();
      fields[0] = g_strdup (hit->rule_id);
      fields[1] = int_text (hit->score);
      fields[2] = g_strdup (hit->reason_vi);
      fields[3] = g_strdup (hit->reason_en);
      g_ptr_array_add (row->hits, fields);
    }

  GPtrArray *events = ps_acceptance_get_events (acceptance);
  for (guint i = 0; i < events->len; i++)
    {
      const PsAcceptanceEvent *event = g_ptr_array_index (events, i);
      char **fields = new_fields ();
      fields[0] = int_text (event->time_us);
      fields[1] = g_strdup (event->kind);
      fields[2] = g_strdup (event->summary);
      g_ptr_array_add (row->events, fields);
    }

  row->personal_digest = compute_personal_digest (row);
}

/* Reads the rows of @sql (one parameter: the parcel id) into @rows. */
static gboolean
load_fields (PsStore *store, const char *sql, gint64 parcel_id, guint n_fields, GPtrArray *rows,
             GError **error)
{
  sqlite3_stmt *statement = ps_store_prepare (store, sql, error);
  if (statement == NULL)
    return FALSE;
  sqlite3_bind_int64 (statement, 1, parcel_id);

  int rc;
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      char **fields = new_fields ();
      g_ptr_array_add (rows, fields);
      for (guint f = 0; f < n_fields; f++)
        if (!ps_store_column_read (store, statement, (int) f, &fields[f], error))
          {
            sqlite3_reset (statement);
            return FALSE;
          }
    }
  sqlite3_reset (statement);
  return rc == SQLITE_DONE || ps_store_fail (store, rc, error);
}

static const char *
select_parcel_sql (void)
{
  static char *sql;
  if (g_once_init_enter (&sql))
    {
      g_autofree char *columns = g_strjoinv (", ", (char **) column_names);
      g_once_init_leave (&sql, g_strdup_printf ("SELECT %s, personal_digest, "
                                                "personal_data_purged_us FROM parcels WHERE id = ?",
                                                columns));
    }
  return sql;
}

static const char *
insert_parcel_sql (void)
{
  static char *sql;
  if (g_once_init_enter (&sql))
    {
      g_autofree char *columns = g_strjoinv (", ", (char **) column_names);
      GString *marks = g_string_new (NULL);
      for (guint i = 0; i < N_COLUMNS + 2; i++)
        g_string_append (marks, i == 0 ? "?" : ", ?");
      g_autofree char *placeholders = g_string_free (marks, FALSE);
      g_once_init_leave (&sql, g_strdup_printf ("INSERT INTO parcels (%s, personal_digest, "
                                                "decision_digest) VALUES (%s)",
                                                columns, placeholders));
    }
  return sql;
}

/* Loads parcel @parcel_id as recorded. Returns FALSE with NOT_FOUND if there is none. */
static gboolean
parcel_row_load (PsStore *store, gint64 parcel_id, PsParcelRow *row, GError **error)
{
  sqlite3_stmt *statement = ps_store_prepare (store, select_parcel_sql (), error);
  if (statement == NULL)
    return FALSE;
  sqlite3_bind_int64 (statement, 1, parcel_id);
  if (!ps_store_step_row (store, statement, error, _ ("There is no parcel %lld."),
                          (long long) parcel_id))
    return FALSE;
  for (guint i = 0; i <= N_COLUMNS; i++)
    if (!ps_store_column_read (store, statement, (int) i,
                               i < N_COLUMNS ? &row->values[i] : &row->personal_digest, error))
      {
        sqlite3_reset (statement);
        return FALSE;
      }
  row->purged = sqlite3_column_type (statement, N_COLUMNS + 1) != SQLITE_NULL;
  sqlite3_reset (statement);

  return load_fields (store,
                      "SELECT item_id, text_vi, text_en, passes, answer, answered_us "
                      "FROM inspection_answers WHERE parcel_id = ? ORDER BY position",
                      parcel_id, N_ANSWER_FIELDS, row->answers, error) &&
         load_fields (store,
                      "SELECT rule_id, score, reason_vi, reason_en FROM risk_hits "
                      "WHERE parcel_id = ? ORDER BY position",
                      parcel_id, N_HIT_FIELDS, row->hits, error) &&
         load_fields (store,
                      "SELECT time_us, kind, summary FROM parcel_events "
                      "WHERE parcel_id = ? ORDER BY position",
                      parcel_id, N_EVENT_FIELDS, row->events, error);
}

char *
ps_store_parcel_digest (PsStore *store, gint64 parcel_id, gboolean recompute_personal,
                        GError **error)
{
  g_auto (PsParcelRow) row;
  parcel_row_init (&row);

  if (!parcel_row_load (store, parcel_id, &row, error))
    return NULL;

  /* Unless the personal data was purged, it must still match its digest. */
  if (recompute_personal && !row.purged)
    {
      g_autofree char *personal = compute_personal_digest (&row);
      if (g_strcmp0 (personal, row.personal_digest) != 0)
        return g_strdup ("personal data changed");
    }
  return compute_decision_digest (&row);
}

char *
ps_store_row_digest (PsStore *store, const char *sql, gint64 id, const char *key,
                     const char *domain, int n_columns, gboolean *found, GError **error)
{
  *found = FALSE;
  sqlite3_stmt *statement = ps_store_prepare (store, sql, error);
  if (statement == NULL)
    return NULL;
  if (key != NULL)
    ps_store_bind_text (statement, 1, key);
  else
    sqlite3_bind_int64 (statement, 1, id);
  int rc = sqlite3_step (statement);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (statement);
      if (rc != SQLITE_DONE)
        ps_store_fail (store, rc, error);
      return NULL;
    }
  *found = TRUE;

  PsDigest *digest = ps_digest_new (domain);
  for (int i = 0; i < n_columns; i++)
    {
      g_autofree char *value = NULL;
      if (!ps_store_column_read (store, statement, i, &value, error))
        {
          sqlite3_reset (statement);
          g_free (ps_digest_finish (digest));
          return NULL;
        }
      ps_digest_add_text (digest, value);
    }
  sqlite3_reset (statement);
  return ps_digest_finish (digest);
}

char *
ps_store_custody_digest (PsStore *store, gint64 event_id, GError **error)
{
  gboolean found;
  /* Events without an instruction or an override keep the digest they had
   * before schema 7; the others cover those two columns too. */
  char *digest = ps_store_row_digest (
      store,
      "SELECT report_id, time_us, actor_id, kind, note, officer_name, officer_unit, "
      "officer_badge, handover_us FROM custody_events WHERE id = ? AND instruction_id IS NULL "
      "AND override_reason IS NULL",
      event_id, NULL, "ps-custody-v1", 9, &found, error);
  if (!found && (error == NULL || *error == NULL))
    digest = ps_store_row_digest (
        store,
        "SELECT report_id, time_us, actor_id, kind, note, officer_name, officer_unit, "
        "officer_badge, handover_us, instruction_id, override_reason FROM custody_events "
        "WHERE id = ?",
        event_id, NULL, "ps-custody-v2", 11, &found, error);
  if (!found && (error == NULL || *error == NULL))
    g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND, _ ("There is no custody event %lld."),
                 (long long) event_id);
  return digest;
}

/* Rows inserted by one statement at most: a bound on the statements kept
 * prepared (one per row count) and on their variables. */
#define ROWS_PER_INSERT 32

/* Inserts @rows (each @n_fields values) as (parcel_id, position, fields…)
 * into @table's @columns, up to ROWS_PER_INSERT of them a statement. */
static gboolean
insert_fields (PsStore *store, const char *table, const char *columns, gint64 parcel_id,
               GPtrArray *rows, guint n_fields, GError **error)
{
  for (guint first = 0; first < rows->len; first += ROWS_PER_INSERT)
    {
      guint n_rows = MIN (rows->len - first, ROWS_PER_INSERT);
      GString *sql = g_string_new (NULL);
      g_string_printf (sql, "INSERT INTO %s (parcel_id, position, %s) VALUES ", table, columns);
      for (guint r = 0; r < n_rows; r++)
        {
          g_string_append (sql, r == 0 ? "(?, ?" : ", (?, ?");
          for (guint f = 0; f < n_fields; f++)
            g_string_append (sql, ", ?");
          g_string_append_c (sql, ')');
        }
      sqlite3_stmt *statement = ps_store_prepare (store, sql->str, error);
      g_string_free (sql, TRUE);
      if (statement == NULL)
        return FALSE;

      int index = 1;
      for (guint r = first; r < first + n_rows; r++)
        {
          char **fields = g_ptr_array_index (rows, r);
          sqlite3_bind_int64 (statement, index++, parcel_id);
          sqlite3_bind_int (statement, index++, (int) r);
          for (guint f = 0; f < n_fields; f++)
            ps_store_bind_text (statement, index++, fields[f]);
        }
      if (!ps_store_step_done (store, statement, error))
        return FALSE;
    }
  return TRUE;
}

/* Inserts a held parcel's report, its "created" custody event and outbox row. */
static gint64
insert_report (PsStore *store, gint64 parcel_id, const PsAcceptanceRecord *record, gint64 *event_id,
               GError **error)
{
  sqlite3_stmt *report =
      ps_store_prepare (store,
                        "INSERT INTO reports (parcel_id, created_us, status, status_changed_us) "
                        "VALUES (?, ?, 'open', ?)",
                        error);
  if (report == NULL)
    return 0;
  sqlite3_bind_int64 (report, 1, parcel_id);
  sqlite3_bind_int64 (report, 2, record->decided_us);
  sqlite3_bind_int64 (report, 3, record->decided_us);
  if (!ps_store_step_done (store, report, error))
    return 0;
  gint64 report_id = sqlite3_last_insert_rowid (store->db);

  sqlite3_stmt *event = ps_store_prepare (
      store,
      "INSERT INTO custody_events (report_id, time_us, actor_id, kind) VALUES (?, ?, ?, 'created')",
      error);
  if (event == NULL)
    return 0;
  sqlite3_bind_int64 (event, 1, report_id);
  sqlite3_bind_int64 (event, 2, record->decided_us);
  sqlite3_bind_int64 (event, 3, record->clerk->user_id);
  if (!ps_store_step_done (store, event, error))
    return 0;
  *event_id = sqlite3_last_insert_rowid (store->db);

  sqlite3_stmt *outbox = ps_store_prepare (
      store,
      "INSERT INTO outbox (idempotency_key, kind, report_id, custody_event_id, created_us, "
      "next_attempt_us) VALUES (?, 'report', ?, ?, ?, ?)",
      error);
  if (outbox == NULL)
    return 0;
  g_autofree char *key = g_uuid_string_random ();
  ps_store_bind_text (outbox, 1, key);
  sqlite3_bind_int64 (outbox, 2, report_id);
  sqlite3_bind_int64 (outbox, 3, *event_id);
  sqlite3_bind_int64 (outbox, 4, record->decided_us);
  sqlite3_bind_int64 (outbox, 5, record->decided_us);
  if (!ps_store_step_done (store, outbox, error))
    return 0;
  ps_store_cover (store, "reports", report_id);
  ps_store_cover (store, "outbox", sqlite3_last_insert_rowid (store->db));
  return report_id;
}

/* Looks up a parcel by one text column; returns its id, 0 if none, -1 on error. */
static gint64
lookup_id (PsStore *store, const char *sql, const char *value, GError **error)
{
  sqlite3_stmt *statement = ps_store_prepare (store, sql, error);
  if (statement == NULL)
    return -1;
  ps_store_bind_text (statement, 1, value);
  int rc = sqlite3_step (statement);
  gint64 id = rc == SQLITE_ROW ? sqlite3_column_int64 (statement, 0) : 0;
  sqlite3_reset (statement);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return -1;
    }
  return id;
}

gint64
ps_store_find_decided (PsStore *store, const char *tracking, GError **error)
{
  g_return_val_if_fail (store != NULL && tracking != NULL, -1);
  return lookup_id (
      store, "SELECT id FROM parcels WHERE tracking = ? AND decision IN ('accepted', 'held')",
      tracking, error);
}

/* The whole decision; runs inside the transaction. */
static gint64
record_in_transaction (PsStore *store, const PsSession *session, PsAcceptance *acceptance,
                       PsParcelRow *row, const char *digest, GError **error)
{
  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);

  /* A retry of a decision whose commit reached the disk after all. */
  gint64 existing =
      lookup_id (store, "SELECT id FROM parcels WHERE decision_digest = ?", digest, error);
  if (existing != 0)
    return existing > 0 ? existing : 0;

  if (record->decision != PS_DECISION_REFUSED)
    {
      gint64 decided = ps_store_find_decided (store, record->tracking->code, error);
      if (decided < 0)
        return 0;
      if (decided > 0)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_DUPLICATE,
                       _ ("Tracking number %s was already accepted or held at this counter; a "
                          "parcel is decided once. Look it up in the history."),
                       record->tracking->code);
          return 0;
        }
    }

  sqlite3_stmt *insert = ps_store_prepare (store, insert_parcel_sql (), error);
  if (insert == NULL)
    return 0;
  for (guint i = 0; i < N_COLUMNS; i++)
    ps_store_bind_text (insert, (int) i + 1, row->values[i]);
  ps_store_bind_text (insert, N_COLUMNS + 1, row->personal_digest);
  ps_store_bind_text (insert, N_COLUMNS + 2, digest);
  if (!ps_store_step_done (store, insert, error))
    return 0;
  gint64 parcel_id = sqlite3_last_insert_rowid (store->db);

  if (!insert_fields (store, "inspection_answers",
                      "item_id, text_vi, text_en, passes, answer, answered_us", parcel_id,
                      row->answers, N_ANSWER_FIELDS, error) ||
      !insert_fields (store, "risk_hits", "rule_id, score, reason_vi, reason_en", parcel_id,
                      row->hits, N_HIT_FIELDS, error) ||
      !insert_fields (store, "parcel_events", "time_us, kind, summary", parcel_id, row->events,
                      N_EVENT_FIELDS, error))
    return 0;

  gint64 report_id = 0, event_id = 0;
  if (record->decision == PS_DECISION_HELD)
    {
      report_id = insert_report (store, parcel_id, record, &event_id, error);
      if (report_id == 0)
        return 0;
    }

  g_autofree char *entity = g_strdup_printf ("parcel:%" G_GINT64_FORMAT, parcel_id);
  g_autofree char *payload =
      ps_json_object ("parcel", 'i', parcel_id, "tracking", 's', record->tracking->code, "decision",
                      's', ps_decision_to_id (record->decision), "risk", 'i',
                      (gint64) record->risk_score, "digest", 's', digest, NULL);
  if (!ps_store_audit_append_in_transaction (store, session->actor, "decision", entity, payload,
                                             record->decided_us, error))
    return 0;

  if (event_id != 0)
    {
      g_autofree char *event_digest = ps_store_custody_digest (store, event_id, error);
      if (event_digest == NULL)
        return 0;
      g_autofree char *report_entity = g_strdup_printf ("report:%" G_GINT64_FORMAT, report_id);
      g_autofree char *event_payload =
          ps_json_object ("report", 'i', report_id, "event", 'i', event_id, "kind", 's', "created",
                          "digest", 's', event_digest, NULL);
      if (!ps_store_audit_append_in_transaction (store, session->actor, "custody", report_entity,
                                                 event_payload, record->decided_us, error))
        return 0;
    }
  return parcel_id;
}

gint64
ps_store_record_decision (PsStore *store, const PsSession *session, PsAcceptance *acceptance,
                          GError **error)
{
  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (session != NULL && session->actor != NULL, 0);
  g_return_val_if_fail (PS_IS_ACCEPTANCE (acceptance), 0);

  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  if (record->decision == PS_DECISION_NONE)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("The acceptance has no decision yet: accept, refuse or hold it first."));
      return 0;
    }
  if (session->actor->user_id != record->clerk->user_id)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Only the clerk who handled the parcel can record its decision."));
      return 0;
    }
  if (session->actor->role != PS_ROLE_CLERK && session->actor->role != PS_ROLE_SUPERVISOR)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Only clerks and supervisors accept parcels; an administrator does not."));
      return 0;
    }

  g_auto (PsParcelRow) row;
  parcel_row_init (&row);
  parcel_row_fill (&row, acceptance, session);
  g_autofree char *digest = compute_decision_digest (&row);

  if (!ps_store_begin (store, error))
    return 0;
  gint64 parcel_id = record_in_transaction (store, session, acceptance, &row, digest, error);
  if (parcel_id == 0)
    {
      ps_store_rollback (store);
      return 0;
    }
  if (!ps_store_commit (store, error))
    return 0;

  g_debug ("decision %s recorded as parcel %" G_GINT64_FORMAT, ps_decision_to_id (record->decision),
           parcel_id);
  return parcel_id;
}

GStrv
ps_store_sender_history (PsStore *store, const char *sender_id, gint64 since_us, GError **error)
{
  g_return_val_if_fail (store != NULL && sender_id != NULL, NULL);

  sqlite3_stmt *statement = ps_store_prepare (
      store,
      "SELECT recipient_name, recipient_phone FROM parcels WHERE sender_id = ? AND decided_us >= ?",
      error);
  if (statement == NULL)
    return NULL;
  ps_store_bind_text (statement, 1, sender_id);
  sqlite3_bind_int64 (statement, 2, since_us);

  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();
  int rc;
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      g_autofree char *key = ps_risk_recipient_key (ps_store_column_text (statement, 0),
                                                    ps_store_column_text (statement, 1));
      g_strv_builder_add (keys, key);
    }
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_strv_builder_end (keys);
}
