/* ps-store-schema.c — the database schema, as ordered migrations.
 *
 * Migration i brings the schema from version i to i + 1 (PRAGMA
 * user_version). A migration is never edited once released: a change is a
 * new migration, and the tests migrate a database of every earlier version.
 */
#include "ps-store-private.h"

/* 'PSC1': marks the file as a ParcelScreen counter database. */
#define PS_STORE_APPLICATION_ID 0x50534331

/* Each statement is a string of its own (C11 compilers need not take one of
 * more than 4095 characters). */
static const char *const migration_1[] = {
  /* Users of the counter and their shifts. */
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  login TEXT NOT NULL UNIQUE,"
  "  full_name TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),"
  "  pin_hash TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  failed_attempts INTEGER NOT NULL DEFAULT 0,"
  "  locked_until_us INTEGER NOT NULL DEFAULT 0,"
  "  created_us INTEGER NOT NULL"
  ");",
  "CREATE TABLE shifts ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users (id),"
  "  started_us INTEGER NOT NULL,"
  "  ended_us INTEGER,"
  "  end_reason TEXT"
  ");",
  "CREATE INDEX shifts_by_user ON shifts (user_id, started_us);",
  /* One row a decision. Personal data (sender_*, recipient_*) can be erased
   * by the retention purge; personal_digest keeps what it was bound to. */
  "CREATE TABLE parcels ("
  "  id INTEGER PRIMARY KEY,"
  "  tracking TEXT NOT NULL,"
  "  tracking_kind TEXT NOT NULL,"
  "  symbology TEXT,"
  "  clerk_id INTEGER NOT NULL REFERENCES users (id),"
  "  shift_id INTEGER REFERENCES shifts (id),"
  "  override_by INTEGER REFERENCES users (id),"
  "  started_us INTEGER NOT NULL,"
  "  decided_us INTEGER NOT NULL,"
  "  decided_day TEXT NOT NULL,"
  "  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'refused', 'held')),"
  "  sender_source TEXT,"
  "  sender_id TEXT,"
  "  sender_old_id TEXT,"
  "  sender_name TEXT,"
  "  sender_address TEXT,"
  "  sender_phone TEXT,"
  "  sender_birth_date TEXT,"
  "  sender_sex TEXT,"
  "  recipient_name TEXT,"
  "  recipient_address TEXT,"
  "  recipient_phone TEXT,"
  "  destination_country TEXT,"
  "  weight_mg INTEGER,"
  "  weight_source TEXT NOT NULL,"
  "  manual_weight_reason TEXT,"
  "  manual_weight_note TEXT,"
  "  category TEXT,"
  "  description TEXT,"
  "  quantity INTEGER,"
  "  value_vnd INTEGER,"
  "  refuse_reason TEXT,"
  "  hold_reasons TEXT,"
  "  decision_note TEXT,"
  "  risk_score INTEGER NOT NULL,"
  "  risk_threshold INTEGER NOT NULL,"
  "  checklist_digest TEXT NOT NULL,"
  "  personal_digest TEXT NOT NULL,"
  "  personal_data_purged_us INTEGER,"
  "  decision_digest TEXT NOT NULL UNIQUE"
  ");",
  /* A tracking number is accepted or held once; a refused parcel may come back. */
  "CREATE UNIQUE INDEX parcels_decided_once ON parcels (tracking)"
  "  WHERE decision IN ('accepted', 'held');",
  "CREATE INDEX parcels_by_tracking ON parcels (tracking, decided_us);",
  "CREATE INDEX parcels_by_day ON parcels (decided_day, decided_us);",
  "CREATE INDEX parcels_by_sender ON parcels (sender_id, decided_us);",
  "CREATE INDEX parcels_to_purge ON parcels (personal_data_purged_us, decided_us);",
  "CREATE TABLE inspection_answers ("
  "  parcel_id INTEGER NOT NULL REFERENCES parcels (id),"
  "  position INTEGER NOT NULL,"
  "  item_id TEXT NOT NULL,"
  "  text_vi TEXT NOT NULL,"
  "  text_en TEXT NOT NULL,"
  "  passes TEXT NOT NULL CHECK (passes IN ('yes', 'no')),"
  "  answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'none')),"
  "  answered_us INTEGER,"
  "  PRIMARY KEY (parcel_id, position)"
  ") WITHOUT ROWID;",
  "CREATE TABLE risk_hits ("
  "  parcel_id INTEGER NOT NULL REFERENCES parcels (id),"
  "  position INTEGER NOT NULL,"
  "  rule_id TEXT NOT NULL,"
  "  score INTEGER NOT NULL,"
  "  reason_vi TEXT NOT NULL,"
  "  reason_en TEXT NOT NULL,"
  "  PRIMARY KEY (parcel_id, position)"
  ") WITHOUT ROWID;",
  /* The acceptance's timeline; summaries hold no personal data. */
  "CREATE TABLE parcel_events ("
  "  parcel_id INTEGER NOT NULL REFERENCES parcels (id),"
  "  position INTEGER NOT NULL,"
  "  time_us INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  summary TEXT NOT NULL,"
  "  PRIMARY KEY (parcel_id, position)"
  ") WITHOUT ROWID;",
  /* Reports of held parcels and what happens to them. */
  "CREATE TABLE reports ("
  "  id INTEGER PRIMARY KEY,"
  "  parcel_id INTEGER NOT NULL UNIQUE REFERENCES parcels (id),"
  "  created_us INTEGER NOT NULL,"
  "  status TEXT NOT NULL"
  "    CHECK (status IN ('open', 'assessed', 'handed-over', 'released', 'closed')),"
  "  status_changed_us INTEGER NOT NULL,"
  "  closed_us INTEGER"
  ");",
  "CREATE INDEX reports_by_status ON reports (status, created_us);",
  "CREATE INDEX reports_by_closing ON reports (closed_us);",
  "CREATE TABLE custody_events ("
  "  id INTEGER PRIMARY KEY,"
  "  report_id INTEGER NOT NULL REFERENCES reports (id),"
  "  time_us INTEGER NOT NULL,"
  "  actor_id INTEGER NOT NULL REFERENCES users (id),"
  "  kind TEXT NOT NULL"
  "    CHECK (kind IN ('created', 'assessment', 'handover', 'release', 'close')),"
  "  note TEXT,"
  "  officer_name TEXT,"
  "  officer_unit TEXT,"
  "  officer_badge TEXT,"
  "  handover_us INTEGER"
  ");",
  "CREATE INDEX custody_by_report ON custody_events (report_id, time_us);",
  /* The transactional outbox: what the forwarder must deliver to the police. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('report', 'custody', 'closure')),"
  "  report_id INTEGER NOT NULL REFERENCES reports (id),"
  "  custody_event_id INTEGER REFERENCES custody_events (id),"
  "  created_us INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_us INTEGER NOT NULL,"
  "  lease_owner TEXT,"
  "  lease_until_us INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  receiver_reference TEXT,"
  "  sent_us INTEGER"
  ");",
  "CREATE INDEX outbox_due ON outbox (state, next_attempt_us);",
  "CREATE INDEX outbox_by_report ON outbox (report_id, state);",
  /* The audit trail: a hash chain, append-only. */
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  time_us INTEGER NOT NULL,"
  "  actor_id INTEGER,"
  "  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('clerk', 'supervisor', 'admin', 'system')),"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");",
  "CREATE INDEX audit_by_entity ON audit (entity);",
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;",
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;",
  /* Nightly exports and imported watch lists. */
  "CREATE TABLE exports ("
  "  id INTEGER PRIMARY KEY,"
  "  day TEXT NOT NULL,"
  "  created_us INTEGER NOT NULL,"
  "  directory TEXT NOT NULL,"
  "  manifest_sha256 TEXT NOT NULL,"
  "  audit_head TEXT NOT NULL,"
  "  n_reports INTEGER NOT NULL"
  ");",
  "CREATE INDEX exports_by_day ON exports (day);",
  "CREATE TABLE watchlists ("
  "  id INTEGER PRIMARY KEY,"
  "  imported_us INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  signer_key TEXT NOT NULL,"
  "  n_entries INTEGER NOT NULL,"
  "  content TEXT NOT NULL,"
  "  active INTEGER NOT NULL DEFAULT 1"
  ");",
  NULL,
};

