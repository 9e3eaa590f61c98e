/* test-printout.c — the receipt, the holding record and the hand-over record
 * rendered to PDF; their text read back with pdftotext. */
#include "ps-printout.h"
#include "ps-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define T0 G_GINT64_CONSTANT (1795000000000000)

static char *
pdf_text (const char *path)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    return NULL;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Collapse the layout's runs of blanks, so that phrases can be searched. */
  g_autoptr (GRegex) blanks = g_regex_new ("[ \\t]+", 0, 0, NULL);
  return g_regex_replace_literal (blanks, out, -1, 0, " ", 0, NULL);
}

static void
assert_contains (const char *text, const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_error ("the PDF does not say ‘%s’:\n%s", fragment, text);
}

static void
test_printouts (void)
{
  /* Nothing is built before what the test needs is known to be there. */
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  g_autofree char *dir = ps_test_mkdtemp ();
  g_autofree char *db = g_build_filename (dir, "counter.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsStore) store = ps_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  PsTestData data = { 0 };
  PsTestUsers users = { 0 };
  ps_test_data_load (&data);
  ps_test_users_create (store, &users, T0);

  g_autoptr (PsAcceptance) accepted =
      ps_test_decided (&data, users.clerk->actor, "EE471108151FR", NULL, PS_DECISION_ACCEPTED, T0);
  gint64 accepted_id = ps_store_record_decision (store, users.clerk, accepted, &error);
  g_assert_no_error (error);
  g_assert_cmpint (accepted_id, >, 0);
  g_autoptr (PsAcceptance) held = ps_test_decided (&data, users.clerk->actor, "CP003000000VN", NULL,
                                                   PS_DECISION_HELD, T0 + 1000000);
  gint64 held_id = ps_store_record_decision (store, users.clerk, held, &error);
  g_assert_no_error (error);
  PsOfficer officer = { "Đại úy Lê Văn Công", "Công an huyện Cao Lộc", "123-456",
                        T0 + 86400000000 };
  g_assert_cmpint (ps_store_add_custody_event (
                       store, users.supervisor->actor, 1, PS_CUSTODY_HANDOVER, NULL, &officer, NULL,
                       "Test: acting without an instruction", T0 + 86400000000, &error),
                   >, 0);

  PsPrintoutContext context = { "BC-240000",        "03",  "Hãy nói không với ma túy.",
                                "Say no to drugs.", FALSE, data.reasons };

  /* The receipt: tracking, weight, contents, inspection statement, clerk,
   * awareness message; the ID number masked. */
  g_autoptr (PsParcelDetail) receipt_detail = ps_store_get_parcel (store, accepted_id, &error);
  g_autoptr (PsPrintout) receipt = ps_printout_new_receipt (receipt_detail, &context);
  g_autofree char *receipt_pdf = g_build_filename (dir, "receipt.pdf", NULL);
  g_assert_true (ps_printout_export_pdf (receipt, receipt_pdf, &error));
  g_assert_no_error (error);
  g_autofree char *receipt_text = pdf_text (receipt_pdf);
  assert_contains (receipt_text, "BIÊN NHẬN GỬI BƯU GỬI");
  assert_contains (receipt_text, "EE471108151FR");
  assert_contains (receipt_text, "1.250 kg");
  assert_contains (receipt_text, "Quần áo trẻ em");
  assert_contains (receipt_text, "500.000 đ");
  assert_contains (receipt_text, "kiểm tra nội dung trước mặt người gửi");
  assert_contains (receipt_text, "Nguyễn Thị Lan");
  assert_contains (receipt_text, "Hãy nói không với ma túy.");
  assert_contains (receipt_text, "BC-240000");
  assert_contains (receipt_text, "*********345");
  g_assert_null (strstr (receipt_text, "001090012345"));

  /* The holding record: full identity, inspection answers, reasons, and the
   * places for three signatures. */
  g_autoptr (PsParcelDetail) held_detail = ps_store_get_parcel (store, held_id, &error);
  g_autoptr (PsPrintout) record = ps_printout_new_holding_record (held_detail, &context);
  g_autofree char *record_pdf = g_build_filename (dir, "record.pdf", NULL);
  g_assert_true (ps_printout_export_pdf (record, record_pdf, &error));
  g_autofree char *record_text = pdf_text (record_pdf);
  assert_contains (record_text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  assert_contains (record_text, "BIÊN BẢN TẠM GIỮ BƯU GỬI");
  assert_contains (record_text, "CP003000000VN");
  assert_contains (record_text, "001090012345");
  assert_contains (record_text, "concealment");
  assert_contains (record_text, "Ngăn bí mật trong hộp");
  assert_contains (record_text, "Không có dấu hiệu cất giấu");
  /* The reasons in words, both languages, not their codes (issue 11). */
  g_autofree char *concealment_vi =
      g_strdup (ps_reasons_find (data.reasons, PS_REASON_HOLD, "concealment")->text_vi);
  assert_contains (record_text, concealment_vi);
  assert_contains (record_text, "GIAO DỊCH VIÊN");
  assert_contains (record_text, "NGƯỜI GỬI");
  assert_contains (record_text, "NGƯỜI CHỨNG KIẾN");

  /* The hand-over record: the officer. */
  g_autoptr (PsParcelDetail) handed = ps_store_get_parcel (store, held_id, &error);
  const PsCustodyRecord *handover = g_ptr_array_index (handed->custody, 1);
  g_autoptr (PsPrintout) handover_record =
      ps_printout_new_handover_record (handed, handover, &context);
  g_autofree char *handover_pdf = g_build_filename (dir, "handover.pdf", NULL);
  g_assert_true (ps_printout_export_pdf (handover_record, handover_pdf, &error));
  g_autofree char *handover_text = pdf_text (handover_pdf);
  assert_contains (handover_text, "BIÊN BẢN BÀN GIAO BƯU GỬI");
  assert_contains (handover_text, "Đại úy Lê Văn Công");
  assert_contains (handover_text, "123-456");
  assert_contains (handover_text, "BÊN NHẬN");

  /* A training printout says so on every page. */
  context.training = TRUE;
  g_autoptr (PsPrintout) training = ps_printout_new_receipt (receipt_detail, &context);
  g_autofree char *training_pdf = g_build_filename (dir, "training.pdf", NULL);
  g_assert_true (ps_printout_export_pdf (training, training_pdf, &error));
  g_autofree char *training_text = pdf_text (training_pdf);
  assert_contains (training_text, "TRAINING");

  /* Links planted in the PDF folder, at the record's name and at the name
   * the old code wrote first (NAME.partial), are replaced, never followed:
   * the file they point to keeps its contents and mode; the record is a new
   * file readable by the counter's user only (issue 10, defect 3). */
  g_autofree char *victim = g_build_filename (dir, "victim.txt", NULL);
  g_assert_true (g_file_set_contents (victim, "untouched", -1, NULL));
  g_assert_cmpint (chmod (victim, 0644), ==, 0);
  g_autofree char *planted_pdf = g_build_filename (dir, "planted.pdf", NULL);
  g_autofree char *planted_partial = g_strconcat (planted_pdf, ".partial", NULL);
  g_assert_cmpint (symlink (victim, planted_pdf), ==, 0);
  g_assert_cmpint (symlink (victim, planted_partial), ==, 0);
  g_assert_true (ps_printout_export_pdf (record, planted_pdf, &error));
  g_assert_no_error (error);
  g_autofree char *victim_text = NULL;
  g_assert_true (g_file_get_contents (victim, &victim_text, NULL, NULL));
  g_assert_cmpstr (victim_text, ==, "untouched");
  struct stat info;
  g_assert_cmpint (stat (victim, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0644);
  g_assert_cmpint (lstat (planted_pdf, &info), ==, 0);
  g_assert_true (S_ISREG (info.st_mode));
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_autofree char *planted_text = pdf_text (planted_pdf);
  assert_contains (planted_text, "BIÊN BẢN TẠM GIỮ BƯU GỬI");

  /* An unwritable place is an error, not a crash; nothing half-written stays. */
  g_assert_false (ps_printout_export_pdf (receipt, "/nonexistent/receipt.pdf", &error));
  g_assert_nonnull (error);

  ps_test_users_clear (&users);
  ps_test_data_clear (&data);
  ps_store_close (g_steal_pointer (&store));
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/printout/pdf", test_printouts);
  return g_test_run ();
}
