/* test-store-users.c — the counter database: users, PINs, lock-out, parallel guesses
 * (ps-store-users.c, ps-store-pins.c). */
#include "test-store-fixture.h"

static void
test_pins (void)
{
  const char *good[] = { "739146", "000001", "1357924680", NULL };
  const char *bad[] = { "12345", "123456", "987654", "111111", "890123", "12a456", "", NULL };
  for (guint i = 0; good[i] != NULL; i++)
    g_assert_true (ps_check_pin (good[i], NULL));
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (ps_check_pin (bad[i], &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
    }
  g_assert_false (ps_check_pin (NULL, NULL));
}

static void
test_first_admin (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  PsStore *store = fixture->store;

  g_assert_cmpint (ps_store_count_users (store, &error), ==, 0);
  /* The first user must be an administrator. */
  g_assert_cmpint (
      ps_store_add_user (store, NULL, "lan", "Lan", PS_ROLE_CLERK, "739146", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_user (store, NULL, "admin", "Quản trị", PS_ROLE_ADMIN, "739146", T0, &error), >,
      0);
  g_assert_no_error (error);

  /* Now nobody adds users without an administrator. */
  g_assert_cmpint (
      ps_store_add_user (store, NULL, "admin2", "B", PS_ROLE_ADMIN, "739146", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_autoptr (PsActor) admin = ps_store_authenticate (store, "admin", "739146", &policy, T0, &error);
  g_assert_no_error (error);

  g_assert_cmpint (ps_store_add_user (store, admin, "lan", "Nguyễn Thị Lan", PS_ROLE_CLERK,
                                      "482915", T0, &error),
                   >, 0);
  g_autoptr (PsActor) clerk = ps_store_authenticate (store, "lan", "482915", &policy, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (
      ps_store_add_user (store, clerk, "hoa", "Hoa", PS_ROLE_CLERK, "739146", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Bad input. */
  g_assert_cmpint (
      ps_store_add_user (store, admin, "lan", "Lan 2", PS_ROLE_CLERK, "739146", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_user (store, admin, "Bad Login", "X", PS_ROLE_CLERK, "739146", T0, &error), ==,
      0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_user (store, admin, "hoa", "Hoa", PS_ROLE_CLERK, "123456", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_user (store, admin, "hoa", " ", PS_ROLE_CLERK, "739146", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (
      ps_store_add_user (store, admin, "hoa", "Hoa", PS_ROLE_SYSTEM, "739146", T0, &error), ==, 0);
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_autoptr (GPtrArray) users = ps_store_list_users (store, &error);
  g_assert_cmpuint (users->len, ==, 2);
  PsUserInfo *first = g_ptr_array_index (users, 0);
  g_assert_cmpstr (first->login, ==, "admin");
  g_assert_cmpint (first->role, ==, PS_ROLE_ADMIN);

  /* The PIN itself is never stored. */
  g_autofree char *hash =
      ps_test_query (fixture->path, "SELECT pin_hash FROM users WHERE login = 'lan'");
  g_assert_true (g_str_has_prefix (hash, "ps1$$argon2id$"));
  g_assert_null (strstr (hash, "482915"));

  /* It is keyed with the PIN key, a file of its own readable by the
   * counter's user only: the database alone does not check a PIN, so its
   * six-digit PINs cannot be searched offline from a stolen copy (issue 10). */
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str_verify (hash + 4, "482915", 6), !=, 0);
  g_autofree char *key_path = g_strconcat (fixture->path, ".pin-key", NULL);
  struct stat info;
  g_assert_cmpint (g_stat (key_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  /* Without its key, a database checks no PIN (and makes no new key over
   * the keyed ones): it says so. */
  ps_store_close (fixture->store);
  g_autofree char *moved = g_strconcat (key_path, ".away", NULL);
  g_assert_cmpint (g_rename (key_path, moved), ==, 0);
  fixture->store = ps_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_null (ps_store_login (fixture->store, "lan", "482915", &policy, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "PIN key"));
  g_clear_error (&error);
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rename (moved, key_path), ==, 0);
  g_autoptr (PsSession) lan = ps_store_login (fixture->store, "lan", "482915", &policy, T0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lan);
}

/* Thirty wrong PINs at once, each from its own connection as thirty
 * processes would: the count is taken before the slow check, so no more
 * than the policy's five are checked, and the right PIN is refused after
 * them (issue 10, defect 4: 48 had been checked and the right one worked). */

typedef struct
{
  const char *path;
  const char *login;
} Guess;

static gpointer
guess_thread (gpointer data)
{
  const Guess *guess = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (PsStore) store = ps_store_open (guess->path, &error);
  g_assert_no_error (error);
  g_autoptr (PsSession) session =
      ps_store_login (store, guess->login, "000002", &policy, T0, &error);
  g_assert_null (session);
  return GINT_TO_POINTER (error != NULL && error->code == PS_ERROR_LOCKED);
}

static void
test_parallel_guesses (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  /* A known login and an unknown one behave the same way. */
  const char *logins[] = { "lan", "nobody" };
  for (guint l = 0; l < G_N_ELEMENTS (logins); l++)
    {
      Guess guess = { fixture->path, logins[l] };
      GThread *threads[30];
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("guess", guess_thread, &guess);
      guint locked = 0;
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        locked += GPOINTER_TO_INT (g_thread_join (threads[i]));
      g_assert_cmpuint (locked, >=, 25);
      g_autofree char *checked =
          ps_test_query (fixture->path, "SELECT count(*) FROM audit WHERE action = 'login-failed'");
      g_assert_cmpint (atoi (checked), ==, 5 * (l + 1));
      g_assert_null (
          ps_store_login (fixture->store, logins[l], PS_TEST_PIN, &policy, T0 + 1, &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "locked for 5 more minutes"));
      g_clear_error (&error);
    }

  /* Disabled, unknown and wrong: one answer for a wrong PIN. */
  g_assert_true (
      ps_store_set_user_disabled (fixture->store, fixture->users.admin, "minh", TRUE, T0, &error));
  const char *strangers[] = { "minh", "ghost", "admin" };
  for (guint i = 0; i < G_N_ELEMENTS (strangers); i++)
    {
      g_assert_null (ps_store_login (fixture->store, strangers[i], "000002", &policy, T0, &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_AUTH);
      g_assert_cmpstr (error->message, ==, "Unknown user or wrong PIN.");
      g_clear_error (&error);
    }
}

static void
test_login_and_lockout (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  PsStore *store = fixture->store;

  /* Wrong PINs: the same message as an unknown user. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_null (ps_store_login (store, "lan", "000002", &policy, T0 + i, &error));
      g_assert_error (error, PS_ERROR, PS_ERROR_AUTH);
      g_assert_cmpstr (error->message, ==, "Unknown user or wrong PIN.");
      g_clear_error (&error);
    }
  g_assert_null (ps_store_login (store, "nobody", "739146", &policy, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "Unknown user or wrong PIN.");
  g_clear_error (&error);

  /* The fifth wrong PIN locks the user out for five minutes. */
  g_assert_null (ps_store_login (store, "lan", "000002", &policy, T0 + 10, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked for 5 more minutes"));
  g_clear_error (&error);
  /* Even the right PIN is refused meanwhile, with the minutes left. */
  g_assert_null (ps_store_login (store, "lan", PS_TEST_PIN, &policy, T0 + 3 * MINUTE, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked for 3 more minutes"));
  g_clear_error (&error);
  g_autoptr (GPtrArray) users = ps_store_list_users (store, &error);
  PsUserInfo *lan = g_ptr_array_index (users, 1);
  g_assert_cmpstr (lan->login, ==, "lan");
  g_assert_cmpint (lan->locked_until_us, ==, T0 + 10 + 5 * MINUTE);

  /* After the lock-out, the right PIN opens a shift. */
  g_autoptr (PsSession) session =
      ps_store_login (store, "lan", PS_TEST_PIN, &policy, T0 + 6 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (session->actor->role, ==, PS_ROLE_CLERK);
  g_assert_cmpstr (session->full_name, ==, "Nguyễn Thị Lan");
  g_assert_cmpint (session->shift_id, >, 0);
  g_assert_true (ps_store_logout (store, session, "end of day", T0 + 7 * MINUTE, &error));
  g_assert_no_error (error);
  g_autofree char *ended = g_strdup_printf (
      "SELECT ended_us FROM shifts WHERE id = %" G_GINT64_FORMAT, session->shift_id);
  g_assert_cmpint (query_int (fixture, ended), ==, T0 + 7 * MINUTE);

  /* An administrator can unlock at once. */
  for (guint i = 0; i < 5; i++)
    {
      g_assert_null (ps_store_login (store, "lan", "000002", &policy, T0 + 8 * MINUTE, &error));
      g_clear_error (&error);
    }
  g_assert_false (ps_store_unlock_user (store, fixture->users.clerk->actor, "lan", T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (ps_store_unlock_user (store, fixture->users.admin, "lan", T0, &error));
  g_autoptr (PsSession) again =
      ps_store_login (store, "lan", PS_TEST_PIN, &policy, T0 + 8 * MINUTE + 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);

  /* Failed logins are audited, without the PIN. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM audit WHERE action = 'login-failed'"),
                   ==, 11);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM audit WHERE action = 'login-refused'"),
                   ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM audit WHERE payload LIKE '%000002%'"),
                   ==, 0);
  assert_audit_whole (fixture);
}

static void
test_disable_and_pins (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  PsStore *store = fixture->store;
  const PsActor *admin = fixture->users.admin;
  const PsActor *clerk = fixture->users.clerk->actor;

  g_assert_false (ps_store_set_user_disabled (store, clerk, "minh", TRUE, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (ps_store_set_user_disabled (store, admin, "admin", TRUE, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (ps_store_set_user_disabled (store, admin, "ghost", TRUE, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (ps_store_set_user_disabled (store, admin, "minh", TRUE, T0, &error));
  g_assert_null (ps_store_login (store, "minh", PS_TEST_PIN, &policy, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_clear_error (&error);
  g_assert_true (ps_store_set_user_disabled (store, admin, "minh", FALSE, T0, &error));
  g_autoptr (PsSession) minh = ps_store_login (store, "minh", PS_TEST_PIN, &policy, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (minh->actor->role, ==, PS_ROLE_SUPERVISOR);

  /* Users change their own PIN; only an administrator changes another's. */
  g_assert_true (ps_store_set_pin (store, clerk, "lan", "482915", T0, &error));
  g_assert_false (ps_store_set_pin (store, clerk, "minh", "482915", T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (ps_store_set_pin (store, clerk, "lan", "111111", T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (ps_store_set_pin (store, admin, "minh", "915482", T0, &error));
  g_autoptr (PsActor) new_pin = ps_store_authenticate (store, "lan", "482915", &policy, T0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (new_pin);
  g_assert_null (ps_store_authenticate (store, "lan", PS_TEST_PIN, &policy, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_AUTH);
  g_clear_error (&error);

  /* An approval needs the role. */
  g_autoptr (PsActor) supervisor =
      ps_store_authorize (store, "minh", "915482", PS_ROLE_SUPERVISOR, &policy, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (supervisor->role, ==, PS_ROLE_SUPERVISOR);
  g_assert_null (
      ps_store_authorize (store, "lan", "482915", PS_ROLE_SUPERVISOR, &policy, T0, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_PERMISSION);
  g_clear_error (&error);
  assert_audit_whole (fixture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/pins", test_pins);
  ADD_STORE_TEST ("/store/users/first-admin", test_first_admin, WITHOUT_USERS);
  ADD_STORE_TEST ("/store/users/login-and-lockout", test_login_and_lockout, WITH_USERS);
  ADD_STORE_TEST ("/store/users/disable-and-pins", test_disable_and_pins, WITH_USERS);
  ADD_STORE_TEST ("/store/users/parallel-guesses", test_parallel_guesses, WITH_USERS);
  return g_test_run ();
}
