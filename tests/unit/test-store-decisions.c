/* test-store-decisions.c — the counter database: decisions, reports and custody, lists, details and
 * corrections. */
#include "test-store-fixture.h"

static void
test_record_decisions (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;

  gint64 accepted = record (fixture, "EE471108151FR", PS_DECISION_ACCEPTED, T0);
  gint64 refused = record (fixture, "RB123456785US", PS_DECISION_REFUSED, T0 + MINUTE);
  gint64 held = record (fixture, "CP003000000VN", PS_DECISION_HELD, T0 + 2 * MINUTE);
  g_assert_cmpint (accepted, <, refused);

  /* Everything of a decision is there. */
  g_autofree char *answers = g_strdup_printf (
      "SELECT count(*) FROM inspection_answers WHERE parcel_id = %" G_GINT64_FORMAT, held);
  g_assert_cmpint (query_int (fixture, answers), ==, 7);
  g_autofree char *events = g_strdup_printf (
      "SELECT count(*) FROM parcel_events WHERE parcel_id = %" G_GINT64_FORMAT, held);
  g_assert_cmpint (query_int (fixture, events), ==, 13);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM reports"), ==, 1);
  g_assert_cmpint (
      query_int (fixture, "SELECT count(*) FROM custody_events WHERE kind = 'created'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==,
                   1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM audit WHERE action = 'decision'"), ==,
                   3);
  g_autofree char *day = ps_test_query (fixture->path, "SELECT decided_day FROM parcels LIMIT 1");
  PsDate date = ps_date_from_unix_us (T0 + 100);
  g_autofree char *expected_day = ps_date_to_iso (&date);
  g_assert_cmpstr (day, ==, expected_day);

  /* A tracking number accepted or held once is refused afterwards... */
  g_autoptr (PsAcceptance) again =
      ps_test_decided (&fixture->data, fixture->users.clerk->actor, "EE471108151FR", NULL,
                       PS_DECISION_ACCEPTED, T0 + 3 * MINUTE);
  g_assert_cmpint (ps_store_record_decision (fixture->store, fixture->users.clerk, again, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "EE471108151FR was already accepted or held"));
  g_clear_error (&error);
  g_assert_cmpint (ps_store_find_decided (fixture->store, "CP003000000VN", &error), ==, held);
  g_assert_cmpint (ps_store_find_decided (fixture->store, "RB123456785US", &error), ==, 0);

  /* ...but a refused parcel may come back, repacked, and be accepted. */
  record (fixture, "RB123456785US", PS_DECISION_ACCEPTED, T0 + 4 * MINUTE);
  g_autoptr (GPtrArray) history = ps_store_find_parcels (fixture->store, "RB123456785US", &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((PsParcelSummary *) g_ptr_array_index (history, 0))->decision, ==,
                   PS_DECISION_REFUSED);
  g_assert_cmpint (((PsParcelSummary *) g_ptr_array_index (history, 1))->decision, ==,
                   PS_DECISION_ACCEPTED);
  assert_audit_whole (fixture);
}

static void
test_decision_retry_is_idempotent (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (PsAcceptance) acceptance = ps_test_decided (
      &fixture->data, fixture->users.clerk->actor, "EE471108151FR", NULL, PS_DECISION_HELD, T0);

  gint64 first =
      ps_store_record_decision (fixture->store, fixture->users.clerk, acceptance, &error);
  gint64 second =
      ps_store_record_decision (fixture->store, fixture->users.clerk, acceptance, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM parcels"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM outbox"), ==, 1);
}