/* The reports not yet closed, newest first, for the supervisor's list: a
 * partial index keeps that list fast however many reports were closed. */
static const char *const migration_2[] = {
  "CREATE INDEX reports_open_by_time ON reports (created_us) WHERE status != 'closed';",
  NULL,
};

/* Corrections: a decision is never edited; a correction is a new entry
 * linked to it. And the database's own facts (a training database). */
static const char *const migration_3[] = {
  "CREATE TABLE corrections ("
  "  id INTEGER PRIMARY KEY,"
  "  parcel_id INTEGER NOT NULL REFERENCES parcels (id),"
  "  time_us INTEGER NOT NULL,"
  "  actor_id INTEGER NOT NULL REFERENCES users (id),"
  "  note TEXT NOT NULL"
  ");",
  "CREATE INDEX corrections_by_parcel ON corrections (parcel_id, time_us);",
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;",
  NULL,
};

/* The header bar shows the reports not yet delivered and the oldest's age
 * every few seconds: a partial index keeps that a look-up, not a scan of
 * every message ever sent. */
static const char *const migration_4[] = {
  "CREATE INDEX outbox_unsent_by_time ON outbox (created_us) WHERE state != 'sent';",
  NULL,
};

/* A forwarded row's document and signature are made once, at its first
 * try, and every later try sends the same bytes (docs/relay.md): the
 * document is kept as sent, with its SHA-256 and the key that signed it. A
 * table of its own: the outbox row changes at every try and lease, and
 * SQLite rewrites a whole row for each change. */
