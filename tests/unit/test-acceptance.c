/* test-acceptance.c — every transition of the acceptance state machine, and
 * every refused one. */
#include "parcelscreen/parcelscreen.h"
#include "ps-config.h"
#include "ps-data-files.h"

#include <string.h>

#define T0       G_GINT64_CONSTANT (1795000000000000)
#define MAN_1990 "001090012345"

typedef struct
{
  PsChecklist *checklist;
  PsRules *rules;
  PsReasons *reasons;
  PsWatchlist *watchlist;
  PsActor *clerk;
  PsActor *supervisor;
  PsAcceptance *acceptance;
  guint n_changed;
} Fixture;

static void
changed_cb (PsAcceptance *acceptance, Fixture *fixture)
{
  (void) acceptance;
  fixture->n_changed++;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (PsConfig) config = ps_config_load_files (NULL, &error);
  g_assert_no_error (error);

  fixture->checklist = ps_load_checklist (config, &error);
  g_assert_no_error (error);
  fixture->rules = ps_load_rules (config, &error);
  g_assert_no_error (error);
  fixture->reasons = ps_load_reasons (config, &error);
  g_assert_no_error (error);
  const char *watch = "id 079090000001\n";
  fixture->watchlist = ps_watchlist_parse (watch, strlen (watch), "w", &error);
  g_assert_no_error (error);

  fixture->clerk = ps_actor_new (1, "lan", PS_ROLE_CLERK);
  fixture->supervisor = ps_actor_new (2, "minh", PS_ROLE_SUPERVISOR);
  fixture->acceptance = ps_acceptance_new (fixture->checklist, fixture->rules, fixture->reasons,
                                           fixture->watchlist, fixture->clerk, T0);
  g_signal_connect (fixture->acceptance, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_object_unref (fixture->acceptance);
  ps_checklist_unref (fixture->checklist);
  ps_rules_unref (fixture->rules);
  ps_reasons_unref (fixture->reasons);
  ps_watchlist_unref (fixture->watchlist);
  ps_actor_free (fixture->clerk);
  ps_actor_free (fixture->supervisor);
}

static void
assert_refused (gboolean result, GError *error, int code, const char *fragment)
{
  g_assert_false (result);
  g_assert_error (error, PS_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("‘%s’ does not contain ‘%s’", error->message, fragment);
}

#define REFUSED(call, code, fragment)                                                              \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (GError) error = NULL;                                                               \
    gboolean _ok = call;                                                                           \
    assert_refused (_ok, error, code, fragment);                                                   \
  }                                                                                                \
  G_STMT_END

#define OK(call)                                                                                   \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (GError) error = NULL;                                                               \
    gboolean _ok = call;                                                                           \
    g_assert_no_error (error);                                                                     \
    g_assert_true (_ok);                                                                           \
  }                                                                                                \
  G_STMT_END

static void
scan_tracking (PsAcceptance *acceptance, const char *code)
{
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (PsTracking) tracking = ps_tracking_parse (code, -1, NULL, &parse_error);
  g_assert_no_error (parse_error);
  OK (ps_acceptance_set_tracking (acceptance, tracking, T0 + 1, &error));
}

static void
scan_sender (PsAcceptance *acceptance, const char *id)
{
  g_autoptr (GError) parse_error = NULL;
  g_autofree char *payload =
      g_strdup_printf ("%s||Nguyễn Văn An|15031990|Nam|Số 1 Tràng Tiền, Hà Nội|20042021", id);
  g_autoptr (PsCccd) cccd = ps_cccd_parse (payload, -1, NULL, &parse_error);
  g_assert_no_error (parse_error);
  OK (ps_acceptance_set_sender_cccd (acceptance, cccd, "0912 345 678", T0 + 2, &error));
}

/* Everything up to the inspection, with harmless data. */
static void
fill_until_inspection (PsAcceptance *acceptance)
{
  scan_tracking (acceptance, "EE471108151FR");
  scan_sender (acceptance, MAN_1990);
  OK (ps_acceptance_set_recipient (acceptance, "Trần Thị Bình", "12 Lê Lợi, Huế", "0234 123 456",
                                   NULL, T0 + 3, &error));
  OK (ps_acceptance_set_stable_weight (acceptance, 1250000, T0 + 4, &error));
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Quần áo trẻ em", 3, 500000,
                                     T0 + 5, &error));
}

static void
answer_all (PsAcceptance *acceptance, PsAnswer answer)
{
  PsChecklist *checklist = ps_acceptance_get_checklist (acceptance);
  for (guint i = 0; i < ps_checklist_get_n_items (checklist); i++)
    OK (ps_acceptance_answer (acceptance, ps_checklist_get_item (checklist, i)->id, answer,
                              T0 + 10 + i, &error));
}