static void
test_decision_roles (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  PsStore *store = fixture->store;

  /* Undecided. */
  g_autoptr (PsAcceptance) open = ps_test_decided (&fixture->data, fixture->users.clerk->actor,
                                                   "EE471108151FR", NULL, PS_DECISION_NONE, T0);
  g_assert_cmpint (ps_store_record_decision (store, fixture->users.clerk, open, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Another user's acceptance. */
  g_autoptr (PsAcceptance) decided = ps_test_decided (
      &fixture->data, fixture->users.clerk->actor, "EE471108151FR", NULL, PS_DECISION_ACCEPTED, T0);
  g_assert_cmpint (ps_store_record_decision (store, fixture->users.supervisor, decided, &error), ==,
                   0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);

  /* An administrator does not accept parcels. */
  PsSession admin_session = { fixture->users.admin, 0, NULL };
  g_autoptr (PsAcceptance) by_admin = ps_test_decided (
      &fixture->data, fixture->users.admin, "RB123456785US", NULL, PS_DECISION_ACCEPTED, T0);
  g_assert_cmpint (ps_store_record_decision (store, &admin_session, by_admin, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM parcels"), ==, 0);
}

static void
test_custody (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  PsStore *store = fixture->store;
  const PsActor *minh = fixture->users.supervisor->actor;
  PsOfficer officer = { "Đại úy Lê Văn Công", "Công an huyện Cao Lộc", "123-456", T0 + DAY };

  record (fixture, "CP003000000VN", PS_DECISION_HELD, T0);
  gint64 report = query_int (fixture, "SELECT id FROM reports");

  /* Only a supervisor, and never the one who held the parcel. */
  g_assert_cmpint (ps_store_add_custody_event (store, fixture->users.clerk->actor, report,
                                               PS_CUSTODY_ASSESSMENT, "x", NULL, NULL, NULL, T0,
                                               &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_custody_event (store, fixture->users.admin, report,
                                               PS_CUSTODY_RELEASE, "x", NULL, NULL,
                                               "Test: acting without an instruction", T0, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);

  /* What each event needs. */
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_ASSESSMENT, NULL,
                                               NULL, NULL, NULL, T0, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_HANDOVER, NULL, NULL,
                                               NULL, "Test: acting without an instruction", T0,
                                               &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  PsOfficer no_badge = officer;
  no_badge.badge = "";
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_HANDOVER, NULL,
                                               &no_badge, NULL,
                                               "Test: acting without an instruction", T0, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_CREATED, NULL, NULL,
                                               NULL, NULL, T0, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_custody_event (store, minh, 999, PS_CUSTODY_ASSESSMENT, "x", NULL,
                                               NULL, NULL, T0, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Nothing to close yet. */
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_CLOSE, NULL, NULL,
                                               NULL, NULL, T0, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* open → assessed → handed over → closed. */
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_ASSESSMENT,
                                               "Bột trắng, nghi ma túy", NULL, NULL, NULL, T0 + 1,
                                               &error),
                   >, 0);
  g_autoptr (GPtrArray) assessed = ps_store_list_reports (store, PS_REPORT_ASSESSED, 10, 0, &error);
  g_assert_cmpuint (assessed->len, ==, 1);
  g_assert_cmpint (
      ps_store_add_custody_event (store, minh, report, PS_CUSTODY_HANDOVER, NULL, &officer, NULL,
                                  "Test: acting without an instruction", T0 + DAY, &error),
      >, 0);
  g_assert_no_error (error);
  /* Released after a hand-over: not allowed. */
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_RELEASE, "x", NULL,
                                               NULL, "Test: acting without an instruction",
                                               T0 + DAY, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_CLOSE, NULL, NULL,
                                               NULL, NULL, T0 + 2 * DAY, &error),
                   >, 0);
  /* Closed is final. */
  g_assert_cmpint (ps_store_add_custody_event (store, minh, report, PS_CUSTODY_ASSESSMENT, "x",
                                               NULL, NULL, NULL, T0 + 3 * DAY, &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_cmpint (query_int (fixture, "SELECT closed_us FROM reports"), ==, T0 + 2 * DAY);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM custody_events"), ==, 4);
  g_autofree char *badge =
      ps_test_query (fixture->path, "SELECT officer_badge FROM custody_events WHERE kind = "
                                    "'handover'");
  g_assert_cmpstr (badge, ==, "123-456");
  /* Each custody event goes to the police too; the closure as such. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM outbox"), ==, 4);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM outbox WHERE kind = 'closure'"), ==,
                   1);
  g_autoptr (GPtrArray) open = ps_store_list_reports (store, PS_REPORTS_NOT_CLOSED, 10, 0, &error);
  g_assert_cmpuint (open->len, ==, 0);
  /* "Show closed reports too" lists it (issue 11, defect 3: the list of
   * reports not closed was filtered for closed ones, and found none). */
  g_autoptr (GPtrArray) all = ps_store_list_reports (store, PS_REPORTS_ALL, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (((PsReportSummary *) g_ptr_array_index (all, 0))->status, ==, PS_REPORT_CLOSED);
  assert_audit_whole (fixture);

  /* A release, on another report. */
  record (fixture, "EE471108151FR", PS_DECISION_HELD, T0 + 5);
  gint64 second = query_int (fixture, "SELECT max(id) FROM reports");
  g_assert_cmpint (ps_store_add_custody_event (store, minh, second, PS_CUSTODY_RELEASE, NULL, NULL,
                                               NULL, "Test: acting without an instruction", T0 + 6,
                                               &error),
                   ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_custody_event (
                       store, minh, second, PS_CUSTODY_RELEASE, "Kiểm tra lại: bột mì", NULL, NULL,
                       "Test: acting without an instruction", T0 + 6, &error),
                   >, 0);
  g_autoptr (GPtrArray) released = ps_store_list_reports (store, PS_REPORT_RELEASED, 10, 0, &error);
  g_assert_cmpuint (released->len, ==, 1);
  PsReportSummary *summary = g_ptr_array_index (released, 0);
  g_assert_cmpstr (summary->tracking, ==, "EE471108151FR");
  g_assert_cmpstr (summary->clerk_login, ==, "lan");
  g_assert_cmpstr (summary->hold_reasons, ==, "concealment");
  g_assert_cmpuint (summary->outbox_pending, ==, 2);
}

static void
test_lists (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;

  record (fixture, "EE471108151FR", PS_DECISION_ACCEPTED, T0);
  record (fixture, "RB123456785US", PS_DECISION_HELD, T0 + MINUTE);
  record (fixture, "CP003000000VN", PS_DECISION_HELD, T0 + DAY);

  g_autoptr (GPtrArray) open =
      ps_store_list_reports (fixture->store, PS_REPORT_OPEN, 10, 0, &error);
  g_assert_cmpuint (open->len, ==, 2);
  /* Newest first. */
  g_assert_cmpstr (((PsReportSummary *) g_ptr_array_index (open, 0))->tracking, ==,
                   "CP003000000VN");
  g_autoptr (GPtrArray) page =
      ps_store_list_reports (fixture->store, PS_REPORTS_NOT_CLOSED, 1, 1, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((PsReportSummary *) g_ptr_array_index (page, 0))->tracking, ==,
                   "RB123456785US");

  PsDate date = ps_date_from_unix_us (T0 + 100);
  g_autofree char *day = ps_date_to_iso (&date);
  g_autoptr (GPtrArray) first_day = ps_store_list_day (fixture->store, day, 100, 0, &error);
  g_assert_cmpuint (first_day->len, ==, 2);
  PsParcelSummary *parcel = g_ptr_array_index (first_day, 0);
  g_assert_cmpstr (parcel->tracking, ==, "EE471108151FR");
  g_assert_cmpint (parcel->weight_mg, ==, 1250000);
  g_assert_cmpint (parcel->report_id, ==, 0);
  g_assert_cmpint (((PsParcelSummary *) g_ptr_array_index (first_day, 1))->report_id, >, 0);

  g_autoptr (GPtrArray) none = ps_store_find_parcels (fixture->store, "XX000000000VN", &error);
  g_assert_cmpuint (none->len, ==, 0);

  /* The sender's history for the repeat-sender rule. */
  g_auto (GStrv) keys = ps_store_sender_history (fixture->store, "001090012345", T0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 3);
  g_autofree char *key = ps_risk_recipient_key ("Trần Thị Bình", "0234123456");
  g_assert_cmpstr (keys[0], ==, key);
  g_auto (GStrv) recent =
      ps_store_sender_history (fixture->store, "001090012345", T0 + DAY, &error);
  g_assert_cmpuint (g_strv_length (recent), ==, 1);
}

static void
test_detail_and_corrections (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  PsStore *store = fixture->store;

  gint64 held = record (fixture, "CP003000000VN", PS_DECISION_HELD, T0);
  gint64 report = query_int (fixture, "SELECT id FROM reports");
  g_assert_cmpint (ps_store_report_parcel (store, report, &error), ==, held);
  g_assert_cmpint (ps_store_add_custody_event (store, fixture->users.supervisor->actor, report,
                                               PS_CUSTODY_ASSESSMENT, "Bột trắng", NULL, NULL, NULL,
                                               T0 + 500, &error),
                   >, 0);

  g_autoptr (PsParcelDetail) detail = ps_store_get_parcel (store, held, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detail->tracking, ==, "CP003000000VN");
  g_assert_cmpint (detail->decision, ==, PS_DECISION_HELD);
  g_assert_cmpstr (detail->clerk_login, ==, "lan");
  g_assert_cmpstr (detail->clerk_name, ==, "Nguyễn Thị Lan");
  g_assert_cmpstr (detail->sender_name, ==, "Nguyễn Văn An");
  g_assert_cmpstr (detail->recipient_phone, ==, "0234123456");
  g_assert_true (detail->has_weight);
  g_assert_cmpint (detail->weight_mg, ==, 1250000);
  g_assert_cmpstr (detail->category, ==, "gift");
  g_assert_cmpstr (detail->hold_reasons, ==, "concealment");
  g_assert_cmpuint (detail->answers->len, ==, 7);
  PsAnswerRecord *concealment = g_ptr_array_index (detail->answers, 5);
  g_assert_cmpstr (concealment->item_id, ==, "no_concealment");
  g_assert_cmpint (concealment->answer, ==, PS_ANSWER_NO);
  g_assert_cmpint (detail->report_id, ==, report);
  g_assert_cmpint (detail->report_status, ==, PS_REPORT_ASSESSED);
  g_assert_cmpuint (detail->custody->len, ==, 2);
  PsCustodyRecord *assessment = g_ptr_array_index (detail->custody, 1);
  g_assert_cmpint (assessment->kind, ==, PS_CUSTODY_ASSESSMENT);
  g_assert_cmpstr (assessment->actor_login, ==, "minh");
  g_assert_cmpuint (detail->outbox_pending, ==, 2);
  g_assert_false (detail->purged);

  g_assert_null (ps_store_get_parcel (store, 999, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A correction is a new entry; the decision itself is unchanged. */
  g_assert_cmpint (ps_store_add_correction (store, NULL, held, "x", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_correction (store, fixture->users.clerk->actor, held, " ", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_correction (store, fixture->users.clerk->actor, 999, "x", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (ps_store_add_correction (store, fixture->users.clerk->actor, held,
                                            "Khối lượng đúng là 1.350 kg (cân lại)", T0 + 10,
                                            &error),
                   >, 0);
  g_autoptr (PsParcelDetail) corrected = ps_store_get_parcel (store, held, &error);
  g_assert_cmpuint (corrected->corrections->len, ==, 1);
  g_assert_cmpint (corrected->weight_mg, ==, 1250000);
  assert_audit_whole (fixture);

  /* Editing the correction behind the program's back is found. */
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "UPDATE corrections SET note = 'Không có gì'", NULL, NULL, NULL);
  sqlite3_close (db);
  g_auto (PsAuditResult) result = { 0 };
  g_assert_true (ps_store_audit_verify (store, &result, &error));
  g_assert_cmpint (result.problem, ==, PS_AUDIT_RECORD_CHANGED);
  g_assert_nonnull (strstr (result.detail, "Correction"));

  /* The outbox summary for the header. */
  gint64 pending = -1, oldest = -1;
  g_assert_true (ps_store_outbox_summary (store, &pending, &oldest, &error));
  g_assert_cmpint (pending, ==, 2);
  g_assert_cmpint (oldest, ==, T0 + 100);
}

/* A long timeline (more rows than one INSERT takes) is stored whole and in
 * order: the digest recomputed from the rows still matches. */
static void
test_long_timeline (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  const PsActor *clerk = fixture->users.clerk->actor;
  g_autoptr (PsAcceptance) acceptance = ps_acceptance_new (
      fixture->data.checklist, fixture->data.rules, fixture->data.reasons, NULL, clerk, T0);
  g_autoptr (PsTracking) tracking = ps_tracking_parse ("EE471108151FR", -1, NULL, NULL);
  g_assert_true (ps_acceptance_set_tracking (acceptance, tracking, T0 + 1, &error));
  /* The clerk types the sender again and again: an event each time. */
  for (guint i = 0; i < 75; i++)
    g_assert_true (ps_acceptance_set_sender_typed (acceptance, "001090012345", "Nguyễn Văn An",
                                                   "Số 1 Tràng Tiền, Hà Nội", "0912345678",
                                                   T0 + 2 + i, &error));
  g_assert_true (ps_acceptance_set_recipient (acceptance, "Trần Thị Bình", "12 Lê Lợi, Huế",
                                              "0234123456", "VN", T0 + 100, &error));
  g_assert_true (ps_acceptance_set_stable_weight (acceptance, 1250000, T0 + 101, &error));
  g_assert_true (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Quần áo", 3, 500000,
                                                T0 + 102, &error));
  for (guint i = 0; i < ps_checklist_get_n_items (fixture->data.checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (fixture->data.checklist, i);
      g_assert_true (
          ps_acceptance_answer (acceptance, item->id, item->passes, T0 + 110 + i, &error));
    }
  g_assert_true (ps_acceptance_accept (acceptance, NULL, T0 + 200, &error));
  g_assert_no_error (error);
  guint n_events = ps_acceptance_get_events (acceptance)->len;
  g_assert_cmpuint (n_events, >, 75);

  gint64 id = ps_store_record_decision (fixture->store, fixture->users.clerk, acceptance, &error);
  g_assert_no_error (error);
  g_autofree char *count = g_strdup_printf (
      "SELECT count(*) || ' ' || min(position) || ' ' || max(position) || ' ' || "
      "count(DISTINCT position) FROM parcel_events WHERE parcel_id = %" G_GINT64_FORMAT,
      id);
  g_autofree char *stored = ps_test_query (fixture->path, count);
  g_autofree char *expected = g_strdup_printf ("%u 0 %u %u", n_events, n_events - 1, n_events);
  g_assert_cmpstr (stored, ==, expected);
  g_autofree char *last =
      g_strdup_printf ("SELECT kind FROM parcel_events WHERE parcel_id = %" G_GINT64_FORMAT
                       " ORDER BY position DESC LIMIT 1",
                       id);
  g_autofree char *last_kind = ps_test_query (fixture->path, last);
  g_assert_cmpstr (last_kind, ==, "accepted");
  assert_audit_whole (fixture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD_STORE_TEST ("/store/decisions/record", test_record_decisions, WITH_USERS);
  ADD_STORE_TEST ("/store/decisions/retry", test_decision_retry_is_idempotent, WITH_USERS);
  ADD_STORE_TEST ("/store/decisions/long-timeline", test_long_timeline, WITH_USERS);
  ADD_STORE_TEST ("/store/decisions/roles", test_decision_roles, WITH_USERS);
  ADD_STORE_TEST ("/store/reports/custody", test_custody, WITH_USERS);
  ADD_STORE_TEST ("/store/reports/lists", test_lists, WITH_USERS);
  ADD_STORE_TEST ("/store/detail-and-corrections", test_detail_and_corrections, WITH_USERS);
  return g_test_run ();
}
