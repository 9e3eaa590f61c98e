/* The report's state machine and the police's instructions (ps-custody.h):
 * every custody kind against every report status, and each rule of
 * instructions: what a hand-over, a release, an answer and a closure need,
 * what blocks a release, what a cancelled or finished instruction allows. */
#include "parcelscreen/parcelscreen.h"

#define NOW   G_GINT64_CONSTANT (1764600000000000)
#define HOUR  G_GINT64_CONSTANT (3600000000)
#define R     42
#define OTHER 43

static const char *const override = "Police unreachable, officer on site";

/* Every kind against every status, with nothing standing in the way (an
 * override where one is needed): exactly the transitions of the machine. */
static void
test_transitions (void)
{
  static const int expected[5][5] = {
    /*                 created assessment        handover               release             close */
    [PS_REPORT_OPEN] = { -1, PS_REPORT_ASSESSED, PS_REPORT_HANDED_OVER, PS_REPORT_RELEASED, -1 },
    [PS_REPORT_ASSESSED] = { -1, PS_REPORT_ASSESSED, PS_REPORT_HANDED_OVER, PS_REPORT_RELEASED,
                             -1 },
    [PS_REPORT_HANDED_OVER] = { -1, PS_REPORT_HANDED_OVER, -1, -1, PS_REPORT_CLOSED },
    [PS_REPORT_RELEASED] = { -1, PS_REPORT_RELEASED, -1, -1, PS_REPORT_CLOSED },
    [PS_REPORT_CLOSED] = { -1, -1, -1, -1, -1 },
  };
  for (int status = PS_REPORT_OPEN; status <= PS_REPORT_CLOSED; status++)
    for (int kind = PS_CUSTODY_CREATED; kind <= PS_CUSTODY_CLOSE; kind++)
      {
        g_autoptr (GError) error = NULL;
        gboolean needs = kind == PS_CUSTODY_HANDOVER || kind == PS_CUSTODY_RELEASE;
        PsReportStatus after = PS_REPORT_OPEN;
        gboolean ok = ps_custody_check (status, kind, R, NULL, 0, NULL, needs ? override : NULL,
                                        NOW, &after, &error);
        g_assert_cmpint (ps_report_next_status (status, kind), ==, expected[status][kind]);
        if (expected[status][kind] < 0)
          {
            g_assert_false (ok);
            g_assert_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED);
          }
        else
          {
            g_assert_no_error (error);
            g_assert_true (ok);
            g_assert_cmpint (after, ==, expected[status][kind]);
          }
      }
}

static void
check (PsReportStatus status, PsCustodyKind kind, const PsInstructionView *views, guint n,
       const char *id, const char *reason, int code)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = ps_custody_check (status, kind, R, views, n, id, reason, NOW, NULL, &error);
  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, PS_ERROR, code);
      g_assert_nonnull (error->message);
    }
}

/* Every kind of instruction against what it may authorise. */
static void
test_instruction_kinds (void)
{
  static const struct
  {
    PsCustodyKind custody;
    PsInstructionKind authorises;
  } pairs[] = {
    { PS_CUSTODY_HANDOVER, PS_INSTRUCTION_SEIZE },
    { PS_CUSTODY_RELEASE, PS_INSTRUCTION_RELEASE },
    { PS_CUSTODY_ASSESSMENT, PS_INSTRUCTION_REQUEST_INFO },
    { PS_CUSTODY_CLOSE, PS_INSTRUCTION_CLOSE_CASE },
  };
  for (gsize p = 0; p < G_N_ELEMENTS (pairs); p++)
    for (int kind = 0; kind < PS_INSTRUCTION_N_KINDS; kind++)
      {
        PsInstructionView view = { "i-1", kind, R, PS_INSTRUCTION_OPEN, 0 };
        PsReportStatus status =
            pairs[p].custody == PS_CUSTODY_CLOSE ? PS_REPORT_HANDED_OVER : PS_REPORT_ASSESSED;
        /* A request for information blocks a release before any match. */
        gboolean blocks =
            pairs[p].custody == PS_CUSTODY_RELEASE &&
            (kind == PS_INSTRUCTION_REQUEST_INFO || kind == PS_INSTRUCTION_KEEP_HOLDING);
        check (status, pairs[p].custody, &view, 1, "i-1", NULL,
               (PsInstructionKind) kind == pairs[p].authorises ? -1
               : blocks                                        ? PS_ERROR_NOT_ALLOWED
                                                               : PS_ERROR_NOT_ALLOWED);
      }
}

