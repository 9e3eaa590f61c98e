/* bench-store.c — storage benchmarks; each prints a ratio or a figure
 * against a baseline measured in the same run, never a pass/fail on time.
 *
 *   bench-store decision [--rounds N]
 *     the cost of one decision's commit (parcel, answers, risk hits,
 *     timeline, report, custody event, outbox row, audit entries) against a
 *     bare one-row INSERT transaction at the same durability (WAL,
 *     synchronous=FULL, BEGIN IMMEDIATE), interleaved; target ≤ 1.5×
 *
 *   bench-store lists [--parcels N] [--db PATH]
 *     the supervisor's lists on a database of N parcels (default 1 000 000,
 *     seeded once with the simulator and kept): each query's median time and
 *     its query plan, which must use an index; target < 10 ms
 */
#include "parcelscreen/parcelscreen.h"
#include "ps-config.h"
#include "ps-data-files.h"
#include "ps-simulator.h"
#include "ps-store.h"
#include "ps-store-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"

#define PIN "739146"

static void
load_data (PsChecklist **checklist, PsRules **rules, PsReasons **reasons)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsConfig) config = ps_config_load_files (NULL, &error);
  g_assert_no_error (error);
  *checklist = ps_load_checklist (config, &error);
  g_assert_no_error (error);
  *rules = ps_load_rules (config, &error);
  g_assert_no_error (error);
  *reasons = ps_load_reasons (config, &error);
  g_assert_no_error (error);
}

static PsAcceptance *
decided (PsChecklist *checklist, PsRules *rules, PsReasons *reasons, const PsActor *clerk,
         guint number, gint64 now_us)
{
  char serial[9];
  g_snprintf (serial, sizeof serial, "%08u", number);
  g_autofree char *code = g_strdup_printf ("CP%s%uVN", serial, ps_s10_compute_check_digit (serial));
  g_autoptr (PsTracking) tracking = ps_tracking_parse (code, -1, NULL, NULL);
  PsAcceptance *acceptance = ps_acceptance_new (checklist, rules, reasons, NULL, clerk, now_us);
  const char *reasons_held[] = { "concealment", NULL };

  g_assert_true (ps_acceptance_set_tracking (acceptance, tracking, now_us, NULL));
  g_assert_true (ps_acceptance_set_sender_typed (acceptance, "001090012345", "Nguyễn Văn An",
                                                 "Số 1 Tràng Tiền, Hà Nội", "0912345678", now_us,
                                                 NULL));
  g_assert_true (ps_acceptance_set_recipient (acceptance, "Trần Thị Bình", "12 Lê Lợi, Huế",
                                              "0234123456", "VN", now_us, NULL));
  g_assert_true (ps_acceptance_set_stable_weight (acceptance, 1250000, now_us, NULL));
  g_assert_true (ps_acceptance_set_declaration (acceptance, PS_CATEGORY_GIFT, "Trà khô", 3, 500000,
                                                now_us, NULL));
  for (guint i = 0; i < ps_checklist_get_n_items (checklist); i++)
    {
      const PsChecklistItem *item = ps_checklist_get_item (checklist, i);
      gboolean fail = number % 10 == 0 && g_strcmp0 (item->id, "no_concealment") == 0;
      g_assert_true (ps_acceptance_answer (acceptance, item->id, fail ? PS_ANSWER_NO : item->passes,
                                           now_us, NULL));
    }
  if (number % 10 == 0)
    g_assert_true (ps_acceptance_hold (acceptance, reasons_held, NULL, now_us, NULL));
  else
    g_assert_true (ps_acceptance_accept (acceptance, NULL, now_us, NULL));
  return acceptance;
}