/* The current step is @step; the steps before it are done, the others not,
 * and the inspection opens only once the sender and the declaration are in
 * (here the recipient and the weight come before the declaration). */
static void
assert_step (PsAcceptance *acceptance, PsStep step)
{
  g_assert_cmpint (ps_acceptance_get_step (acceptance), ==, step);
  for (PsStep s = PS_STEP_ITEM; s <= PS_STEP_DECISION; s++)
    g_assert_cmpint (ps_acceptance_step_is_done (acceptance, s), ==, s < step);
  if (step != PS_STEP_DONE) /* decided: nothing more is answered */
    g_assert_cmpint (ps_acceptance_can_inspect (acceptance, NULL), ==, step >= PS_STEP_INSPECTION);
}

static void
test_happy_path (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  assert_step (acceptance, PS_STEP_ITEM);
  scan_tracking (acceptance, "EE471108151FR");
  assert_step (acceptance, PS_STEP_SENDER);
  scan_sender (acceptance, MAN_1990);
  assert_step (acceptance, PS_STEP_RECIPIENT);
  OK (ps_acceptance_set_recipient (acceptance, "Trần Thị Bình", "12 Lê Lợi, Huế", "0234 123 456",
                                   "vn", T0 + 3, &error));
  assert_step (acceptance, PS_STEP_WEIGHT);
  OK (ps_acceptance_set_stable_weight (acceptance, 1250000, T0 + 4, &error));
  assert_step (acceptance, PS_STEP_DECLARATION);
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Quần áo trẻ em", 3, 500000,
                                     T0 + 5, &error));
  assert_step (acceptance, PS_STEP_INSPECTION);
  answer_all (acceptance, PS_ANSWER_YES);
  assert_step (acceptance, PS_STEP_DECISION);
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 0);
  g_assert_false (ps_acceptance_needs_override (acceptance));
  OK (ps_acceptance_can_accept (acceptance, NULL, &error));
  OK (ps_acceptance_accept (acceptance, NULL, T0 + 100, &error));
  assert_step (acceptance, PS_STEP_DONE);
  g_assert_true (ps_acceptance_step_is_done (acceptance, PS_STEP_DECISION));
  g_assert_cmpint (ps_acceptance_get_decision (acceptance), ==, PS_DECISION_ACCEPTED);

  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  g_assert_cmpstr (record->tracking->code, ==, "EE471108151FR");
  g_assert_cmpint (record->sender_source, ==, PS_SENDER_FROM_CCCD_SCAN);
  g_assert_cmpstr (record->sender_id, ==, MAN_1990);
  g_assert_cmpstr (record->sender_name, ==, "Nguyễn Văn An");
  g_assert_cmpstr (record->sender_phone, ==, "0912345678");
  g_assert_cmpstr (record->recipient_phone, ==, "0234123456");
  g_assert_cmpstr (record->destination_country, ==, "VN");
  g_assert_cmpint (record->weight_source, ==, PS_WEIGHT_SOURCE_SCALE);
  g_assert_cmpint (record->weight_mg, ==, 1250000);
  g_assert_cmpint (record->category, ==, PS_CATEGORY_GIFT);
  g_assert_cmpuint (record->quantity, ==, 3);
  g_assert_cmpint (record->decided_us, ==, T0 + 100);
  g_assert_cmpint (record->answers[0], ==, PS_ANSWER_YES);
  g_assert_cmpint (record->answered_us[6], ==, T0 + 16);
  g_assert_null (record->override_by);
  g_assert_cmpuint (record->risk_threshold, ==, 50);

  /* The timeline: one event per change, with the times given, without the
   * sender's or recipient's personal data. */
  GPtrArray *events = ps_acceptance_get_events (acceptance);
  g_assert_cmpuint (events->len, ==, 6 + 7);
  g_assert_cmpuint (fixture->n_changed, ==, 6 + 7);
  const PsAcceptanceEvent *first = g_ptr_array_index (events, 0);
  g_assert_cmpstr (first->kind, ==, "tracking");
  g_assert_cmpint (first->time_us, ==, T0 + 1);
  const PsAcceptanceEvent *last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (last->kind, ==, "accepted");
  for (guint i = 0; i < events->len; i++)
    {
      const PsAcceptanceEvent *event = g_ptr_array_index (events, i);
      g_assert_null (strstr (event->summary, MAN_1990));
      g_assert_null (strstr (event->summary, "Nguyễn"));
      g_assert_null (strstr (event->summary, "Bình"));
      g_assert_null (strstr (event->summary, "0912"));
    }
}

