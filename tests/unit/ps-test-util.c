/* ps-test-util.c — helpers shared by the tests. */
#include "ps-test-util.h"

#include "ps-config.h"
#include "ps-data-files.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

void
ps_test_data_load (PsTestData *data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsConfig) config = ps_config_load_files (NULL, &error);
  g_assert_no_error (error);
  data->checklist = ps_load_checklist (config, &error);
  g_assert_no_error (error);
  data->rules = ps_load_rules (config, &error);
  g_assert_no_error (error);
  data->reasons = ps_load_reasons (config, &error);
  g_assert_no_error (error);
}

void
ps_test_data_clear (PsTestData *data)
{
  g_clear_pointer (&data->checklist, ps_checklist_unref);
  g_clear_pointer (&data->rules, ps_rules_unref);
  g_clear_pointer (&data->reasons, ps_reasons_unref);
}

char *
ps_test_mkdtemp (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("ps-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
ps_test_rmdir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        ps_test_rmdir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

#define OK(call)                                                                                   \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (GError) _error = NULL;                                                              \
    gboolean _ok = (call);                                                                         \
    g_assert_no_error (_error);                                                                    \
    g_assert_true (_ok);                                                                           \
  }                                                                                                \
  G_STMT_END

PsAcceptance *
ps_test_decided (const PsTestData *data, const PsActor *clerk, const char *tracking_code,
                 const char *sender_id, PsDecision decision, gint64 now_us)
{
  PsAcceptance *acceptance =
      ps_acceptance_new (data->checklist, data->rules, data->reasons, NULL, clerk, now_us);
  g_autoptr (PsTracking) tracking = ps_tracking_parse (tracking_code, -1, NULL, NULL);
  g_assert_nonnull (tracking);

  OK (ps_acceptance_set_tracking (acceptance, tracking, now_us + 1, &_error));
  OK (ps_acceptance_set_sender_typed (acceptance, sender_id != NULL ? sender_id : "001090012345",
                                      "Nguyễn Văn An", "Số 1 Tràng Tiền, Hà Nội", "0912345678",
                                      now_us + 2, &_error));
  OK (ps_acceptance_set_recipient (acceptance, "Trần Thị Bình", "12 Lê Lợi, Huế", "0234123456",
                                   "VN", now_us + 3, &_error));
  OK (ps_acceptance_set_stable_weight (acceptance, 1250000, now_us + 4, &_error));
  OK (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Quần áo trẻ em", 3, 500000,
                                     now_us + 5, &_error));

  for (guint i = 0; i < ps_checklist_get_n_items (data->checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (data->checklist, i);
      PsAnswer answer = item->passes;
      if ((decision == PS_DECISION_REFUSED && g_strcmp0 (item->id, "consent") == 0) ||
          (decision == PS_DECISION_HELD && g_strcmp0 (item->id, "no_concealment") == 0))
        answer = PS_ANSWER_NO;
      OK (ps_acceptance_answer (acceptance, item->id, answer, now_us + 10 + i, &_error));
    }

  const char *hold_reasons[] = { "concealment", NULL };
  switch (decision)
    {
      case PS_DECISION_ACCEPTED:
        OK (ps_acceptance_accept (acceptance, NULL, now_us + 100, &_error));
        break;
      case PS_DECISION_REFUSED:
        OK (ps_acceptance_refuse (acceptance, "consent-refused", NULL, now_us + 100, &_error));
        break;
      case PS_DECISION_HELD:
        OK (ps_acceptance_hold (acceptance, hold_reasons, "Ngăn bí mật trong hộp", now_us + 100,
                                &_error));
        break;
      case PS_DECISION_NONE:
        break;
    }
  return acceptance;
}

void
ps_test_users_create (PsStore *store, PsTestUsers *users, gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  PsLockoutPolicy policy = { 5, 5 * 60 * G_USEC_PER_SEC };

  g_assert_cmpint (ps_store_add_user (store, NULL, "admin", "Quản trị", PS_ROLE_ADMIN, PS_TEST_PIN,
                                      now_us, &error),
                   >, 0);
  g_assert_no_error (error);
  users->admin = ps_store_authenticate (store, "admin", PS_TEST_PIN, &policy, now_us, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_store_add_user (store, users->admin, "lan", "Nguyễn Thị Lan", PS_ROLE_CLERK,
                                      PS_TEST_PIN, now_us, &error),
                   >, 0);
  g_assert_cmpint (ps_store_add_user (store, users->admin, "minh", "Trần Văn Minh",
                                      PS_ROLE_SUPERVISOR, PS_TEST_PIN, now_us, &error),
                   >, 0);
  g_assert_no_error (error);
  users->clerk = ps_store_login (store, "lan", PS_TEST_PIN, &policy, now_us, &error);
  g_assert_no_error (error);
  users->supervisor = ps_store_login (store, "minh", PS_TEST_PIN, &policy, now_us, &error);
  g_assert_no_error (error);
}

void
ps_test_users_clear (PsTestUsers *users)
{
  g_clear_pointer (&users->admin, ps_actor_free);
  g_clear_pointer (&users->clerk, ps_session_free);
  g_clear_pointer (&users->supervisor, ps_session_free);
}

char *
ps_test_query (const char *db_path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  int rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (statement) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return result;
}
