/* ps-ctl-report.c — parcelscreenctl report: the held parcels' reports from
 * the command line, for a supervisor (list, show) and what happens to them
 * (assess, handover, release, close), through the same store calls and rules
 * as the supervisor's screen, with the supervisor's PIN. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "ps-data-files.h"
#include "parcelscreen/ps-error.h"
#include "ps-store.h"
#include "ps-ctl.h"

typedef struct
{
  char *db_path;
  char *config_path;
  char *as_login;
  gboolean pin_stdin;
  gboolean all;
  char *note;
  char *officer_name;
  char *officer_unit;
  char *officer_badge;
  char *instruction;
  char *override;
} ReportOptions;

static void
report_options_clear (ReportOptions *options)
{
  g_free (options->db_path);
  g_free (options->config_path);
  g_free (options->as_login);
  g_free (options->note);
  g_free (options->officer_name);
  g_free (options->officer_unit);
  g_free (options->officer_badge);
  g_free (options->instruction);
  g_free (options->override);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportOptions, report_options_clear)

/* The supervisor (--as LOGIN, their PIN); refused for any other role. */
static PsActor *
authorize (PsStore *store, const PsConfig *config, const ReportOptions *options, GError **error)
{
  if (options->as_login == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Give the supervisor who acts with --as LOGIN (their PIN is asked)."));
      return NULL;
    }
  g_autofree char *prompt = g_strdup_printf (_ ("PIN of %s: "), options->as_login);
  g_autofree char *pin = ps_ctl_read_pin (prompt, options->pin_stdin, error);
  if (pin == NULL)
    return NULL;
  PsLockoutPolicy policy = {
    (guint) ps_config_get_int (config, "security", "max-pin-failures"),
    ps_config_get_int (config, "security", "lockout-minutes") * 60 * G_USEC_PER_SEC,
  };
  return ps_store_authorize (store, options->as_login, pin, PS_ROLE_SUPERVISOR, &policy,
                             g_get_real_time (), error);
}

/* A time as a Vietnamese officer reads it: local (UTC+7), to the minute. */
static char *
local_time (gint64 time_us)
{
  if (time_us <= 0)
    return g_strdup ("");
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, vietnam) : NULL;
  return local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M") : g_strdup ("");
}