static void
test_nothing_before_tracking (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;
  const char *first = "Scan or type the tracking number first";
  const char *reasons[] = { "suspected-drugs", NULL };

  REFUSED (ps_acceptance_set_sender_typed (acceptance, MAN_1990, "An", "HN", NULL, T0, &error),
           PS_ERROR_NOT_ALLOWED, first);
  REFUSED (ps_acceptance_set_recipient (acceptance, "B", "HN", "0912345678", NULL, T0, &error),
           PS_ERROR_NOT_ALLOWED, first);
  REFUSED (ps_acceptance_set_stable_weight (acceptance, 1000, T0, &error), PS_ERROR_NOT_ALLOWED,
           first);
  REFUSED (ps_acceptance_set_manual_weight (acceptance, 1000, PS_MANUAL_WEIGHT_NO_SCALE, NULL, T0,
                                            &error),
           PS_ERROR_NOT_ALLOWED, first);
  REFUSED (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "x", 1, 0, T0, &error),
           PS_ERROR_NOT_ALLOWED, first);
  REFUSED (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_YES, T0, &error),
           PS_ERROR_NOT_ALLOWED, first);
  REFUSED (ps_acceptance_accept (acceptance, NULL, T0, &error), PS_ERROR_NOT_ALLOWED, first);
  REFUSED (ps_acceptance_refuse (acceptance, "packing", NULL, T0, &error), PS_ERROR_NOT_ALLOWED,
           first);
  REFUSED (ps_acceptance_hold (acceptance, reasons, NULL, T0, &error), PS_ERROR_NOT_ALLOWED, first);
  g_assert_cmpuint (fixture->n_changed, ==, 0);
  g_assert_cmpuint (ps_acceptance_get_events (acceptance)->len, ==, 0);
}

static void
test_second_tracking (Fixture *fixture, gconstpointer data)
{
  (void) data;
  scan_tracking (fixture->acceptance, "EE471108151FR");
  g_autoptr (PsTracking) other = ps_tracking_parse ("RB123456785US", -1, NULL, NULL);
  REFUSED (ps_acceptance_set_tracking (fixture->acceptance, other, T0, &error),
           PS_ERROR_NOT_ALLOWED, "starts a new acceptance");
  g_assert_cmpstr (ps_acceptance_get_record (fixture->acceptance)->tracking->code, ==,
                   "EE471108151FR");
}

static void
test_inspection_needs_sender_and_declaration (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  scan_tracking (acceptance, "EE471108151FR");
  REFUSED (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_YES, T0, &error),
           PS_ERROR_NOT_ALLOWED, "Identify the sender and record the declaration");
  scan_sender (acceptance, MAN_1990);
  REFUSED (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_YES, T0, &error),
           PS_ERROR_NOT_ALLOWED, "record the declaration");
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_DOCUMENTS, "Hồ sơ", 1, 0, T0, &error));
  OK (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_YES, T0, &error));
  REFUSED (ps_acceptance_answer (acceptance, "colour", PS_ANSWER_YES, T0, &error),
           PS_ERROR_INVALID_INPUT, "no item ‘colour’");
  REFUSED (ps_acceptance_answer (acceptance, "consent", (PsAnswer) 7, T0, &error),
           PS_ERROR_INVALID_INPUT, "yes or no");

  /* Weight and recipient may come after the inspection, but accepting waits for them. */
  answer_all (acceptance, PS_ANSWER_YES);
  REFUSED (ps_acceptance_accept (acceptance, NULL, T0, &error), PS_ERROR_NOT_ALLOWED,
           "Enter the recipient");
}