static int
bench_decision (guint rounds)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ps-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "counter.db", NULL);
  g_autofree char *bare_path = g_build_filename (dir, "bare.db", NULL);
  PsChecklist *checklist;
  PsRules *rules;
  PsReasons *reasons;
  PsLockoutPolicy policy = { 5, 300 * G_USEC_PER_SEC };
  gint64 now = g_get_real_time ();

  load_data (&checklist, &rules, &reasons);
  g_autoptr (PsStore) store = ps_store_open (path, &error);
  g_assert_no_error (error);
  ps_store_add_user (store, NULL, "admin", "A", PS_ROLE_ADMIN, PIN, now, &error);
  g_autoptr (PsActor) admin = ps_store_authenticate (store, "admin", PIN, &policy, now, &error);
  ps_store_add_user (store, admin, "lan", "Lan", PS_ROLE_CLERK, PIN, now, &error);
  g_autoptr (PsSession) clerk = ps_store_login (store, "lan", PIN, &policy, now, &error);
  g_assert_no_error (error);

  /* The baseline: the same durability, one row. */
  sqlite3 *bare = NULL;
  g_assert_cmpint (sqlite3_open (bare_path, &bare), ==, SQLITE_OK);
  sqlite3_exec (bare,
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                "CREATE TABLE t (id INTEGER PRIMARY KEY, tracking TEXT, decided_us INTEGER)",
                NULL, NULL, NULL);
  sqlite3_stmt *insert = NULL;
  sqlite3_prepare_v2 (bare, "INSERT INTO t (tracking, decided_us) VALUES (?, ?)", -1, &insert,
                      NULL);

  /* Acceptances are built beforehand: only the commit is timed. */
  GPtrArray *acceptances = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rounds + 20; i++)
    g_ptr_array_add (acceptances,
                     decided (checklist, rules, reasons, clerk->actor, i + 1, now + i));

  GArray *decision_us = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *bare_us = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < rounds + 20; i++)
    {
      /* Interleaved, so that both see the same machine load. */
      gint64 start = g_get_monotonic_time ();
      gint64 id =
          ps_store_record_decision (store, clerk, g_ptr_array_index (acceptances, i), &error);
      double decision = (double) (g_get_monotonic_time () - start);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);

      start = g_get_monotonic_time ();
      sqlite3_exec (bare, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_bind_text (insert, 1, "CP000000005VN", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, now);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      g_assert_cmpint (sqlite3_exec (bare, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
      double baseline = (double) (g_get_monotonic_time () - start);

      if (i >= 20) /* warm-up */
        {
          g_array_append_val (decision_us, decision);
          g_array_append_val (bare_us, baseline);
        }
    }

  double decision_p50 = bench_percentile (decision_us, 0.5),
         bare_p50 = bench_percentile (bare_us, 0.5);
  double decision_p99 = bench_percentile (decision_us, 0.99),
         bare_p99 = bench_percentile (bare_us, 0.99);
  double ratio = decision_p50 / bare_p50;
  printf ("decision commit: %u decisions (one in ten held: report, custody event, outbox row)\n",
          rounds);
  printf ("  decision        p50 %8.0f µs   p99 %8.0f µs\n", decision_p50, decision_p99);
  printf ("  bare INSERT     p50 %8.0f µs   p99 %8.0f µs\n", bare_p50, bare_p99);
  printf ("  ratio (p50)     %.2f×   target ≤ 1.50×   %s\n", ratio,
          ratio <= 1.5 ? "met" : "NOT MET");

  sqlite3_finalize (insert);
  sqlite3_close (bare);
  g_ptr_array_unref (acceptances);
  g_array_unref (decision_us);
  g_array_unref (bare_us);
  ps_checklist_unref (checklist);
  ps_rules_unref (rules);
  ps_reasons_unref (reasons);
  ps_store_close (g_steal_pointer (&store));
  g_unlink (bare_path);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}

/* Seeds @path with @n parcels with the simulator, unless it has them already. */
static void
seed_database (const char *path, gint64 n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsStore) store = ps_store_open (path, &error);
  g_assert_no_error (error);
  gint64 have = 0;
  {
    sqlite3_stmt *count = ps_store_prepare (store, "SELECT count(*) FROM parcels", &error);
    if (sqlite3_step (count) == SQLITE_ROW)
      have = sqlite3_column_int64 (count, 0);
    sqlite3_reset (count);
  }
  if (have >= n)
    {
      printf ("using %s: %" G_GINT64_FORMAT " parcels\n", path, have);
      return;
    }

  PsChecklist *checklist;
  PsRules *rules;
  PsReasons *reasons;
  load_data (&checklist, &rules, &reasons);
  g_autoptr (PsSimulator) simulator =
      ps_simulator_new (store, checklist, rules, reasons, 42, 0.02, &error);
  g_assert_no_error (error);

  printf ("seeding %s with %" G_GINT64_FORMAT " parcels…\n", path, n);
  gint64 start = g_get_monotonic_time ();
  gint64 now = g_get_real_time () - n * 60 * G_USEC_PER_SEC;
  for (gint64 i = have; i < n; i++)
    {
      if (i % 5000 == have % 5000)
        g_assert_true (ps_store_begin_batch (store, &error));
      g_assert_cmpint (
          ps_simulator_run_one (simulator, now + i * 60 * G_USEC_PER_SEC, NULL, &error), !=,
          PS_DECISION_NONE);
      if (i % 5000 == (have + 4999) % 5000 || i + 1 == n)
        {
          g_assert_true (ps_store_end_batch (store, &error));
          fprintf (stderr, "\r  %" G_GINT64_FORMAT " parcels", i + 1);
        }
    }
  g_assert_no_error (error);
  fprintf (stderr, "\n");
  printf ("seeded in %.0f s\n", (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  ps_checklist_unref (checklist);
  ps_rules_unref (rules);
  ps_reasons_unref (reasons);
}

/* The query plan of the statement a list runs, as one line. */
static char *
query_plan (PsStore *store, const char *sql)
{
  g_autofree char *explain = g_strdup_printf ("EXPLAIN QUERY PLAN %s", sql);
  sqlite3_stmt *statement = NULL;
  GString *plan = g_string_new (NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (store->db, explain, -1, &statement, NULL), ==, SQLITE_OK);
  for (int i = 1; i <= sqlite3_bind_parameter_count (statement); i++)
    sqlite3_bind_text (statement, i, "x", -1, SQLITE_STATIC);
  while (sqlite3_step (statement) == SQLITE_ROW)
    g_string_append_printf (plan, "%s%s", plan->len > 0 ? "; " : "",
                            (const char *) sqlite3_column_text (statement, 3));
  sqlite3_finalize (statement);
  return g_string_free (plan, FALSE);
}

static gboolean
plan_uses_index (const char *plan)
{
  /* Every scan of a big table must go through an index. */
  g_auto (GStrv) steps = g_strsplit (plan, "; ", -1);
  for (guint i = 0; steps[i] != NULL; i++)
    if (g_str_has_prefix (steps[i], "SCAN ") && strstr (steps[i], "USING") == NULL &&
        strstr (steps[i], "CONSTANT") == NULL)
      return FALSE;
  return strstr (plan, "INDEX") != NULL || strstr (plan, "PRIMARY KEY") != NULL;
}

typedef enum
{
  LIST_OPEN_REPORTS,
  LIST_HELD_BY_STATUS,
  LIST_BY_TRACKING,
  LIST_DAY,
} ListKind;

static int
bench_lists (gint64 n, const char *path)
{
  g_autoptr (GError) error = NULL;
  seed_database (path, n);
  g_autoptr (PsStore) store = ps_store_open (path, &error);
  g_assert_no_error (error);

  /* Real arguments: a tracking number and a day that exist. */
  g_autofree char *tracking = NULL, *day = NULL;
  {
    sqlite3_stmt *pick = ps_store_prepare (
        store,
        "SELECT tracking, decided_day FROM parcels WHERE id = (SELECT max(id) / 2 FROM parcels)",
        &error);
    g_assert_cmpint (sqlite3_step (pick), ==, SQLITE_ROW);
    tracking = g_strdup ((const char *) sqlite3_column_text (pick, 0));
    day = g_strdup ((const char *) sqlite3_column_text (pick, 1));
    sqlite3_reset (pick);
  }

  struct
  {
    const char *name;
    ListKind kind;
    const char *sql; /* the statement behind it, for its plan */
  } lists[] = {
    { "reports not closed (newest 100)", LIST_OPEN_REPORTS,
      "SELECT r.id FROM reports r JOIN parcels p ON p.id = r.parcel_id JOIN users u ON u.id = "
      "p.clerk_id WHERE r.status != 'closed' ORDER BY r.created_us DESC LIMIT 100" },
    { "held parcels by status (open, 100)", LIST_HELD_BY_STATUS,
      "SELECT r.id FROM reports r JOIN parcels p ON p.id = r.parcel_id JOIN users u ON u.id = "
      "p.clerk_id WHERE r.status = ? ORDER BY r.created_us DESC LIMIT 100" },
    { "parcels by tracking number", LIST_BY_TRACKING,
      "SELECT p.id, (SELECT r.id FROM reports r WHERE r.parcel_id = p.id) FROM parcels p JOIN "
      "users u ON u.id = p.clerk_id WHERE p.tracking = ? ORDER BY p.decided_us" },
    { "a day's decisions (first 500)", LIST_DAY,
      "SELECT p.id, (SELECT r.id FROM reports r WHERE r.parcel_id = p.id) FROM parcels p JOIN "
      "users u ON u.id = p.clerk_id WHERE p.decided_day = ? ORDER BY p.decided_us LIMIT 500" },
  };

  printf ("supervisor lists on %" G_GINT64_FORMAT " parcels (median of 50 runs; target < 10 ms, "
          "through an index)\n",
          n);
  int status = 0;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
      guint rows = 0;
      for (int run = 0; run < 50; run++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr (GPtrArray) result = NULL;
          switch (lists[l].kind)
            {
              case LIST_OPEN_REPORTS:
                result = ps_store_list_reports (store, -1, 100, 0, &error);
                break;
              case LIST_HELD_BY_STATUS:
                result = ps_store_list_reports (store, PS_REPORT_OPEN, 100, 0, &error);
                break;
              case LIST_BY_TRACKING:
                result = ps_store_find_parcels (store, tracking, &error);
                break;
              case LIST_DAY:
                result = ps_store_list_day (store, day, 500, 0, &error);
                break;
            }
          double ms = (double) (g_get_monotonic_time () - start) / 1000.0;
          g_assert_no_error (error);
          rows = result->len;
          g_array_append_val (samples, ms);
        }
      double median = bench_percentile (samples, 0.5);
      g_autofree char *plan = query_plan (store, lists[l].sql);
      gboolean indexed = plan_uses_index (plan);
      printf ("  %-36s %7.3f ms  %4u rows  %s\n      plan: %s\n", lists[l].name, median, rows,
              median < 10.0 && indexed ? "met" : "NOT MET", plan);
      /* A time is a figure to read, not a verdict (shared, noisy machines);
       * a plan without an index is a defect. */
      if (!indexed)
        status = 1;
      g_array_unref (samples);
    }
  return status;
}

int
main (int argc, char **argv)
{
  gint64 parcels = 1000000;
  gint64 rounds = 300;
  g_autofree char *db = NULL;
  const GOptionEntry entries[] = {
    { "parcels", 0, 0, G_OPTION_ARG_INT64, &parcels, "Parcels in the lists database", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT64, &rounds, "Decisions to time", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The lists database (kept between runs)", "PATH" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("decision|lists");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL) || argc != 2)
    {
      fprintf (stderr,
               "usage: bench-store decision|lists [--parcels N] [--rounds N] [--db PATH]\n");
      return 2;
    }

  if (strcmp (argv[1], "decision") == 0)
    return bench_decision ((guint) rounds);
  if (strcmp (argv[1], "lists") == 0)
    {
      if (db == NULL)
        db = g_strdup_printf ("bench-lists-%" G_GINT64_FORMAT ".db", parcels);
      return bench_lists (parcels, db);
    }
  fprintf (stderr, "usage: bench-store decision|lists\n");
  return 2;
}
