/* test-data-files.c — the checklist, reasons, rules and watch-list formats,
 * the shipped defaults, and the risk evaluation. */
#include "parcelscreen/parcelscreen.h"
#include "ps-data-files.h"

#include <string.h>

/* Parses @text with @parse and checks that the error names @line and says @what. */
#define ASSERT_DATA_ERROR(parse, text, line, what)                                                 \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (GError) _error = NULL;                                                              \
    g_autofree char *_where = g_strdup_printf ("test.txt:%u:", (guint) (line));                    \
    gpointer _result = parse (text, strlen (text), "test.txt", &_error);                           \
    g_assert_null (_result);                                                                       \
    g_assert_error (_error, PS_ERROR, PS_ERROR_DATA_FILE);                                         \
    if (!g_str_has_prefix (_error->message, _where) || strstr (_error->message, what) == NULL)     \
      g_error ("expected ‘%s … %s’, got ‘%s’", _where, what, _error->message);                     \
  }                                                                                                \
  G_STMT_END

static char *
read_default (const char *name, gsize *len)
{
  g_autofree char *path = ps_data_path (name);
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return data;
}

static void
test_default_checklist (void)
{
  gsize len;
  g_autofree char *data = read_default ("checklist.txt", &len);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsChecklist) checklist = ps_checklist_parse (data, len, "checklist.txt", &error);
  g_assert_no_error (error);

  /* The seven items of DESIGN.md, in order, Vietnamese first. */
  const char *ids[] = { "consent",       "question",       "opened", "matches",
                        "no_prohibited", "no_concealment", "sealed" };
  const PsFailAction actions[] = { PS_FAIL_REFUSE, PS_FAIL_REFUSE, PS_FAIL_REFUSE, PS_FAIL_HOLD,
                                   PS_FAIL_HOLD,   PS_FAIL_HOLD,   PS_FAIL_REFUSE };
  g_assert_cmpuint (ps_checklist_get_n_items (checklist), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (checklist, i);
      g_assert_cmpstr (item->id, ==, ids[i]);
      g_assert_cmpint (item->passes, ==, PS_ANSWER_YES);
      g_assert_cmpint (item->on_fail, ==, actions[i]);
    }

  /* Continuation lines join with one blank. */
  const PsChecklistItem *question = ps_checklist_find (checklist, "question", NULL);
  g_assert_nonnull (strstr (question->text_vi, "chất dễ cháy, pin, tiền mặt"));
  g_assert_true (
      g_str_has_prefix (ps_checklist_get_item (checklist, 0)->text_vi, "Người gửi có mặt"));
  g_assert_cmpuint (strlen (ps_checklist_get_digest (checklist)), ==, 64);
  g_assert_cmpstr (ps_pick_language ("vi_VN", "vi", "en"), ==, "vi");
  g_assert_cmpstr (ps_pick_language ("en", "vi", "en"), ==, "en");
}

static void
test_checklist_errors (void)
{
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: a\nvi: x\nen: y\npasses: maybe\non-fail: hold\n", 4,
                     "‘passes’ must be");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: a\nvi: x\nen: y\npasses: yes\non-fail: ignore\n", 5,
                     "‘on-fail’ must be");
  ASSERT_DATA_ERROR (ps_checklist_parse, "# c\n\nid: a\nvi: x\npasses: yes\non-fail: hold\n", 3,
                     "has no ‘en’");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: a\nvi: x\nvi: y\n", 3, "appears twice");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: a\ncolour: red\n", 2, "unknown key ‘colour’");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: a\nthis is not a field\n", 2,
                     "expected ‘key: value’");
  ASSERT_DATA_ERROR (ps_checklist_parse, "  continued\n", 1, "continues no value");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: Bad Id\n", 1, "an id is");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id:\n", 1, "has no value");
  ASSERT_DATA_ERROR (ps_checklist_parse, "id: a\nvi: \xff\n", 2, "UTF-8");
  ASSERT_DATA_ERROR (ps_checklist_parse,
                     "id: a\nvi: x\nen: y\npasses: yes\non-fail: hold\n\n"
                     "id: a\nvi: x\nen: y\npasses: yes\non-fail: hold\n",
                     7, "listed twice");

  /* An empty file, or one of comments only, has no items. */
  g_autoptr (GError) error = NULL;
  g_assert_null (ps_checklist_parse ("# nothing\n", 10, "test.txt", &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_DATA_FILE);
  g_assert_nonnull (strstr (error->message, "no items"));
  g_clear_error (&error);

  /* NUL inside a line. */
  g_assert_null (ps_checklist_parse ("id: a\0b\n", 8, "test.txt", &error));
  g_assert_nonnull (strstr (error->message, "test.txt:1: the line contains a NUL byte"));
  g_clear_error (&error);

  /* Without the sender's consent item (or with one that lets a refusal
   * pass), a checklist is refused (issue 10, defect 12). */
  const char *no_consent = "id: a\nvi: x\nen: y\npasses: yes\non-fail: hold\n";
  g_assert_null (ps_checklist_parse (no_consent, strlen (no_consent), "c.txt", &error));
  g_assert_nonnull (strstr (error->message, "consent"));
  g_clear_error (&error);
  const char *lax = "id: consent\nvi: x\nen: y\npasses: yes\non-fail: hold\n";
  g_assert_null (ps_checklist_parse (lax, strlen (lax), "c.txt", &error));
  g_assert_nonnull (strstr (error->message, "consent"));
  g_clear_error (&error);

  /* CRLF line ends and a byte-order mark are fine. */
  const char *windows =
      "\xEF\xBB\xBFid: a\r\nvi: x\r\nen: y\r\npasses: no\r\non-fail: refuse\r\n\r\n"
      "id: consent\r\nvi: x\r\nen: y\r\npasses: yes\r\non-fail: refuse\r\n";
  g_autoptr (PsChecklist) checklist = ps_checklist_parse (windows, strlen (windows), "w", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_checklist_get_item (checklist, 0)->passes, ==, PS_ANSWER_NO);
  g_assert_cmpstr (ps_checklist_get_item (checklist, 0)->text_en, ==, "y");
}