static void
test_accept_needs_every_step (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  scan_tracking (acceptance, "EE471108151FR");
  REFUSED (ps_acceptance_can_accept (acceptance, NULL, &error), PS_ERROR_NOT_ALLOWED,
           "Identify the sender");
  OK (ps_acceptance_set_sender_typed (acceptance, MAN_1990, "Nguyễn Văn An", "Hà Nội", NULL, T0,
                                      &error));
  REFUSED (ps_acceptance_can_accept (acceptance, NULL, &error), PS_ERROR_NOT_ALLOWED,
           "Enter the recipient");
  OK (ps_acceptance_set_recipient (acceptance, "B", "Huế", "0912345678", "VN", T0, &error));
  REFUSED (ps_acceptance_can_accept (acceptance, NULL, &error), PS_ERROR_NOT_ALLOWED,
           "Weigh the parcel");
  OK (ps_acceptance_set_stable_weight (acceptance, 500000, T0, &error));
  REFUSED (ps_acceptance_can_accept (acceptance, NULL, &error), PS_ERROR_NOT_ALLOWED,
           "Record the declaration");
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Sách", 2, 0, T0, &error));
  REFUSED (ps_acceptance_can_accept (acceptance, NULL, &error), PS_ERROR_NOT_ALLOWED,
           "not answered yet: “The sender is present");

  /* No default answers: each item needs its own. */
  PsChecklist *checklist = ps_acceptance_get_checklist (acceptance);
  for (guint i = 0; i + 1 < ps_checklist_get_n_items (checklist); i++)
    OK (ps_acceptance_answer (acceptance, ps_checklist_get_item (checklist, i)->id, PS_ANSWER_YES,
                              T0, &error));
  REFUSED (ps_acceptance_accept (acceptance, NULL, T0, &error), PS_ERROR_NOT_ALLOWED,
           "“The item was sealed in front of the sender”");
  OK (ps_acceptance_answer (acceptance, "sealed", PS_ANSWER_YES, T0, &error));
  /* Taking an answer back is an answer of "none": the accept waits again. */
  OK (ps_acceptance_answer (acceptance, "opened", PS_ANSWER_NONE, T0, &error));
  g_assert_cmpint (ps_acceptance_get_step (acceptance), ==, PS_STEP_INSPECTION);
  REFUSED (ps_acceptance_accept (acceptance, NULL, T0, &error), PS_ERROR_NOT_ALLOWED,
           "not answered yet");
  OK (ps_acceptance_answer (acceptance, "opened", PS_ANSWER_YES, T0, &error));
  OK (ps_acceptance_accept (acceptance, NULL, T0, &error));
  g_assert_cmpint (ps_acceptance_get_record (acceptance)->sender_source, ==, PS_SENDER_TYPED);
}

static void
test_refused_consent (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  fill_until_inspection (acceptance);
  OK (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_NO, T0, &error));
  REFUSED (ps_acceptance_can_accept (acceptance, NULL, &error), PS_ERROR_NOT_ALLOWED,
           "not answered yet");
  answer_all (acceptance, PS_ANSWER_YES);
  OK (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_NO, T0, &error));
  REFUSED (ps_acceptance_accept (acceptance, fixture->supervisor, T0, &error), PS_ERROR_NOT_ALLOWED,
           "Refuse the parcel");
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 50);

  REFUSED (ps_acceptance_refuse (acceptance, NULL, NULL, T0, &error), PS_ERROR_INVALID_INPUT,
           "Choose a reason");
  REFUSED (ps_acceptance_refuse (acceptance, "suspected-drugs", NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "Choose a reason");
  REFUSED (ps_acceptance_refuse (acceptance, "other", "  ", T0, &error), PS_ERROR_INVALID_INPUT,
           "The note is required");
  OK (ps_acceptance_refuse (acceptance, "consent-refused", NULL, T0 + 50, &error));

  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  g_assert_cmpint (record->decision, ==, PS_DECISION_REFUSED);
  g_assert_cmpstr (record->refuse_reason, ==, "consent-refused");
  g_assert_null (record->decision_note);
}

