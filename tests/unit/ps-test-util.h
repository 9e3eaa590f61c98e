/* ps-test-util.h — helpers shared by the tests: data files, decided
 * acceptances, temporary folders. */
#pragma once

#include "parcelscreen/parcelscreen.h"
#include "ps-store.h"

G_BEGIN_DECLS

typedef struct
{
  PsChecklist *checklist;
  PsRules *rules;
  PsReasons *reasons;
} PsTestData;

/* Loads the shipped checklist, rules and reasons ($PARCELSCREEN_DATADIR). */
void ps_test_data_load (PsTestData *data);
void ps_test_data_clear (PsTestData *data);

/* A new temporary folder, removed with everything in it by ps_test_rmdir(). */
char *ps_test_mkdtemp (void);
void ps_test_rmdir (const char *path);

/*
 * An acceptance by @clerk for @tracking, filled with valid data and decided:
 * PS_DECISION_ACCEPTED (all answers pass), PS_DECISION_REFUSED (consent
 * refused) or PS_DECISION_HELD (concealment found). @sender_id may be NULL
 * for a default one.
 */
PsAcceptance *ps_test_decided (const PsTestData *data, const PsActor *clerk, const char *tracking,
                               const char *sender_id, PsDecision decision, gint64 now_us);

/* The first administrator, a clerk and a supervisor of a new store, with
 * sessions for the clerk and the supervisor. */
typedef struct
{
  PsActor *admin;
  PsSession *clerk;
  PsSession *supervisor;
} PsTestUsers;

#define PS_TEST_PIN "739146"

void ps_test_users_create (PsStore *store, PsTestUsers *users, gint64 now_us);
void ps_test_users_clear (PsTestUsers *users);

/* Runs one SQL query and returns its first column of its first row as text. */
char *ps_test_query (const char *db_path, const char *sql);

G_END_DECLS