static void
test_default_reasons (void)
{
  gsize len;
  g_autofree char *data = read_default ("reasons.txt", &len);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsReasons) reasons = ps_reasons_parse (data, len, "reasons.txt", &error);
  g_assert_no_error (error);

  const PsReason *drugs = ps_reasons_find (reasons, PS_REASON_HOLD, "suspected-drugs");
  g_assert_nonnull (drugs);
  g_assert_cmpstr (drugs->text_vi, ==, "Nghi vấn chứa ma túy");
  g_assert_false (drugs->needs_note);
  g_assert_true (ps_reasons_find (reasons, PS_REASON_HOLD, "other")->needs_note);
  g_assert_true (
      ps_reasons_find (reasons, PS_REASON_REFUSE, "prohibited-not-held")->after_hold_item);
  g_assert_nonnull (ps_reasons_find (reasons, PS_REASON_REFUSE, "consent-refused"));
  g_assert_null (ps_reasons_find (reasons, PS_REASON_REFUSE, "suspected-drugs"));
  g_assert_cmpuint (ps_reasons_get_n (reasons), ==, 12);
}

static void
test_reasons_errors (void)
{
  ASSERT_DATA_ERROR (ps_reasons_parse, "kind: delete\nid: x\n", 1, "‘kind’ must be");
  ASSERT_DATA_ERROR (ps_reasons_parse, "kind: hold\nid: x\nvi: a\nen: b\nnote: maybe\n", 5,
                     "‘note’ must be");
  ASSERT_DATA_ERROR (ps_reasons_parse, "kind: hold\nid: x\nvi: a\nen: b\nafter-hold-item: yes\n", 5,
                     "refusal reasons only");
  ASSERT_DATA_ERROR (ps_reasons_parse, "kind: hold\nid: x\nvi: a\nen: b\n\nkind: hold\nid: x\n", 7,
                     "listed twice");

  g_autoptr (GError) error = NULL;
  const char *only_hold = "kind: hold\nid: x\nvi: a\nen: b\n";
  g_assert_null (ps_reasons_parse (only_hold, strlen (only_hold), "test.txt", &error));
  g_assert_nonnull (strstr (error->message, "at least one refusal reason"));
}

static PsRules *
default_rules (void)
{
  gsize len;
  g_autofree char *data = read_default ("rules.txt", &len);
  g_autoptr (GError) error = NULL;
  PsRules *rules = ps_rules_parse (data, len, "rules.txt", &error);
  g_assert_no_error (error);
  return rules;
}