static void
test_hold_item_failed (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  fill_until_inspection (acceptance);
  answer_all (acceptance, PS_ANSWER_YES);
  OK (ps_acceptance_answer (acceptance, "no_prohibited", PS_ANSWER_NO, T0, &error));
  REFUSED (ps_acceptance_accept (acceptance, fixture->supervisor, T0, &error), PS_ERROR_NOT_ALLOWED,
           "Hold the parcel");
  /* A hold item failed: the parcel goes back to the sender only as
   * "prohibited goods not to be held", with a note. */
  REFUSED (ps_acceptance_refuse (acceptance, "packing", NULL, T0, &error), PS_ERROR_NOT_ALLOWED,
           "must be held");
  REFUSED (ps_acceptance_refuse (acceptance, "prohibited-not-held", NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "note is required");
  OK (ps_acceptance_can_hold (acceptance, &error));
  OK (ps_acceptance_refuse (acceptance, "prohibited-not-held", "Bình xịt côn trùng", T0, &error));
  g_assert_cmpstr (ps_acceptance_get_record (acceptance)->decision_note, ==, "Bình xịt côn trùng");
}

static void
test_hold (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;
  const char *none[] = { NULL };
  const char *unknown[] = { "suspected-drugs", "packing", NULL };
  const char *other[] = { "other", NULL };
  const char *twice[] = { "suspected-drugs", "concealment", "suspected-drugs", NULL };

  fill_until_inspection (acceptance);
  guint before = ps_acceptance_get_risk_score (acceptance);
  OK (ps_acceptance_answer (acceptance, "no_concealment", PS_ANSWER_NO, T0, &error));

  /* The failed item is the strongest risk indicator, with its reason: the
   * risk panel no longer says "no risk indicator" beside it, and the held
   * parcel is stored with its score (issue 11, defect 5). */
  const PsAcceptanceRecord *before_hold = ps_acceptance_get_record (acceptance);
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), >=,
                    before + before_hold->risk_threshold);
  GPtrArray *hits = ps_acceptance_get_risk_hits (acceptance);
  gboolean named = FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (hits, i);
      if (g_strcmp0 (hit->rule_id, "inspection-no_concealment") == 0)
        named = g_str_has_prefix (hit->reason_en, "Inspection failed: ") &&
                g_str_has_prefix (hit->reason_vi, "Kiểm tra không đạt: ");
    }
  g_assert_true (named);

  REFUSED (ps_acceptance_hold (acceptance, none, NULL, T0, &error), PS_ERROR_INVALID_INPUT,
           "at least one reason");
  REFUSED (ps_acceptance_hold (acceptance, NULL, NULL, T0, &error), PS_ERROR_INVALID_INPUT,
           "at least one reason");
  REFUSED (ps_acceptance_hold (acceptance, unknown, NULL, T0, &error), PS_ERROR_INVALID_INPUT,
           "‘packing’ is not a reason for holding");
  REFUSED (ps_acceptance_hold (acceptance, other, NULL, T0, &error), PS_ERROR_INVALID_INPUT,
           "note is required");
  g_autofree char *long_note = g_strnfill (PS_NOTE_MAX_CHARS + 1, 'x');
  REFUSED (ps_acceptance_hold (acceptance, twice, long_note, T0, &error), PS_ERROR_INVALID_INPUT,
           "too long");
  g_assert_cmpint (ps_acceptance_get_decision (acceptance), ==, PS_DECISION_NONE);

  OK (ps_acceptance_hold (acceptance, twice, "Bột trắng trong hộp trà", T0 + 60, &error));
  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  g_assert_cmpint (record->decision, ==, PS_DECISION_HELD);
  g_assert_cmpuint (g_strv_length (record->hold_reasons), ==, 2);
  g_assert_cmpstr (record->hold_reasons[0], ==, "suspected-drugs");
  g_assert_cmpstr (record->hold_reasons[1], ==, "concealment");
  g_assert_cmpint (record->decided_us, ==, T0 + 60);
}

static void
test_decided_is_final (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;
  const char *reasons[] = { "other", NULL };
  const char *final = "already been decided";

  scan_tracking (acceptance, "EE471108151FR");
  OK (ps_acceptance_refuse (acceptance, "missing-details", NULL, T0, &error));
  guint n_events = ps_acceptance_get_events (acceptance)->len;

  g_autoptr (PsTracking) other = ps_tracking_parse ("RB123456785US", -1, NULL, NULL);
  REFUSED (ps_acceptance_set_tracking (acceptance, other, T0, &error), PS_ERROR_NOT_ALLOWED, final);
  REFUSED (ps_acceptance_set_sender_typed (acceptance, MAN_1990, "A", "B", NULL, T0, &error),
           PS_ERROR_NOT_ALLOWED, final);
  REFUSED (ps_acceptance_set_recipient (acceptance, "B", "HN", "0912345678", NULL, T0, &error),
           PS_ERROR_NOT_ALLOWED, final);
  REFUSED (ps_acceptance_set_stable_weight (acceptance, 1000, T0, &error), PS_ERROR_NOT_ALLOWED,
           final);
  REFUSED (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "x", 1, 0, T0, &error),
           PS_ERROR_NOT_ALLOWED, final);
  REFUSED (ps_acceptance_answer (acceptance, "consent", PS_ANSWER_YES, T0, &error),
           PS_ERROR_NOT_ALLOWED, final);
  REFUSED (ps_acceptance_accept (acceptance, fixture->supervisor, T0, &error), PS_ERROR_NOT_ALLOWED,
           final);
  REFUSED (ps_acceptance_refuse (acceptance, "packing", NULL, T0, &error), PS_ERROR_NOT_ALLOWED,
           final);
  REFUSED (ps_acceptance_hold (acceptance, reasons, "x", T0, &error), PS_ERROR_NOT_ALLOWED, final);
  REFUSED (ps_acceptance_can_hold (acceptance, &error), PS_ERROR_NOT_ALLOWED, final);
  g_assert_cmpuint (ps_acceptance_get_events (acceptance)->len, ==, n_events);
  g_assert_cmpint (ps_acceptance_get_record (acceptance)->decision, ==, PS_DECISION_REFUSED);
}