static const char *const migration_5[] = {
  "CREATE TABLE outbox_documents ("
  "  outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),"
  "  document BLOB," /* NULL once a purge erased it */
  "  sha256 TEXT NOT NULL,"
  "  signature TEXT NOT NULL,"
  "  signer_key TEXT NOT NULL"
  ");",
  NULL,
};

/* Wrong PINs given for logins that do not exist are counted and lock out as
 * for real users, so that a stranger cannot tell the two apart. */
static const char *const migration_6[] = {
  "CREATE TABLE login_attempts ("
  "  login TEXT PRIMARY KEY,"
  "  failed_attempts INTEGER NOT NULL DEFAULT 0,"
  "  locked_until_us INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;",
  NULL,
};

/* The police's instructions (docs/relay.md, "Instructions"): kept as signed,
 * numbered without gaps; what a custody event carries out, or the
 * supervisor's override instead. */
static const char *const migration_7[] = {
  "CREATE TABLE instructions ("
  "  seq INTEGER PRIMARY KEY," /* the police's numbering for this counter, from 1 */
  "  id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('received', 'request_info', 'keep_holding', 'release', "
  "    'seize', 'close_case', 'watchlist', 'cancel')),"
  "  report_id INTEGER REFERENCES reports (id),"
  "  issued_us INTEGER NOT NULL,"
  "  issued_by TEXT NOT NULL,"
  "  due_us INTEGER,"
  "  until_us INTEGER,"
  "  cancels TEXT,"
  "  summary TEXT NOT NULL,"
  "  document BLOB NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  signature TEXT NOT NULL,"
  "  received_us INTEGER NOT NULL,"
  "  acked_us INTEGER,"
  "  state TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),"
  "  done_us INTEGER"
  ");",
  "CREATE INDEX instructions_by_report ON instructions (report_id);",
  "CREATE TABLE instruction_refusals ("
  "  id INTEGER PRIMARY KEY,"
  "  time_us INTEGER NOT NULL,"
  "  seq INTEGER,"
  "  reason TEXT NOT NULL"
  ");",
  "ALTER TABLE custody_events ADD COLUMN instruction_id TEXT;",
  "ALTER TABLE custody_events ADD COLUMN override_reason TEXT;",
  NULL,
};

/* An index that earns nothing: no query looks the trail up by entity (a
 * verification reads it in order), and it cost every decision about 1.4
 * written pages of its 21. */
static const char *const migration_8[] = {
  "DROP INDEX IF EXISTS audit_by_entity;",
  NULL,
};

const char *const *const ps_store_migrations[] = {
  migration_1, migration_2, migration_3, migration_4,
  migration_5, migration_6, migration_7, migration_8,
};
const guint ps_store_n_migrations = G_N_ELEMENTS (ps_store_migrations);

G_STATIC_ASSERT (G_N_ELEMENTS (ps_store_migrations) == PS_STORE_SCHEMA_VERSION);

static int
read_int_pragma (sqlite3 *db, const char *sql, int *out)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (statement);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int (statement, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (statement);
  return rc;
}

gboolean
ps_store_migrate (sqlite3 *db, int version, GError **error)
{
  int current = 0;
  int rc = read_int_pragma (db, "PRAGMA user_version", &current);

  for (int next = current; rc == SQLITE_OK && next < version; next++)
    {
      g_autofree char *version_sql =
          g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d; COMMIT;",
                           PS_STORE_APPLICATION_ID, next + 1);
      char *message = NULL;
      rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, &message);
      for (guint i = 0; rc == SQLITE_OK && ps_store_migrations[next][i] != NULL; i++)
        rc = sqlite3_exec (db, ps_store_migrations[next][i], NULL, NULL, &message);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, version_sql, NULL, NULL, &message);
      if (rc != SQLITE_OK)
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          g_set_error (error, PS_ERROR, PS_ERROR_STORAGE,
                       _ ("Updating the database to schema version %d failed: %s"), next + 1,
                       message != NULL ? message : sqlite3_errstr (rc));
          sqlite3_free (message);
          return FALSE;
        }
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE, _ ("Reading the schema version failed: %s"),
                   sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}