static gboolean
hits_contain (GPtrArray *hits, const char *rule_id)
{
  for (guint i = 0; i < hits->len; i++)
    if (strcmp (((PsRiskHit *) g_ptr_array_index (hits, i))->rule_id, rule_id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_default_rules (void)
{
  g_autoptr (PsRules) rules = default_rules ();
  g_assert_cmpuint (ps_rules_get_threshold (rules), ==, 50);
  g_assert_cmpuint (ps_rules_get_repeat_window_hours (rules), ==, 24);

  /* "TRÀ KHÔ" matches the rules for "trà" and "trà khô", in any case and
   * without diacritics; "trang phục" matches none. */
  PsRiskInput input = { .declaration = "Gói TRA KHO biếu bà",
                        .has_declaration = TRUE,
                        .category = PS_CATEGORY_GIFT };
  g_autoptr (GPtrArray) hits = ps_rules_evaluate (rules, NULL, &input);
  g_assert_true (hits_contain (hits, "word-tra"));
  g_assert_true (hits_contain (hits, "word-tra-kho"));
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpuint (ps_risk_total (hits), ==, 20);
  PsRiskHit *hit = g_ptr_array_index (hits, 1);
  g_assert_nonnull (strstr (hit->reason_vi, "trà khô"));
  g_assert_nonnull (strstr (hit->reason_en, "dried tea"));

  input.declaration = "Trang phục";
  g_autoptr (GPtrArray) none = ps_rules_evaluate (rules, NULL, &input);
  g_assert_cmpuint (none->len, ==, 0);

  /* Documents of 2.5 kg, typed by hand. */
  input.declaration = "Hồ sơ";
  input.category = PS_CATEGORY_DOCUMENTS;
  input.has_weight = TRUE;
  input.weight_mg = 2500000;
  input.weight_manual = TRUE;
  g_autoptr (GPtrArray) heavy = ps_rules_evaluate (rules, NULL, &input);
  g_assert_true (hits_contain (heavy, "weight-documents"));
  g_assert_true (hits_contain (heavy, "manual-weight"));
  g_assert_cmpuint (ps_risk_total (heavy), ==, 30);

  /* At the limit is not over it. */
  input.weight_mg = 2000000;
  input.weight_manual = FALSE;
  g_autoptr (GPtrArray) at_limit = ps_rules_evaluate (rules, NULL, &input);
  g_assert_cmpuint (at_limit->len, ==, 0);

  input.consent = PS_ANSWER_NO;
  g_autoptr (GPtrArray) refused = ps_rules_evaluate (rules, NULL, &input);
  g_assert_true (hits_contain (refused, "refused-consent"));
}

static void
test_watchlist (void)
{
  g_autoptr (PsRules) rules = default_rules ();
  const char *text = "# from the police\n"
                     "id 001090012345\n"
                     "phone +84 912 345 678\n"
                     "name Nguyễn Văn Xấu\n"
                     "place Mường Khương\n"
                     "country kh\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (PsWatchlist) watchlist = ps_watchlist_parse (text, strlen (text), "w.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps_watchlist_get_n (watchlist), ==, 5);

  PsRiskInput input = { .sender_id = "001090012345" };
  g_autoptr (GPtrArray) id_hit = ps_rules_evaluate (rules, watchlist, &input);
  g_assert_true (hits_contain (id_hit, "watch-id"));
  g_assert_cmpuint (ps_risk_total (id_hit), ==, 60);

  PsRiskInput phone = { .recipient_phone = "0912.345.678" };
  g_autoptr (GPtrArray) phone_hit = ps_rules_evaluate (rules, watchlist, &phone);
  g_assert_true (hits_contain (phone_hit, "watch-phone"));

  PsRiskInput name = { .recipient_name = "NGUYEN VAN XAU" };
  g_autoptr (GPtrArray) name_hit = ps_rules_evaluate (rules, watchlist, &name);
  g_assert_true (hits_contain (name_hit, "watch-name"));

  PsRiskInput place = { .recipient_address = "Thôn 3, xã Bản Lầu, huyện Mường Khương, Lào Cai",
                        .destination_country = "KH" };
  g_autoptr (GPtrArray) place_hit = ps_rules_evaluate (rules, watchlist, &place);
  g_assert_true (hits_contain (place_hit, "watch-place"));
  g_assert_true (hits_contain (place_hit, "watch-country"));

  PsRiskInput clean = { .sender_id = "001090012346",
                        .recipient_phone = "0912345679",
                        .recipient_name = "Nguyễn Văn Xuân",
                        .recipient_address = "Mường Tè" };
  g_autoptr (GPtrArray) no_hit = ps_rules_evaluate (rules, watchlist, &clean);
  g_assert_cmpuint (no_hit->len, ==, 0);

  ASSERT_DATA_ERROR (ps_watchlist_parse, "id 12345\n", 1, "12- or 9-digit");
  ASSERT_DATA_ERROR (ps_watchlist_parse, "\nphone 12\n", 2, "8 to 15 digits");
  ASSERT_DATA_ERROR (ps_watchlist_parse, "vehicle 29A12345\n", 1, "expected a kind");
  ASSERT_DATA_ERROR (ps_watchlist_parse, "name\n", 1, "expected a kind");
  ASSERT_DATA_ERROR (ps_watchlist_parse, "country XX\n", 1, "ISO 3166-1");
  ASSERT_DATA_ERROR (ps_watchlist_parse, "place !!!\n", 1, "at least one letter");
}

static void
test_repeat_sender (void)
{
  g_autoptr (PsRules) rules = default_rules ();
  g_autofree char *a = ps_risk_recipient_key ("Bà A", "0900000001");
  g_autofree char *b = ps_risk_recipient_key ("Ông B", "0900000002");
  g_autofree char *c = ps_risk_recipient_key ("Cô C", "0900000003");
  /* 4 earlier parcels to 3 recipients; this one to a 4th: 5 parcels, 4 recipients. */
  const char *history[] = { a, b, c, a, NULL };
  PsRiskInput input = { .sender_id = "001090012345",
                        .recipient_name = "Anh D",
                        .recipient_phone = "0900000004",
                        .history_recipients = history };
  g_autoptr (GPtrArray) hits = ps_rules_evaluate (rules, NULL, &input);
  g_assert_true (hits_contain (hits, "repeat-sender"));

  /* To a recipient already counted: only 3 distinct. */
  input.recipient_name = "bà a";
  input.recipient_phone = "+84 900 000 001";
  g_autoptr (GPtrArray) same = ps_rules_evaluate (rules, NULL, &input);
  g_assert_false (hits_contain (same, "repeat-sender"));
}

static void
test_rules_errors (void)
{
  ASSERT_DATA_ERROR (ps_rules_parse, "threshold: 50\n\nrule: magic\nid: x\n", 3,
                     "unknown rule kind");
  ASSERT_DATA_ERROR (ps_rules_parse, "threshold: many\n", 1, "whole number");
  ASSERT_DATA_ERROR (ps_rules_parse, "threshold: 0\n", 1, "at least 1");
  ASSERT_DATA_ERROR (ps_rules_parse, "threshold: 5\n\nthreshold: 6\n", 3, "set twice");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: word\nid: w\nscore: 5\nvi: a\nen: b\nmatch: ?!\n", 8,
                     "at least one letter");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: weight\nid: w\nscore: 5\nvi: a\nen: b\ncategory: "
                     "letters\nmax-grams: 5\n",
                     8, "unknown ‘category’");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: weight\nid: w\nscore: 5\nvi: a\nen: b\ncategory: "
                     "gift\nmin-grams: 5\nmax-grams: 5\n",
                     10, "greater than");
  ASSERT_DATA_ERROR (
      ps_rules_parse,
      "threshold: 5\n\nrule: weight\nid: w\nscore: 5\nvi: a\nen: b\ncategory: gift\n", 3,
      "needs ‘min-grams’");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: watchlist\nid: w\nscore: 5\nvi: a\nen: b\nlist: car\n",
                     8, "‘list’ must be");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: manual-weight\nid: w\nscore: 5000\nvi: a\nen: b\n", 5,
                     "from 0 to 1000");
  ASSERT_DATA_ERROR (
      ps_rules_parse,
      "threshold: 5\n\nrule: manual-weight\nid: w\nscore: 5\nvi: a\nen: b\nmatch: x\n", 8,
      "unknown key ‘match’");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: manual-weight\nid: w\nscore: 5\nvi: a\nen: b\n\n"
                     "rule: refused-consent\nid: w\nscore: 5\nvi: a\nen: b\n",
                     10, "used twice");
  ASSERT_DATA_ERROR (ps_rules_parse,
                     "threshold: 5\n\nrule: repeat-sender\nid: r\nscore: 5\nvi: a\nen: b\n"
                     "window-hours: 24\n",
                     3, "at least 2");

  g_autoptr (GError) error = NULL;
  const char *no_threshold = "rule: manual-weight\nid: w\nscore: 5\nvi: a\nen: b\n";
  g_assert_null (ps_rules_parse (no_threshold, strlen (no_threshold), "test.txt", &error));
  g_assert_nonnull (strstr (error->message, "no ‘threshold’"));
}