static void
test_supervisor_override (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  /* A watch-listed sender (60) crosses the threshold of 50. */
  scan_tracking (acceptance, "EE471108151FR");
  scan_sender (acceptance, "079090000001");
  OK (ps_acceptance_set_recipient (acceptance, "B", "Huế", "0912345678", NULL, T0, &error));
  OK (ps_acceptance_set_stable_weight (acceptance, 800000, T0, &error));
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Áo", 1, 0, T0, &error));
  answer_all (acceptance, PS_ANSWER_YES);

  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 60);
  g_assert_true (ps_acceptance_needs_override (acceptance));
  GPtrArray *hits = ps_acceptance_get_risk_hits (acceptance);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((PsRiskHit *) g_ptr_array_index (hits, 0))->rule_id, ==, "watch-id");

  REFUSED (ps_acceptance_accept (acceptance, NULL, T0, &error), PS_ERROR_NEEDS_APPROVAL,
           "risk score is 60, at or above the threshold of 50");

  g_autoptr (PsActor) clerk_as_override = ps_actor_new (7, "hoa", PS_ROLE_CLERK);
  REFUSED (ps_acceptance_accept (acceptance, clerk_as_override, T0, &error), PS_ERROR_PERMISSION,
           "Only a supervisor");
  g_autoptr (PsActor) admin = ps_actor_new (8, "it", PS_ROLE_ADMIN);
  REFUSED (ps_acceptance_accept (acceptance, admin, T0, &error), PS_ERROR_PERMISSION,
           "Only a supervisor");
  g_autoptr (PsActor) self_approval = ps_actor_new (1, "lan", PS_ROLE_SUPERVISOR);
  REFUSED (ps_acceptance_accept (acceptance, self_approval, T0, &error), PS_ERROR_PERMISSION,
           "their own acceptance");

  OK (ps_acceptance_accept (acceptance, fixture->supervisor, T0 + 9, &error));
  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);
  g_assert_nonnull (record->override_by);
  g_assert_cmpint (record->override_by->user_id, ==, 2);
  g_assert_cmpuint (record->risk_score, ==, 60);
}

static void
test_changes_clear_answers (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;
  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);

  fill_until_inspection (acceptance);
  answer_all (acceptance, PS_ANSWER_YES);

  /* The same declaration again changes nothing. */
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Quần áo trẻ em", 3, 500000, T0,
                                     &error));
  g_assert_cmpint (record->answers[3], ==, PS_ANSWER_YES);

  /* Other contents: the answers were about something else. */
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Trà khô", 3, 500000, T0,
                                     &error));
  g_assert_cmpint (record->answers[3], ==, PS_ANSWER_NONE);
  g_assert_cmpint (ps_acceptance_get_step (acceptance), ==, PS_STEP_INSPECTION);
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 20);

  answer_all (acceptance, PS_ANSWER_YES);
  /* What the card holds but no screen shows is not kept: the date of birth
   * and sex (issue 11: the least personal data that serves the purpose). */
  g_assert_cmpuint (record->sender_birth_date.year, ==, 0);
  g_assert_cmpint (record->sender_sex, ==, PS_SEX_UNKNOWN);
  g_assert_null (record->sender_old_id);
  /* The same person scanned again keeps them; another person clears them. */
  scan_sender (acceptance, MAN_1990);
  g_assert_cmpint (record->answers[0], ==, PS_ANSWER_YES);
  OK (ps_acceptance_set_sender_typed (acceptance, "020301004567", "Trần Thị Bình", "Lạng Sơn", NULL,
                                      T0, &error));
  g_assert_cmpint (record->answers[0], ==, PS_ANSWER_NONE);
  g_assert_cmpuint (record->sender_birth_date.year, ==, 0);

  /* A new weight keeps the answers. */
  answer_all (acceptance, PS_ANSWER_YES);
  OK (ps_acceptance_set_stable_weight (acceptance, 1300000, T0, &error));
  g_assert_cmpint (record->answers[0], ==, PS_ANSWER_YES);

  gboolean cleared = FALSE;
  GPtrArray *events = ps_acceptance_get_events (acceptance);
  for (guint i = 0; i < events->len; i++)
    cleared |= g_strcmp0 (((PsAcceptanceEvent *) g_ptr_array_index (events, i))->kind,
                          "answers-cleared") == 0;
  g_assert_true (cleared);
}

