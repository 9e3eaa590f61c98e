/* test-store-fixture.h — what the store tests share: a fresh database in a
 * folder of its own, the data files, the three users. Included by each
 * test-store-*.c; its functions are static, each test uses some. */
#pragma once

#include "ps-test-util.h"
#include "ps-store-private.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define T0     G_GINT64_CONSTANT (1795000000000000)
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define DAY    (24 * 60 * MINUTE)

typedef struct
{
  char *dir;
  char *path;
  PsStore *store;
  PsTestData data;
  PsTestUsers users;
} Fixture;

/* Adds a test case on a fresh database, with the three users or without. */
#define WITH_USERS    GINT_TO_POINTER (1)
#define WITHOUT_USERS NULL
#define ADD_STORE_TEST(path, func, users)                                                          \
  g_test_add (path, Fixture, users, fixture_set_up, func, fixture_tear_down)

G_GNUC_UNUSED static const PsLockoutPolicy policy = { 5, 5 * MINUTE };

G_GNUC_UNUSED static void
fixture_set_up (Fixture *fixture, gconstpointer with_users)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = ps_test_mkdtemp ();
  fixture->path = g_build_filename (fixture->dir, "sub", "counter.db", NULL);
  fixture->store = ps_store_open (fixture->path, &error);
  g_assert_no_error (error);
  ps_test_data_load (&fixture->data);
  if (with_users != NULL)
    ps_test_users_create (fixture->store, &fixture->users, T0);
}

G_GNUC_UNUSED static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  (void) data;
  ps_test_users_clear (&fixture->users);
  ps_test_data_clear (&fixture->data);
  ps_store_close (fixture->store);
  ps_test_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

G_GNUC_UNUSED static gint64
record (Fixture *fixture, const char *tracking, PsDecision decision, gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsAcceptance) acceptance = ps_test_decided (
      &fixture->data, fixture->users.clerk->actor, tracking, NULL, decision, now_us);
  gint64 id = ps_store_record_decision (fixture->store, fixture->users.clerk, acceptance, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

G_GNUC_UNUSED static gint64
query_int (Fixture *fixture, const char *sql)
{
  g_autofree char *text = ps_test_query (fixture->path, sql);
  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

G_GNUC_UNUSED static void
assert_audit_whole (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_auto (PsAuditResult) result = { 0 };
  g_assert_true (ps_store_audit_verify (fixture->store, &result, &error));
  g_assert_no_error (error);
  if (result.problem != PS_AUDIT_OK)
    g_error ("audit: %s", result.detail);
}