static gboolean
report_id (const char *text, gint64 *id)
{
  guint64 value = 0;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      fprintf (stderr, _ ("‘%s’ is not a report number.\n"), text);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

static void
print_detail (const PsParcelDetail *detail, const PsReasons *reasons, gboolean vietnamese)
{
  g_autofree char *decided = local_time (detail->decided_us);
  g_autofree char *held_for =
      ps_reasons_describe (reasons, PS_REASON_HOLD, detail->hold_reasons, vietnamese);
  printf (_ ("Report %lld — %s, %s\n"), (long long) detail->report_id, detail->tracking,
          ps_report_status_label (detail->report_status));
  printf (_ ("Held on %s by %s (%s): %s\n"), decided, detail->clerk_name, detail->clerk_login,
          held_for);
  if (detail->decision_note != NULL)
    printf (_ ("Note: %s\n"), detail->decision_note);
  printf (_ ("Sender: %s, ID %s, %s, %s\n"), detail->sender_name ? detail->sender_name : "—",
          detail->sender_id ? detail->sender_id : "—",
          detail->sender_address ? detail->sender_address : "—",
          detail->sender_phone ? detail->sender_phone : "—");
  printf (_ ("Recipient: %s, %s, %s (%s)\n"), detail->recipient_name ? detail->recipient_name : "—",
          detail->recipient_address ? detail->recipient_address : "—",
          detail->recipient_phone ? detail->recipient_phone : "—",
          detail->destination_country ? detail->destination_country : "—");
  for (guint i = 0; i < detail->custody->len; i++)
    {
      const PsCustodyRecord *event = g_ptr_array_index (detail->custody, i);
      g_autofree char *when = local_time (event->time_us);
      printf ("  %s  %-10s %s%s%s", when, ps_custody_kind_to_id (event->kind), event->actor_login,
              event->note != NULL ? " — " : "", event->note != NULL ? event->note : "");
      if (event->officer_name != NULL)
        printf (_ (" (to %s, %s, badge %s)"), event->officer_name, event->officer_unit,
                event->officer_badge);
      printf ("\n");
    }
}

/* The police's instructions: open ones first, those past their deadline
 * marked; then the refused ones' reasons. */
static int
list_instructions (PsStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = ps_store_list_instructions (store, 0, FALSE, &error);
  if (all == NULL)
    return ps_ctl_fail (error);
  gint64 now = g_get_real_time ();
  for (guint i = 0; i < all->len; i++)
    {
      const PsInstructionRecord *record = all->pdata[i];
      g_autofree char *due = record->due_us > 0 ? local_time (record->due_us) : g_strdup ("—");
      gboolean overdue =
          record->state == PS_INSTRUCTION_OPEN && record->due_us > 0 && record->due_us < now;
      printf ("%-4lld %-36s %-10s %-26s %-14s %s %s%s\n    %s\n", (long long) record->seq,
              record->id, ps_instruction_state_to_id (record->state),
              ps_instruction_kind_label (record->kind),
              record->tracking != NULL ? record->tracking : "—", due, overdue ? _ ("OVERDUE ") : "",
              record->issued_by, record->summary);
    }
  g_auto (GStrv) refusals = ps_store_instruction_refusals (store, 10, &error);
  for (char **reason = refusals; reason != NULL && *reason != NULL; reason++)
    printf (_ ("Refused: %s\n"), *reason);
  return PS_CTL_EXIT_OK;
}

static int
run (const PsCtlCommand *command, int argc, char **argv, int action)
{
  g_auto (ReportOptions) options = { 0 };
  const GOptionEntry entries[] = {
    PS_CTL_DB_ENTRY (options.db_path),
    PS_CTL_CONFIG_ENTRY (options.config_path),
    { "as", 0, 0, G_OPTION_ARG_STRING, &options.as_login,
      N_ ("The supervisor who acts (asks for their PIN)"), N_ ("LOGIN") },
    { "pin-stdin", 0, 0, G_OPTION_ARG_NONE, &options.pin_stdin,
      N_ ("Read the PIN from standard input instead of the terminal"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &options.all, N_ ("With list: the closed reports too"),
      NULL },
    { "note", 0, 0, G_OPTION_ARG_STRING, &options.note, N_ ("What is recorded with the event"),
      N_ ("TEXT") },
    { "officer", 0, 0, G_OPTION_ARG_STRING, &options.officer_name,
      N_ ("With handover: the receiving officer's full name"), N_ ("NAME") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &options.officer_unit,
      N_ ("With handover: the officer's unit"), N_ ("UNIT") },
    { "badge", 0, 0, G_OPTION_ARG_STRING, &options.officer_badge,
      N_ ("With handover: the officer's badge number"), N_ ("NUMBER") },
    { "instruction", 0, 0, G_OPTION_ARG_STRING, &options.instruction,
      N_ ("The police's instruction this carries out (instructions list shows them)"), N_ ("ID") },
    { "override", 0, 0, G_OPTION_ARG_STRING, &options.override,
      N_ ("With handover or release: act without an instruction, for this reason (the police "
          "see it)"),
      N_ ("REASON") },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;

  if (!ps_ctl_parse_options (command, entries, &argc, &argv))
    return PS_CTL_EXIT_USAGE;
  gboolean listing = action < 0; /* -1: reports, -2: the police's instructions */
  if (argc != (listing ? 1 : 2))
    {
      fprintf (stderr, _ ("parcelscreenctl report %s: expected %s.\n"), command->action,
               listing ? _ ("no argument") : _ ("a report number"));
      return PS_CTL_EXIT_USAGE;
    }
  gint64 id = 0;
  if (!listing && !report_id (argv[1], &id))
    return PS_CTL_EXIT_USAGE;

  g_autoptr (PsConfig) config = NULL;
  g_autoptr (PsStore) store =
      ps_ctl_open_store (options.db_path, options.config_path, &config, &error);
  if (store == NULL)
    return ps_ctl_fail (error);
  g_autoptr (PsReasons) reasons = ps_load_reasons (config, &error);
  if (reasons == NULL)
    return ps_ctl_fail (error);
  g_autoptr (PsActor) actor = authorize (store, config, &options, &error);
  if (actor == NULL)
    return ps_ctl_fail (error);
  gboolean vietnamese = g_str_has_prefix (ps_current_language (), "vi");

  if (action == -2)
    return list_instructions (store);
  if (listing)
    {
      g_autoptr (GPtrArray) reports = ps_store_list_reports (
          store, options.all ? PS_REPORTS_ALL : PS_REPORTS_NOT_CLOSED, 1000, 0, &error);
      if (reports == NULL)
        return ps_ctl_fail (error);
      for (guint i = 0; i < reports->len; i++)
        {
          const PsReportSummary *report = g_ptr_array_index (reports, i);
          g_autofree char *created = local_time (report->created_us);
          g_autofree char *held_for =
              ps_reasons_describe (reasons, PS_REASON_HOLD, report->hold_reasons, vietnamese);
          printf ("%-6lld %-14s %-12s %s  %s\n", (long long) report->report_id, report->tracking,
                  ps_report_status_label (report->status), created, held_for);
        }
      return PS_CTL_EXIT_OK;
    }

  gint64 parcel_id = ps_store_report_parcel (store, id, &error);
  if (parcel_id <= 0)
    return ps_ctl_fail (error);
  if (action == 0)
    {
      g_autoptr (PsParcelDetail) detail = ps_store_get_parcel (store, parcel_id, &error);
      if (detail == NULL)
        return ps_ctl_fail (error);
      print_detail (detail, reasons, vietnamese);
      return PS_CTL_EXIT_OK;
    }

  PsCustodyKind kind = (PsCustodyKind) action;
  gint64 now = g_get_real_time ();
  PsOfficer officer = { options.officer_name, options.officer_unit, options.officer_badge, now };
  gint64 event = ps_store_add_custody_event (store, actor, id, kind, options.note,
                                             kind == PS_CUSTODY_HANDOVER ? &officer : NULL,
                                             options.instruction, options.override, now, &error);
  if (event <= 0)
    return ps_ctl_fail (error);
  printf (_ ("Recorded %s for report %lld (event %lld); it goes to the police with the others.\n"),
          ps_custody_kind_to_id (kind), (long long) id, (long long) event);
  return PS_CTL_EXIT_OK;
}

int
ps_ctl_report_list (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, -1);
}

int
ps_ctl_report_show (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, 0);
}

int
ps_ctl_report_assess (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, PS_CUSTODY_ASSESSMENT);
}

int
ps_ctl_report_handover (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, PS_CUSTODY_HANDOVER);
}

int
ps_ctl_report_release (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, PS_CUSTODY_RELEASE);
}

int
ps_ctl_report_close (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, PS_CUSTODY_CLOSE);
}

int
ps_ctl_instructions_list (const PsCtlCommand *command, int argc, char **argv)
{
  return run (command, argc, argv, -2);
}