static void
test_manual_weight (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;
  const PsAcceptanceRecord *record = ps_acceptance_get_record (acceptance);

  scan_tracking (acceptance, "EE471108151FR");
  REFUSED (
      ps_acceptance_set_manual_weight (acceptance, 0, PS_MANUAL_WEIGHT_NO_SCALE, NULL, T0, &error),
      PS_ERROR_INVALID_INPUT, "more than zero");
  REFUSED (ps_acceptance_set_manual_weight (acceptance, 1000, (PsManualWeightReason) 99, NULL, T0,
                                            &error),
           PS_ERROR_INVALID_INPUT, "Choose why");
  REFUSED (
      ps_acceptance_set_manual_weight (acceptance, 1000, PS_MANUAL_WEIGHT_OTHER, "", T0, &error),
      PS_ERROR_INVALID_INPUT, "is required");
  OK (ps_acceptance_set_manual_weight (acceptance, 2000000, PS_MANUAL_WEIGHT_SCALE_FAULT,
                                       "Cân báo lỗi E3", T0, &error));
  g_assert_cmpint (record->weight_source, ==, PS_WEIGHT_SOURCE_MANUAL);
  g_assert_cmpint (record->manual_weight_reason, ==, PS_MANUAL_WEIGHT_SCALE_FAULT);
  g_assert_cmpstr (record->manual_weight_note, ==, "Cân báo lỗi E3");
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 10);

  /* The scale comes back: its reading replaces the typed one. */
  OK (ps_acceptance_set_stable_weight (acceptance, 1990000, T0, &error));
  g_assert_cmpint (record->weight_source, ==, PS_WEIGHT_SOURCE_SCALE);
  g_assert_null (record->manual_weight_note);
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 0);

  REFUSED (ps_acceptance_set_stable_weight (acceptance, -5, T0, &error), PS_ERROR_INVALID_INPUT,
           "more than zero");
  REFUSED (ps_acceptance_set_stable_weight (acceptance, PS_WEIGHT_MAX_MG + 1, T0, &error),
           PS_ERROR_INVALID_INPUT, "out of range");
}

static void
test_invalid_input (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;

  scan_tracking (acceptance, "EE471108151FR");
  REFUSED (ps_acceptance_set_sender_typed (acceptance, "12345", "A", "B", NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "12 digits");
  REFUSED (ps_acceptance_set_sender_typed (acceptance, MAN_1990, "", "B", NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "sender's name is required");
  REFUSED (ps_acceptance_set_sender_typed (acceptance, MAN_1990, "A", NULL, NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "sender's address is required");
  REFUSED (ps_acceptance_set_sender_typed (acceptance, MAN_1990, "A", "B", "12ab", T0, &error),
           PS_ERROR_INVALID_INPUT, "only digits");
  REFUSED (ps_acceptance_set_recipient (acceptance, "B", "Huế", NULL, NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "recipient's phone is required");
  REFUSED (ps_acceptance_set_recipient (acceptance, "B", "Huế", "123", NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "8 to 15 digits");
  REFUSED (ps_acceptance_set_recipient (acceptance, "B", "Huế", "0912345678", "XX", T0, &error),
           PS_ERROR_INVALID_INPUT, "XX is not an ISO 3166-1");
  REFUSED (ps_acceptance_set_recipient (acceptance, "B", "Huế", "0912345678", "VNM", T0, &error),
           PS_ERROR_INVALID_INPUT, "too long");
  REFUSED (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, " ", 1, 0, T0, &error),
           PS_ERROR_INVALID_INPUT, "description of the contents is required");
  REFUSED (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "x", 0, 0, T0, &error),
           PS_ERROR_INVALID_INPUT, "quantity");
  REFUSED (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "x", 1, -1, T0, &error),
           PS_ERROR_INVALID_INPUT, "value");
  REFUSED (ps_acceptance_set_declaration (acceptance, (PsCategory) 42, "x", 1, 0, T0, &error),
           PS_ERROR_INVALID_INPUT, "category");
  g_autofree char *huge = g_strnfill (10000, 'x');
  REFUSED (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, huge, 1, 0, T0, &error),
           PS_ERROR_INVALID_INPUT, "too long");
  REFUSED (ps_acceptance_set_recipient (acceptance, "\xff", "Huế", "0912345678", NULL, T0, &error),
           PS_ERROR_INVALID_INPUT, "UTF-8");
  g_assert_cmpint (ps_acceptance_get_step (acceptance), ==, PS_STEP_SENDER);
  /* Only the tracking event happened; it says the number was typed (the
   * counter page marks a scanner's as scanned: issue 11). */
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  GPtrArray *events = ps_acceptance_get_events (acceptance);
  const PsAcceptanceEvent *first = g_ptr_array_index (events, 0);
  g_assert_cmpstr (first->kind, ==, "tracking");
  g_assert_true (g_str_has_suffix (first->summary, "(typed)"));
}

static void
test_history (Fixture *fixture, gconstpointer data)
{
  (void) data;
  PsAcceptance *acceptance = fixture->acceptance;
  const char *history[] = { "a|0900000001", "b|0900000002", "c|0900000003", "d|0900000004", NULL };

  fill_until_inspection (acceptance);
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 0);
  ps_acceptance_set_sender_history (acceptance, history);
  g_assert_cmpuint (ps_acceptance_get_risk_score (acceptance), ==, 25);
}