static void
test_needs_instruction_or_override (void)
{
  PsInstructionView seize = { "s-1", PS_INSTRUCTION_SEIZE, R, PS_INSTRUCTION_OPEN, 0 };
  PsInstructionView release = { "r-1", PS_INSTRUCTION_RELEASE, R, PS_INSTRUCTION_OPEN, 0 };
  /* Neither: refused. */
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, NULL, 0, NULL, NULL, PS_ERROR_NOT_ALLOWED);
  check (PS_REPORT_OPEN, PS_CUSTODY_RELEASE, NULL, 0, NULL, NULL, PS_ERROR_NOT_ALLOWED);
  /* An override with too short a reason, or beside an instruction. */
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, NULL, 0, NULL, "because", PS_ERROR_INVALID_INPUT);
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, &seize, 1, "s-1", override, PS_ERROR_INVALID_INPUT);
  /* An override is for a hand-over or a release only. */
  check (PS_REPORT_OPEN, PS_CUSTODY_ASSESSMENT, NULL, 0, NULL, override, PS_ERROR_INVALID_INPUT);
  /* The matching instruction. */
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, &seize, 1, "s-1", NULL, -1);
  check (PS_REPORT_OPEN, PS_CUSTODY_RELEASE, &release, 1, "r-1", NULL, -1);
  /* Another report's, or none of that number. */
  PsInstructionView elsewhere = { "s-2", PS_INSTRUCTION_SEIZE, OTHER, PS_INSTRUCTION_OPEN, 0 };
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, &elsewhere, 1, "s-2", NULL, PS_ERROR_NOT_FOUND);
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, &seize, 1, "s-9", NULL, PS_ERROR_NOT_FOUND);
  /* An assessment or a closure needs none. */
  check (PS_REPORT_OPEN, PS_CUSTODY_ASSESSMENT, NULL, 0, NULL, NULL, -1);
  check (PS_REPORT_RELEASED, PS_CUSTODY_CLOSE, NULL, 0, NULL, NULL, -1);
}

static void
test_cancelled_and_done (void)
{
  PsInstructionView cancelled = { "s-1", PS_INSTRUCTION_SEIZE, R, PS_INSTRUCTION_CANCELLED, 0 };
  PsInstructionView done = { "s-2", PS_INSTRUCTION_SEIZE, R, PS_INSTRUCTION_DONE, 0 };
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, &cancelled, 1, "s-1", NULL, PS_ERROR_NOT_ALLOWED);
  check (PS_REPORT_OPEN, PS_CUSTODY_HANDOVER, &done, 1, "s-2", NULL, PS_ERROR_NOT_ALLOWED);
}

static void
test_release_blocked (void)
{
  PsInstructionView views[] = {
    { "r-1", PS_INSTRUCTION_RELEASE, R, PS_INSTRUCTION_OPEN, 0 },
    { "k-1", PS_INSTRUCTION_KEEP_HOLDING, R, PS_INSTRUCTION_OPEN, NOW + HOUR },
  };
  /* Keep holding until later: no release, even with the release order or an
   * override. */
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, PS_ERROR_NOT_ALLOWED);
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, NULL, override, PS_ERROR_NOT_ALLOWED);
  /* Until further notice (no date): the same. */
  views[1].until_us = 0;
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, PS_ERROR_NOT_ALLOWED);
  /* Its date passed, or cancelled: the release goes ahead. */
  views[1].until_us = NOW - HOUR;
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, -1);
  views[1].until_us = NOW + HOUR;
  views[1].state = PS_INSTRUCTION_CANCELLED;
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, -1);
  /* An open request for information blocks it until answered. */
  views[1] = (PsInstructionView){ "q-1", PS_INSTRUCTION_REQUEST_INFO, R, PS_INSTRUCTION_OPEN, 0 };
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, PS_ERROR_NOT_ALLOWED);
  views[1].state = PS_INSTRUCTION_DONE;
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, -1);
  /* Another report's keep-holding does not. */
  views[1] =
      (PsInstructionView){ "k-2", PS_INSTRUCTION_KEEP_HOLDING, OTHER, PS_INSTRUCTION_OPEN, 0 };
  check (PS_REPORT_ASSESSED, PS_CUSTODY_RELEASE, views, 2, "r-1", NULL, -1);
  /* A hand-over is not blocked by a keep-holding order. */
  PsInstructionView seize[] = {
    { "s-1", PS_INSTRUCTION_SEIZE, R, PS_INSTRUCTION_OPEN, 0 },
    { "k-1", PS_INSTRUCTION_KEEP_HOLDING, R, PS_INSTRUCTION_OPEN, 0 },
  };
  check (PS_REPORT_ASSESSED, PS_CUSTODY_HANDOVER, seize, 2, "s-1", NULL, -1);
}

static void
test_ids (void)
{
  for (int kind = 0; kind < PS_INSTRUCTION_N_KINDS; kind++)
    {
      const char *id = ps_instruction_kind_to_id (kind);
      g_assert_nonnull (id);
      g_assert_cmpint (ps_instruction_kind_from_id (id), ==, kind);
      g_assert_nonnull (ps_instruction_kind_label (kind));
    }
  g_assert_cmpint (ps_instruction_kind_from_id ("arrest"), ==, -1);
  g_assert_cmpint (ps_instruction_kind_from_id (NULL), ==, -1);
  g_assert_cmpint (ps_report_status_from_id ("handed-over"), ==, PS_REPORT_HANDED_OVER);
  g_assert_cmpint (ps_report_status_from_id ("lost"), ==, -1);
  g_assert_cmpint (ps_custody_kind_from_id ("release"), ==, PS_CUSTODY_RELEASE);
  g_assert_cmpint (ps_instruction_initial_state (PS_INSTRUCTION_RECEIVED), ==, PS_INSTRUCTION_DONE);
  g_assert_cmpint (ps_instruction_initial_state (PS_INSTRUCTION_SEIZE), ==, PS_INSTRUCTION_OPEN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/custody/transitions", test_transitions);
  g_test_add_func ("/custody/instruction-kinds", test_instruction_kinds);
  g_test_add_func ("/custody/needs-instruction-or-override", test_needs_instruction_or_override);
  g_test_add_func ("/custody/cancelled-and-done", test_cancelled_and_done);
  g_test_add_func ("/custody/release-blocked", test_release_blocked);
  g_test_add_func ("/custody/ids", test_ids);
  return g_test_run ();
}
