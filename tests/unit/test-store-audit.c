/* test-store-audit.c — the counter database: the audit trail against tampering (ps-store-audit*.c).
 */
#include "test-store-fixture.h"

static void
tamper (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_audit_tamper (Fixture *fixture, gconstpointer data)
{
  (void) data;
  record (fixture, "EE471108151FR", PS_DECISION_ACCEPTED, T0);
  record (fixture, "RB123456785US", PS_DECISION_HELD, T0 + MINUTE);
  record (fixture, "CP003000000VN", PS_DECISION_REFUSED, T0 + 2 * MINUTE);
  g_assert_cmpint (ps_store_add_custody_event (fixture->store, fixture->users.supervisor->actor, 1,
                                               PS_CUSTODY_ASSESSMENT, "Đã xem", NULL, NULL, NULL,
                                               T0 + 3, NULL),
                   >, 0);
  assert_audit_whole (fixture);
  gint64 n = query_int (fixture, "SELECT count(*) FROM audit");
  gint64 decision_seq = query_int (fixture, "SELECT seq FROM audit WHERE action = 'decision' "
                                            "AND entity = 'parcel:2'");
  gint64 refused_seq = query_int (fixture, "SELECT seq FROM audit WHERE action = 'decision' "
                                           "AND entity = 'parcel:3'");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM risk_hits WHERE parcel_id = 3"), ==,
                   1);
  gint64 custody_seq = query_int (fixture, "SELECT max(seq) FROM audit WHERE action = 'custody'");
  ps_store_close (fixture->store);
  fixture->store = NULL;

  g_autofree char *pristine = g_build_filename (fixture->dir, "pristine.db", NULL);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (PsStore) store = ps_store_open (fixture->path, &error);
    g_assert_true (ps_store_backup (store, pristine, FALSE, &error));
    g_assert_no_error (error);
  }

  /* The triggers refuse edits made the ordinary way. */
  {
    sqlite3 *db = NULL;
    g_assert_cmpint (sqlite3_open (pristine, &db), ==, SQLITE_OK);
    g_assert_cmpint (
        sqlite3_exec (db, "UPDATE audit SET payload = '{}' WHERE seq = 1", NULL, NULL, NULL), ==,
        SQLITE_CONSTRAINT);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE seq = 1", NULL, NULL, NULL), ==,
                     SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }

  g_autofree char *change_entry = g_strdup_printf ("DROP TRIGGER audit_no_update; UPDATE audit SET "
                                                   "time_us = time_us + 1 WHERE seq = %d",
                                                   3);
  g_autofree char *delete_entry =
      g_strdup_printf ("DROP TRIGGER audit_no_delete; DELETE FROM audit "
                       "WHERE seq = %d",
                       4);
  g_autofree char *insert_entry = g_strdup_printf ("INSERT INTO audit VALUES (%" G_GINT64_FORMAT
                                                   ", 1, NULL, 'system', 'decision', 'parcel:9', "
                                                   "'{}', 'aa', 'bb')",
                                                   n + 1);
  g_autofree char *replace_entry = g_strdup_printf (
      "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 5; INSERT INTO audit VALUES (5, "
      "1, NULL, 'system', 'x', 'y', '{}', '%s', 'cc')",
      "0000");
  struct
  {
    const char *sql;
    PsAuditProblem problem;
    gint64 seq;
  } cases[] = {
    { change_entry, PS_AUDIT_CHANGED, 3 },
    { delete_entry, PS_AUDIT_MISSING, 4 },
    { insert_entry, PS_AUDIT_INSERTED, n + 1 },
    { replace_entry, PS_AUDIT_INSERTED, 5 },
    { "UPDATE parcels SET weight_mg = 125000 WHERE id = 2", PS_AUDIT_RECORD_CHANGED, decision_seq },
    { "UPDATE parcels SET sender_name = 'Người khác' WHERE id = 2", PS_AUDIT_RECORD_CHANGED,
      decision_seq },
    { "UPDATE inspection_answers SET answer = 'yes' WHERE parcel_id = 2 AND position = 5",
      PS_AUDIT_RECORD_CHANGED, decision_seq },
    { "DELETE FROM risk_hits WHERE parcel_id = 3", PS_AUDIT_RECORD_CHANGED, refused_seq },
    { "UPDATE parcel_events SET time_us = 0 WHERE parcel_id = 2 AND position = 0",
      PS_AUDIT_RECORD_CHANGED, decision_seq },
    { "UPDATE custody_events SET note = 'Không có gì' WHERE kind = 'assessment'",
      PS_AUDIT_RECORD_CHANGED, custody_seq },
    { "PRAGMA foreign_keys = OFF; DELETE FROM inspection_answers WHERE parcel_id = 2; "
      "DELETE FROM parcel_events WHERE parcel_id = 2; DELETE FROM risk_hits WHERE parcel_id = 2; "
      "DELETE FROM custody_events WHERE report_id = 1; DELETE FROM outbox; DELETE FROM reports; "
      "DELETE FROM parcels WHERE id = 2",
      PS_AUDIT_RECORD_CHANGED, decision_seq },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_auto (PsAuditResult) result = { 0 };
      g_autofree char *copy = g_build_filename (fixture->dir, "tampered.db", NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (pristine, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (copy, contents, (gssize) len, NULL));
      tamper (copy, cases[i].sql);

      g_autoptr (PsStore) store = ps_store_open (copy, &error);
      g_assert_no_error (error);
      g_assert_true (ps_store_audit_verify (store, &result, &error));
      if (result.problem != cases[i].problem || result.problem_seq != cases[i].seq)
        g_error ("case %u (%s): expected problem %d at %" G_GINT64_FORMAT
                 ", got %d at %" G_GINT64_FORMAT ": %s",
                 i, cases[i].sql, cases[i].problem, cases[i].seq, result.problem,
                 result.problem_seq, result.detail);
      g_assert_nonnull (result.detail);
      ps_store_close (g_steal_pointer (&store));
      g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
      g_autofree char *shm = g_strconcat (copy, "-shm", NULL);
      g_unlink (copy);
      g_unlink (wal);
      g_unlink (shm);
    }

  g_autoptr (GError) error = NULL;
  fixture->store = ps_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD_STORE_TEST ("/store/audit/tamper", test_audit_tamper, WITH_USERS);
  return g_test_run ();
}