static void
test_names (void)
{
  g_assert_cmpstr (ps_step_to_id (PS_STEP_INSPECTION), ==, "inspection");
  g_assert_cmpstr (ps_step_label (PS_STEP_WEIGHT), ==, "Weight");
  g_assert_cmpstr (ps_decision_label (PS_DECISION_HELD), ==, "held");
  g_assert_cmpstr (ps_decision_label (PS_DECISION_NONE), ==, "—");
  g_assert_cmpstr (ps_decision_to_id (PS_DECISION_HELD), ==, "held");
  g_assert_cmpstr (ps_manual_weight_reason_to_id (PS_MANUAL_WEIGHT_NO_SCALE), ==, "no-scale");
  PsManualWeightReason reason;
  g_assert_true (ps_manual_weight_reason_from_id ("scale-fault", &reason));
  g_assert_cmpint (reason, ==, PS_MANUAL_WEIGHT_SCALE_FAULT);
  g_assert_false (ps_manual_weight_reason_from_id ("bored", &reason));
  g_assert_cmpstr (ps_role_to_id (PS_ROLE_SUPERVISOR), ==, "supervisor");
  PsRole role;
  g_assert_true (ps_role_from_id ("admin", &role));
  g_assert_cmpint (role, ==, PS_ROLE_ADMIN);
  g_assert_false (ps_role_from_id ("root", &role));
  PsCategory category;
  g_assert_true (ps_category_from_id ("sale-of-goods", &category));
  g_assert_cmpint (category, ==, PS_CATEGORY_SALE_OF_GOODS);
  g_assert_cmpstr (ps_category_label (PS_CATEGORY_DOCUMENTS), ==, "Documents");

  /* Every value of every enumeration has an id that names it back, and
   * nothing else is one. */
  GType types[] = { PS_TYPE_STEP,
                    PS_TYPE_DECISION,
                    PS_TYPE_WEIGHT_SOURCE,
                    PS_TYPE_MANUAL_WEIGHT_REASON,
                    PS_TYPE_SENDER_SOURCE,
                    PS_TYPE_ANSWER,
                    PS_TYPE_SEX,
                    PS_TYPE_CATEGORY,
                    PS_TYPE_ROLE,
                    PS_TYPE_SCALE_STATUS,
                    PS_TYPE_REPORT_STATUS,
                    PS_TYPE_CUSTODY_KIND,
                    PS_TYPE_INSTRUCTION_KIND,
                    PS_TYPE_INSTRUCTION_STATE };
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr (GEnumClass) klass = g_type_class_ref (types[t]);
      g_assert_cmpuint (klass->n_values, >, 1);
      for (guint v = 0; v < klass->n_values; v++)
        {
          const char *id = ps_enum_to_id (types[t], klass->values[v].value);
          g_assert_nonnull (id);
          g_assert_cmpint (ps_enum_from_id (types[t], id), ==, klass->values[v].value);
        }
      g_assert_null (ps_enum_to_id (types[t], 1000));
      g_assert_cmpint (ps_enum_from_id (types[t], "no-such-id"), ==, -1);
    }
  g_assert_cmpstr (ps_report_status_to_id (PS_REPORT_HANDED_OVER), ==, "handed-over");
  g_assert_cmpstr (ps_instruction_kind_to_id (PS_INSTRUCTION_REQUEST_INFO), ==, "request_info");
  g_assert_cmpstr (ps_scale_status_to_id (PS_SCALE_UNDER_ZERO), ==, "under-zero");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/acceptance/happy-path", test_happy_path);
  ADD ("/acceptance/nothing-before-tracking", test_nothing_before_tracking);
  ADD ("/acceptance/second-tracking", test_second_tracking);
  ADD ("/acceptance/inspection-needs-sender-and-declaration",
       test_inspection_needs_sender_and_declaration);
  ADD ("/acceptance/accept-needs-every-step", test_accept_needs_every_step);
  ADD ("/acceptance/refused-consent", test_refused_consent);
  ADD ("/acceptance/hold-item-failed", test_hold_item_failed);
  ADD ("/acceptance/hold", test_hold);
  ADD ("/acceptance/decided-is-final", test_decided_is_final);
  ADD ("/acceptance/supervisor-override", test_supervisor_override);
  ADD ("/acceptance/changes-clear-answers", test_changes_clear_answers);
  ADD ("/acceptance/manual-weight", test_manual_weight);
  ADD ("/acceptance/invalid-input", test_invalid_input);
  ADD ("/acceptance/history", test_history);
#undef ADD
  g_test_add_func ("/acceptance/names", test_names);
  return g_test_run ();
}
