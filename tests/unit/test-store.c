/* test-store.c — the counter database: opening, refusing a newer or foreign file, migrations, the
 * training mark. */
#include "test-store-fixture.h"

#include "ps-store-private.h"

#include <json-glib/json-glib.h>

static void
test_open (Fixture *fixture, gconstpointer data)
{
  (void) data;
  struct stat info;

  /* The folder was created; the file is private to its user. */
  g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_assert_cmpint (g_stat (folder, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);

  g_autofree char *mode = ps_test_query (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (ps_store_get_schema_version (fixture->store), ==, PS_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (ps_store_get_path (fixture->store), ==, fixture->path);

  /* The connection's own settings. */
  sqlite3_stmt *statement = NULL;
  const char *pragmas[][2] = { { "PRAGMA synchronous", "2" },
                               { "PRAGMA foreign_keys", "1" },
                               { "PRAGMA secure_delete", "1" },
                               { "PRAGMA busy_timeout", "5000" } };
  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (fixture->store->db, pragmas[i][0], -1, &statement, NULL),
                       ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, pragmas[i][1]);
      sqlite3_finalize (statement);
    }

  g_autoptr (GError) error = NULL;
  g_assert_true (ps_store_check (fixture->store, &error));
  g_assert_no_error (error);

  /* Opening again, with the same schema, is fine. */
  g_autoptr (PsStore) again = ps_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

static gchar *
read_bytes (const char *path, gsize *len)
{
  char *contents = NULL;
  g_assert_true (g_file_get_contents (path, &contents, len, NULL));
  return contents;
}

static void
test_refuse_newer_and_foreign (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  /* A database written by a newer version: refused, and not one byte changed. */
  g_autofree char *newer = g_build_filename (fixture->dir, "newer.db", NULL);
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_true (ps_store_migrate (db, PS_STORE_SCHEMA_VERSION, &error));
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  gsize before_len, after_len;
  g_autofree char *before = read_bytes (newer, &before_len);

  g_assert_null (ps_store_open (newer, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_STORAGE_VERSION);
  g_assert_nonnull (strstr (error->message, "newer ParcelScreen (schema version 99"));
  g_clear_error (&error);
  g_autofree char *after = read_bytes (newer, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
  g_autofree char *wal = g_strconcat (newer, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* Another program's database. */
  g_autofree char *foreign = g_build_filename (fixture->dir, "foreign.db", NULL);
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL);
  sqlite3_close (db);
  g_assert_null (ps_store_open (foreign, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_STORAGE_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a ParcelScreen database"));
  g_clear_error (&error);

  /* Not a database at all. */
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_file_set_contents (text, "These are not the records you are looking for.\n", -1, NULL);
  g_assert_null (ps_store_open (text, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_STORAGE_CORRUPT);
  g_clear_error (&error);

  /* A folder that cannot be created. */
  g_assert_null (ps_store_open ("/proc/version/counter.db", &error));
  g_assert_nonnull (error);
}

static void
test_migrations (Fixture *fixture, gconstpointer data)
{
  (void) data;

  /* A database of every earlier schema version is brought up to date. */
  for (int version = 0; version < PS_STORE_SCHEMA_VERSION; version++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("version-%d.db", version);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_true (ps_store_migrate (db, version, &error));
      sqlite3_close (db);

      g_autoptr (PsStore) store = ps_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_store_get_schema_version (store), ==, PS_STORE_SCHEMA_VERSION);
      g_assert_true (ps_store_check (store, &error));
      g_assert_cmpint (ps_store_count_users (store, &error), ==, 0);
    }
}

static void
test_training_mark (Fixture *fixture, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;

  g_assert_false (ps_store_is_training (fixture->store));
  g_assert_true (ps_store_mark_training (fixture->store, &error));
  g_assert_true (ps_store_is_training (fixture->store));
  g_assert_true (ps_store_mark_training (fixture->store, &error));

  /* A database with real decisions never becomes a training one. */
  g_autofree char *real = g_build_filename (fixture->dir, "real.db", NULL);
  g_autoptr (PsStore) store = ps_store_open (real, &error);
  PsTestUsers users = { 0 };
  ps_test_users_create (store, &users, T0);
  g_autoptr (PsAcceptance) acceptance = ps_test_decided (
      &fixture->data, users.clerk->actor, "EE471108151FR", NULL, PS_DECISION_ACCEPTED, T0);
  g_assert_cmpint (ps_store_record_decision (store, users.clerk, acceptance, &error), >, 0);
  g_assert_false (ps_store_mark_training (store, &error));
  g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
  g_assert_false (ps_store_is_training (store));
  ps_test_users_clear (&users);
}

/* Digests hash integers as "%" G_GINT64_FORMAT prints them: a digest
 * recorded before the formatter existed must come out the same. */
static void
test_format_int (void)
{
  const gint64 values[] = { 0,  1,   9,          10,         -1,         -10,           42,
                            99, 100, 1234567890, G_MAXINT64, G_MININT64, G_MININT64 + 1 };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      char text[PS_STORE_INT_CHARS];
      gsize length = ps_store_format_int (text, values[i]);
      g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, values[i]);
      g_assert_cmpstr (text, ==, expected);
      g_assert_cmpuint (length, ==, strlen (expected));
    }
}

/* Audit payloads are written by hand, byte for byte as json-glib's
 * generator writes them (entries written before and after must read alike). */
static void
test_json_object (void)
{
  const char *values[] = {
    "",
    "CP000000005VN",
    "quote \" backslash \\ slash /",
    "\b\f\n\r\t\x01\x1e\x7f end",
    "Nguyễn Văn Á — 東京 😀",
    "<b>&amp;</b>",
  };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *ours = ps_json_object ("text", 's', values[i], "none", 's', NULL, "n", 'i',
                                              (gint64) (i == 0 ? G_MININT64 : -42), "yes", 'b',
                                              TRUE, "no", 'b', FALSE, NULL);
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, values[i]);
      json_builder_set_member_name (builder, "none");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, i == 0 ? G_MININT64 : -42);
      json_builder_set_member_name (builder, "yes");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "no");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
      g_autoptr (JsonNode) root = json_builder_get_root (builder);
      g_autofree char *theirs = json_to_string (root, FALSE);
      g_assert_cmpstr (ours, ==, theirs);
    }
  /* json-glib 1.6 leaves 0x1f raw, which JSON does not allow. */
  g_autofree char *unit = ps_json_object ("s", 's', "\x1f", NULL);
  g_assert_cmpstr (unit, ==, "{\"s\":\"\\u001f\"}");
  g_autofree char *empty = ps_json_object (NULL, NULL);
  g_assert_cmpstr (empty, ==, "{}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/format-int", test_format_int);
  g_test_add_func ("/store/json-object", test_json_object);
  ADD_STORE_TEST ("/store/open", test_open, WITHOUT_USERS);
  ADD_STORE_TEST ("/store/refuse-newer-and-foreign", test_refuse_newer_and_foreign, WITHOUT_USERS);
  ADD_STORE_TEST ("/store/migrations", test_migrations, WITHOUT_USERS);
  ADD_STORE_TEST ("/store/training-mark", test_training_mark, WITH_USERS);
  return g_test_run ();
}