static void
test_hostile (void)
{
  /* 10 000 characters on one line, invalid UTF-8, NULs: refused, never crash. */
  g_autofree char *long_line = g_strnfill (10000, 'a');
  g_autofree char *long_field = g_strconcat ("id: ", long_line, "\n", NULL);
  ASSERT_DATA_ERROR (ps_checklist_parse, long_field, 1, "longer than");
  ASSERT_DATA_ERROR (ps_rules_parse, "threshold: 5\n\xc3\x28\n", 2, "UTF-8");

  g_autoptr (GError) error = NULL;
  g_assert_null (ps_watchlist_parse ("id 001090012345\0"
                                     "x",
                                     17, "w", &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_DATA_FILE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/checklist/default", test_default_checklist);
  g_test_add_func ("/data/checklist/errors", test_checklist_errors);
  g_test_add_func ("/data/reasons/default", test_default_reasons);
  g_test_add_func ("/data/reasons/errors", test_reasons_errors);
  g_test_add_func ("/data/rules/default", test_default_rules);
  g_test_add_func ("/data/rules/watchlist", test_watchlist);
  g_test_add_func ("/data/rules/repeat-sender", test_repeat_sender);
  g_test_add_func ("/data/rules/errors", test_rules_errors);
  g_test_add_func ("/data/hostile", test_hostile);
  return g_test_run ();
}
