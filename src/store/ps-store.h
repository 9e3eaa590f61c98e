/* ps-store.h — the counter's SQLite database: users, decisions, reports,
 * the outbox and the audit trail.
 *
 * The database is evidence. Every decision commits in one transaction with
 * its answers, risk hits, report, outbox row and audit entries, or not at
 * all; the audit trail is a hash chain that reveals any later edit; roles
 * are enforced here, not only by hiding buttons. A PsStore is one
 * connection: use it from one thread (the forwarder opens its own).
 */
#pragma once

#include <glib.h>
#include "parcelscreen/ps-acceptance.h"
#include "parcelscreen/ps-actor.h"
#include "parcelscreen/ps-custody.h"

G_BEGIN_DECLS

typedef struct _PsStore PsStore;

/** The schema version this program writes (PRAGMA user_version). */
#define PS_STORE_SCHEMA_VERSION 8

/** The shortest PIN accepted. */
#define PS_PIN_MIN_DIGITS 6

/**
 * ps_store_open:
 * @path: the database file; created (mode 0600) with its folder if missing
 * @error: return location for a PS_ERROR_STORAGE_* error
 *
 * Opens the database in WAL mode with synchronous=FULL, foreign keys,
 * secure_delete and a busy timeout, and brings its schema up to date. A
 * database written by a newer ParcelScreen is refused
 * (%PS_ERROR_STORAGE_VERSION) and left untouched.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
PsStore *ps_store_open (const char *path, GError **error);
/**
 * ps_store_open_existing:
 * Opens (and migrates) a database that exists: a missing path, an empty file
 * or anything but a regular file is refused with nothing created — for every
 * command that only works on a counter's database (a mistyped path must not
 * make a new, empty one).
 */
PsStore *ps_store_open_existing (const char *path, GError **error);
/**
 * ps_store_open_as_is:
 * Opens a database that exists without migrating it (a backup taken before an
 * upgrade is of the old schema; "db migrate" reports what it moves). Only a
 * newer schema than this program's is refused. Not for reading or writing
 * records: their statements expect the current schema.
 */
PsStore *ps_store_open_as_is (const char *path, GError **error);
void ps_store_close (PsStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsStore, ps_store_close)

const char *ps_store_get_path (PsStore *store);

/**
 * ps_store_begin_batch:
 * Groups the following writes into one transaction until
 * ps_store_end_batch(); each write becomes a savepoint inside it. For
 * seeding large databases (simulate --batch) and for the forwarder's
 * outcomes of a batch of deliveries: a batch commits all or nothing.
 */
gboolean ps_store_begin_batch (PsStore *store, GError **error);

/**
 * ps_store_set_sync_each_commit:
 * With %FALSE, this connection's commits stay atomic but reach the disk at
 * the next checkpoint rather than each on its own (SQLite's synchronous =
 * NORMAL in WAL mode): a power cut may undo its last commits, never half of
 * one. Only for the forwarder's bookkeeping, where an undone "sent" means a
 * delivery repeated under the same key. Decisions always sync.
 */
gboolean ps_store_set_sync_each_commit (PsStore *store, gboolean sync, GError **error);
gboolean ps_store_end_batch (PsStore *store, GError **error);

/* ---- Users and shifts ---------------------------------------------------- */

typedef struct
{
  gint64 id;
  char *login;
  char *full_name;
  PsRole role;
  gboolean disabled;
  guint failed_attempts;
  gint64 locked_until_us;
  gint64 created_us;
} PsUserInfo;

void ps_user_info_free (PsUserInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsUserInfo, ps_user_info_free)

/** How many wrong PINs lock a user out, and for how long. */
typedef struct
{
  guint max_failures;
  gint64 lockout_us;
} PsLockoutPolicy;

/**
 * PsSession:
 * A logged-in user: the actor and the shift opened at login.
 */
typedef struct
{
  PsActor *actor;
  gint64 shift_id;
  char *full_name;
} PsSession;

#define PS_TYPE_SESSION (ps_session_get_type ())
GType ps_session_get_type (void);
PsSession *ps_session_copy (const PsSession *session);
void ps_session_free (PsSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSession, ps_session_free)

/** Returns: the number of users (0 on a new counter: the first-run set-up). */
gint64 ps_store_count_users (PsStore *store, GError **error);

/**
 * ps_check_pin:
 * Returns: %TRUE if @pin is acceptable: at least %PS_PIN_MIN_DIGITS digits,
 *   only digits, not one digit repeated nor a run such as 123456
 */
gboolean ps_check_pin (const char *pin, GError **error);

/**
 * ps_store_add_user:
 * @actor: an administrator; %NULL only for the first user of a new
 *   counter, who must be an administrator
 *
 * Returns: the new user's id, or 0 with @error set
 */
gint64 ps_store_add_user (PsStore *store, const PsActor *actor, const char *login,
                          const char *full_name, PsRole role, const char *pin, gint64 now_us,
                          GError **error);
/** Changes a PIN: an administrator for anyone, or users for themselves. */
gboolean ps_store_set_pin (PsStore *store, const PsActor *actor, const char *login, const char *pin,
                           gint64 now_us, GError **error);
gboolean ps_store_set_user_disabled (PsStore *store, const PsActor *actor, const char *login,
                                     gboolean disabled, gint64 now_us, GError **error);
gboolean ps_store_unlock_user (PsStore *store, const PsActor *actor, const char *login,
                               gint64 now_us, GError **error);
/** Returns: (transfer full) (element-type PsUserInfo): every user, by login. */
GPtrArray *ps_store_list_users (PsStore *store, GError **error);

/**
 * ps_store_login:
 *
 * Checks @pin; a wrong one counts towards the lock-out. On success opens a
 * shift. Failed and successful logins are audited.
 *
 * Returns: (transfer full): the session, or %NULL with %PS_ERROR_AUTH
 *   (unknown user or wrong PIN: the message does not say which) or
 *   %PS_ERROR_LOCKED (with the minutes left)
 */
PsSession *ps_store_login (PsStore *store, const char *login, const char *pin,
                           const PsLockoutPolicy *policy, gint64 now_us, GError **error);
/**
 * ps_store_authenticate:
 * Checks a PIN without opening a shift (for the command-line tool and for
 * approvals); wrong PINs count towards the lock-out; audited.
 * Returns: (transfer full): the user as an actor, or %NULL with @error set
 */
PsActor *ps_store_authenticate (PsStore *store, const char *login, const char *pin,
                                const PsLockoutPolicy *policy, gint64 now_us, GError **error);
/**
 * ps_store_authorize:
 * Checks a PIN without opening a shift, for a supervisor's approval at the
 * counter; the same lock-out applies. @role is the role required.
 */
PsActor *ps_store_authorize (PsStore *store, const char *login, const char *pin, PsRole role,
                             const PsLockoutPolicy *policy, gint64 now_us, GError **error);
gboolean ps_store_logout (PsStore *store, const PsSession *session, const char *reason,
                          gint64 now_us, GError **error);

/* ---- Decisions ------------------------------------------------------------ */

/**
 * ps_store_record_decision:
 * @session: the clerk's session (its actor must be the acceptance's clerk)
 * @acceptance: a decided acceptance
 *
 * Commits the parcel, its answers, risk hits and timeline, for a hold the
 * report, its first custody event and its outbox row, and the audit
 * entries, in one transaction. On a full disk, an I/O error or a busy
 * database everything is rolled back and the error says so; @acceptance is
 * not touched, so the same call can be retried. Recording the same decision
 * again (a retry after an error whose commit did reach the disk) returns the
 * first record's id.
 *
 * Returns: the parcel's id, or 0 with @error set (%PS_ERROR_DUPLICATE when
 *   the tracking number was already accepted or held on this counter)
 */
gint64 ps_store_record_decision (PsStore *store, const PsSession *session, PsAcceptance *acceptance,
                                 GError **error);

/**
 * ps_store_find_decided:
 * Returns: the id of the accepted or held parcel with @tracking, 0 if
 *   there is none (a refusal does not count: the parcel may come back), or
 *   -1 with @error set
 */
gint64 ps_store_find_decided (PsStore *store, const char *tracking, GError **error);

/**
 * ps_store_sender_history:
 * Returns: (transfer full): the recipient keys (ps_risk_recipient_key()) of
 *   the sender's parcels decided since @since_us, for the repeat-sender rule
 */
GStrv ps_store_sender_history (PsStore *store, const char *sender_id, gint64 since_us,
                               GError **error);

/* ---- Reports and custody ------------------------------------------------ */

/** A police officer receiving a held parcel. */
typedef struct
{
  const char *name;
  const char *unit;
  const char *badge;
  gint64 time_us;
} PsOfficer;

/**
 * ps_store_add_custody_event:
 * @actor: a supervisor who did not make the hold
 * @kind: assessment (a note), handover (@officer), release (a note saying
 *   why), or close
 * @officer: (nullable): for a hand-over
 * @instruction_id: (nullable): the police's instruction the event carries out
 * @override_reason: (nullable): instead, why the supervisor acts without one
 *
 * Records what happens to a held parcel, with its outbox row and audit entry,
 * in one transaction, under the core's rules (ps_custody_check()): a
 * hand-over or a release needs the police's matching instruction or an
 * override with a reason; the instruction carried out is done.
 *
 * Returns: the custody event's id, or 0 with @error set
 */
gint64 ps_store_add_custody_event (PsStore *store, const PsActor *actor, gint64 report_id,
                                   PsCustodyKind kind, const char *note, const PsOfficer *officer,
                                   const char *instruction_id, const char *override_reason,
                                   gint64 now_us, GError **error);

/* ---- The police's instructions (ps-store-instructions.c) ----------------- */

/** An instruction as the counter keeps it (the signed document with it). */
typedef struct
{
  gint64 seq;
  char *id;
  PsInstructionKind kind;
  gint64 report_id; /* 0: none */
  gint64 issued_us;
  char *issued_by; /* "name, unit, badge" */
  gint64 due_us;   /* 0: none */
  gint64 until_us; /* keep_holding; 0: until further notice */
  char *cancels;   /* cancel: the instruction withdrawn */
  char *summary;   /* what it says, in one paragraph (the question, the order…) */
  GBytes *document;
  char *signature;
  gint64 received_us;
  gint64 acked_us;
  PsInstructionState state;
  gint64 done_us;
  char *tracking; /* the report's parcel, for lists */
} PsInstructionRecord;

void ps_instruction_record_free (PsInstructionRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsInstructionRecord, ps_instruction_record_free)
/** Fills @view (which borrows from @record) for the core's rules. */
void ps_instruction_record_view (const PsInstructionRecord *record, PsInstructionView *view);

/** The officer a seizure names to collect the parcel, from its document. */
void ps_instruction_collector (const PsInstructionRecord *record, char **name, char **unit,
                               char **badge);
/** Returns: (transfer full) (nullable): a text member of the instruction's own
 * part (a seizure's "order" or "approval", a question…), from its document. */
char *ps_instruction_detail (const PsInstructionRecord *record, const char *member);
/** Returns: the highest seq stored (0: none yet), or -1 with @error set. */
gint64 ps_store_instruction_last_seq (PsStore *store, GError **error);
/** Returns: (transfer full) (nullable): the instruction numbered @seq. */
PsInstructionRecord *ps_store_get_instruction (PsStore *store, gint64 seq, GError **error);
/**
 * ps_store_add_instruction:
 * Stores an instruction checked by the caller (signature, numbering,
 * counter), with its audit entry, in one transaction; a cancellation cancels
 * the instruction it names. @record->state is set from its kind.
 */
gboolean ps_store_add_instruction (PsStore *store, PsInstructionRecord *record, gint64 now_us,
                                   GError **error);
/** Marks an instruction acknowledged to the hub. */
gboolean ps_store_instruction_acked (PsStore *store, gint64 seq, gint64 now_us, GError **error);
/** Marks an instruction carried out (inside the custody event's transaction). */
gboolean ps_store_instruction_done (PsStore *store, const char *id, gint64 now_us, GError **error);
/**
 * ps_store_count_open_instructions:
 * @open: (out): the instructions still to be carried out
 * @overdue: (out): of which past their deadline at @now_us
 *
 * What the header shows every few seconds: two numbers, no documents read.
 */
gboolean ps_store_count_open_instructions (PsStore *store, gint64 now_us, guint *open,
                                           guint *overdue, GError **error);
/**
 * ps_store_list_instructions:
 * @report_id: one report's, or 0 for all
 * @open_only: only those still to be carried out
 *
 * Returns: (transfer full) (element-type PsInstructionRecord): the
 *   instructions, those past their deadline first, then by deadline and number
 */
GPtrArray *ps_store_list_instructions (PsStore *store, gint64 report_id, gboolean open_only,
                                       GError **error);
/** Records an instruction refused (bad signature, gap, replay, another
 * counter's…) with the reason, and an audit entry. Nothing else changes. */
gboolean ps_store_record_instruction_refusal (PsStore *store, gint64 seq, const char *reason,
                                              gint64 now_us, GError **error);
/** Returns: (transfer full): the last refusals' reasons, newest first. */
GStrv ps_store_instruction_refusals (PsStore *store, guint limit, GError **error);

typedef struct
{
  gint64 report_id;
  gint64 parcel_id;
  char *tracking;
  PsReportStatus status;
  gint64 created_us;
  char *clerk_login;
  char *hold_reasons;
  guint risk_score;
  guint outbox_pending; /* rows of this report not yet delivered */
} PsReportSummary;

void ps_report_summary_free (PsReportSummary *summary);

/**
 * ps_store_list_reports:
 * @status: the status to list, %PS_REPORTS_NOT_CLOSED for every report not
 *   closed, or %PS_REPORTS_ALL for every report, the closed ones too
 * @limit: at most this many, newest first
 *
 * Returns: (transfer full) (element-type PsReportSummary): the reports
 */
GPtrArray *ps_store_list_reports (PsStore *store, int status, guint limit, guint offset,
                                  GError **error);
#define PS_REPORTS_NOT_CLOSED (-1)
#define PS_REPORTS_ALL        (-2)

typedef struct
{
  gint64 parcel_id;
  char *tracking;
  PsDecision decision;
  gint64 decided_us;
  char *clerk_login;
  gint64 weight_mg;
  guint risk_score;
  gint64 report_id; /* 0 without a report */
} PsParcelSummary;

void ps_parcel_summary_free (PsParcelSummary *summary);

/** Returns: (transfer full) (element-type PsParcelSummary): decisions on @tracking. */
GPtrArray *ps_store_find_parcels (PsStore *store, const char *tracking, GError **error);
/**
 * ps_store_list_day:
 * @day: "YYYY-MM-DD", Vietnam time
 * Returns: (transfer full) (element-type PsParcelSummary): the day's decisions in order
 */
GPtrArray *ps_store_list_day (PsStore *store, const char *day, guint limit, guint offset,
                              GError **error);

/* ---- One parcel in full, corrections, the outbox --------------------------- */

typedef struct
{
  char *item_id;
  char *text_vi;
  char *text_en;
  PsAnswer passes;
  PsAnswer answer;
  gint64 answered_us;
} PsAnswerRecord;

typedef struct
{
  gint64 id;
  gint64 time_us;
  char *actor_login;
  PsCustodyKind kind;
  char *note;
  char *officer_name;
  char *officer_unit;
  char *officer_badge;
  gint64 handover_us;
  char *instruction_id;  /* the police's instruction carried out, or NULL */
  char *override_reason; /* the supervisor's override instead, or NULL */
} PsCustodyRecord;

typedef struct
{
  gint64 id;
  gint64 time_us;
  char *actor_login;
  char *note;
} PsCorrectionRecord;

/**
 * PsParcelDetail:
 * A decision as recorded, for the supervisor and the history. Personal data
 * is %NULL once purged (@purged).
 */
typedef struct
{
  gint64 parcel_id;
  char *tracking;
  PsDecision decision;
  gint64 started_us;
  gint64 decided_us;
  gint64 clerk_id;
  char *clerk_login;
  char *clerk_name;
  char *override_login;
  char *sender_source;
  char *sender_id;
  char *sender_name;
  char *sender_address;
  char *sender_phone;
  char *recipient_name;
  char *recipient_address;
  char *recipient_phone;
  char *destination_country;
  gboolean has_weight;
  gint64 weight_mg;
  char *weight_source;
  char *manual_weight_reason;
  char *manual_weight_note;
  char *category;
  char *description;
  guint quantity;
  gint64 value_vnd;
  char *refuse_reason;
  char *hold_reasons;
  char *decision_note;
  guint risk_score;
  guint risk_threshold;
  gboolean purged;
  GPtrArray *answers;     /* PsAnswerRecord */
  GPtrArray *hits;        /* PsRiskHit */
  GPtrArray *custody;     /* PsCustodyRecord */
  GPtrArray *corrections; /* PsCorrectionRecord */
  gint64 report_id;       /* 0 without a report */
  PsReportStatus report_status;
  guint outbox_pending;
  GPtrArray *instructions; /* PsInstructionRecord: the police's, for the report */
} PsParcelDetail;

void ps_parcel_detail_free (PsParcelDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsParcelDetail, ps_parcel_detail_free)

/** Returns: (transfer full): parcel @parcel_id, or %NULL with %PS_ERROR_NOT_FOUND. */
PsParcelDetail *ps_store_get_parcel (PsStore *store, gint64 parcel_id, GError **error);
/** Returns: the id of the parcel that report @report_id is about, or 0 with @error set. */
gint64 ps_store_report_parcel (PsStore *store, gint64 report_id, GError **error);

/**
 * ps_store_add_correction:
 * @actor: a clerk, supervisor or administrator
 * @note: what was wrong and what is right
 *
 * A decision is never edited: a correction is a new entry linked to it, and
 * audited. Returns: the correction's id, or 0 with @error set
 */
gint64 ps_store_add_correction (PsStore *store, const PsActor *actor, gint64 parcel_id,
                                const char *note, gint64 now_us, GError **error);

/**
 * ps_store_outbox_summary:
 * @pending: (out): rows not yet delivered to the police
 * @oldest_us: (out): when the oldest of them was queued, 0 if none
 */
gboolean ps_store_outbox_summary (PsStore *store, gint64 *pending, gint64 *oldest_us,
                                  GError **error);

/**
 * ps_store_mark_training:
 * Marks a new database as a training database: nothing from it is ever
 * forwarded or exported. Refused on a database that already holds decisions.
 */
gboolean ps_store_mark_training (PsStore *store, GError **error);
gboolean ps_store_is_training (PsStore *store);

/**
 * ps_store_mark_simulation:
 * Marks a new database as a simulation's (parcelscreenctl simulate): refused
 * on a database that holds users or decisions and is not one already. A
 * simulation is forwarded only to a receiver configured as a test one
 * ([relay] simulation = true), and its documents say "simulation": true.
 */
gboolean ps_store_mark_simulation (PsStore *store, GError **error);

/**
 * ps_store_record_export:
 * Keeps what an export sent the liaison: its manifest's digest and the audit
 * head it named (audit verify checks the chain against every such head).
 */
gboolean ps_store_record_export (PsStore *store, const char *day, const char *directory,
                                 const char *manifest_sha256, gint64 head_seq,
                                 const char *head_hash, guint n_reports, gint64 now_us,
                                 GError **error);
gboolean ps_store_is_simulation (PsStore *store);

/* ---- The outbox, as the forwarder sees it ------------------------------------ */

/** The schema name and version of a forwarded document (docs/relay.md). */
#define PS_OUTBOX_SCHEMA "parcelscreen.report/1"
/** The largest document a row may hold (a report is a few kilobytes). */
#define PS_OUTBOX_DOCUMENT_MAX (1024 * 1024)

typedef struct
{
  gint64 id;
  char *key;  /* the idempotency key */
  char *kind; /* "report", "custody" or "closure" */
  gint64 report_id;
  gint64 custody_event_id; /* 0 for the report itself */
  guint attempts;
  char *last_error;
  /* Made at the first try and sent unchanged ever after; NULL before it (or
   * once a purge erased the document of a closed, sent report). */
  char *document;
  char *signature;       /* base64 Ed25519 signature of @document */
  char *signer_key;      /* base64 public key that made @signature */
  char *document_sha256; /* hex SHA-256 of @document, kept after a purge too */
} PsOutboxRow;

void ps_outbox_row_free (PsOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsOutboxRow, ps_outbox_row_free)

/** Who a forwarded document says it comes from. */
typedef struct
{
  const char *office_code;
  const char *counter_id;
  const char *public_key; /* base64 of the Ed25519 public key */
} PsCounterIdentity;

/**
 * PS_OUTBOX_LEASE_US:
 * How long a lease lasts unless its forwarder renews it. A live forwarder
 * renews its leases every third of this while it works, so a forwarder that
 * was killed loses its rows to another one within this time.
 */
#define PS_OUTBOX_LEASE_US (30 * G_USEC_PER_SEC)

/**
 * ps_store_outbox_lease:
 * @owner: who takes the lease (a forwarder's unique name)
 * @due_us: only rows whose next attempt is at or before this time
 * @now_us: the time now: a lease that ended before it is free
 * @lease_us: how long the rows are reserved for @owner
 *
 * Reserves up to @limit rows that are due and not leased to another
 * forwarder, oldest first, never a row whose report has an earlier row still
 * undelivered. A row's stored document, if it has one, comes with it.
 *
 * Returns: (transfer full) (element-type PsOutboxRow): the rows, maybe none
 */
GPtrArray *ps_store_outbox_lease (PsStore *store, const char *owner, gint64 due_us, gint64 now_us,
                                  gint64 lease_us, guint limit, GError **error);
/**
 * ps_store_outbox_keep_document:
 * Stores @row's document and signature, made for its first try, so that
 * every later try sends the same bytes, and sets @row's document_sha256.
 * Only a row leased to @owner that has none yet.
 */
gboolean ps_store_outbox_keep_document (PsStore *store, PsOutboxRow *row, const char *owner,
                                        GError **error);
/**
 * ps_store_outbox_renew:
 * @ids: (element-type gint64): the rows
 * Extends @owner's leases on @ids to @until_us (a live forwarder's heartbeat).
 */
gboolean ps_store_outbox_renew (PsStore *store, const char *owner, GArray *ids, gint64 until_us,
                                GError **error);
/**
 * ps_store_outbox_release:
 * @ids: (element-type gint64): the rows
 * Gives up @owner's leases on @ids, leaving the rows as they were (a
 * forwarder that stops before trying them).
 */
gboolean ps_store_outbox_release (PsStore *store, const char *owner, GArray *ids, GError **error);
/**
 * ps_store_outbox_sent:
 * The row was delivered; @reference is the receiver's. Audited, with
 * @document_sha256, the digest of the bytes sent.
 */
gboolean ps_store_outbox_sent (PsStore *store, gint64 id, const char *owner, const char *reference,
                               const char *document_sha256, gint64 now_us, GError **error);
/** Try again from @next_attempt_us; @problem says why it failed this time. */
gboolean ps_store_outbox_retry (PsStore *store, gint64 id, const char *owner, const char *problem,
                                gint64 next_attempt_us, GError **error);
/**
 * ps_store_outbox_failed:
 * The receiver refused the row for good (a 4xx): shown to the supervisor.
 * @problem is kept with the row for the supervisor; the audit trail gets
 * only @status and a digest of @problem (the receiver's words may quote the
 * report's personal data).
 */
gboolean ps_store_outbox_failed (PsStore *store, gint64 id, const char *owner, const char *problem,
                                 int status, gint64 now_us, GError **error);
/** A supervisor sends a refused row again (after the cause was fixed). Audited. */
gboolean ps_store_outbox_requeue (PsStore *store, const PsActor *actor, gint64 id, gint64 now_us,
                                  GError **error);
/**
 * ps_store_outbox_next_due:
 * @owner: the asking forwarder: its own leases do not hold it back
 * @next_due_us: (out): the earliest time a pending row could really be sent
 *   — its next attempt, the end of another forwarder's lease on it — counting
 *   only the first undelivered row of each report; 0 when no row can be
 *   sent until something changes (none pending, or all behind a refused row)
 */
gboolean ps_store_outbox_next_due (PsStore *store, const char *owner, gint64 *next_due_us,
                                   GError **error);
/** Returns: (transfer full) (element-type PsOutboxRow): the rows refused for good. */
GPtrArray *ps_store_outbox_list_failed (PsStore *store, GError **error);
/** Returns: (transfer full): the JSON document of @row, built from the database now. */
char *ps_store_outbox_document (PsStore *store, const PsOutboxRow *row,
                                const PsCounterIdentity *counter, GError **error);
/**
 * ps_store_data_version:
 * @version: (out): a number that changes whenever another connection (another
 *   process, or another thread's store) commits to the database
 */
gboolean ps_store_data_version (PsStore *store, gint64 *version, GError **error);

/** The last audit entry's sequence number and hash (the genesis hash when empty). */
gboolean ps_store_audit_head (PsStore *store, gint64 *seq, char **hash, GError **error);
/** The last audit entry made before @before_us (an export's "head at the end of the day"). */
gboolean ps_store_audit_head_before (PsStore *store, gint64 before_us, gint64 *seq, char **hash,
                                     GError **error);
/** Returns: (transfer full): a time as ISO 8601 UTC with microseconds. */
char *ps_time_to_iso (gint64 time_us);

/* ---- Audit trail ----------------------------------------------------------- */

typedef enum
{
  PS_AUDIT_OK,
  PS_AUDIT_CHANGED,        /* an entry's contents no longer match its hash */
  PS_AUDIT_MISSING,        /* a sequence number is missing */
  PS_AUDIT_INSERTED,       /* an entry does not link to the one before it */
  PS_AUDIT_RECORD_CHANGED, /* a record differs from what was audited */
  PS_AUDIT_TRUNCATED,      /* an entry the counter sent out is gone or different */
  PS_AUDIT_SCHEMA_CHANGED, /* a table, index or trigger is not the program's */
} PsAuditProblem;

typedef struct
{
  gint64 n_entries;
  char head[65]; /* the hash of the last entry */
  PsAuditProblem problem;
  gint64 problem_seq; /* the first broken sequence number */
  char *detail;       /* for a person: what is wrong */
} PsAuditResult;

void ps_audit_result_clear (PsAuditResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsAuditResult, ps_audit_result_clear)

/**
 * ps_store_audit_verify:
 * Walks the chain from the first entry, recomputing every hash; checks every
 * decision, custody event and correction against the digest its audit entry
 * holds, every user, report, outbox row and database setting against the
 * digest its last entry recorded, every purged parcel against the purge that
 * erased it, the schema (its triggers included) against the program's, and
 * every audit head the counter sent out (in forwarded documents and exports)
 * against the chain, so that a cut-off tail is named.
 * Returns: %FALSE only if the verification could not run; @result says
 *   whether the trail is whole
 */
gboolean ps_store_audit_verify (PsStore *store, PsAuditResult *result, GError **error);
/** Records every covered row as it is now (done once, when a database from
 * before the coverage is brought up to date). */
gboolean ps_store_write_coverage_baseline (PsStore *store, GError **error);

/**
 * ps_store_audit_append:
 * Appends one entry in its own transaction (for actions outside a decision,
 * such as an export). @payload is a short JSON object without personal data.
 */
gboolean ps_store_audit_append (PsStore *store, const PsActor *actor, const char *action,
                                const char *entity, const char *payload, gint64 now_us,
                                GError **error);

/* ---- Maintenance ---------------------------------------------------------- */

/**
 * ps_store_check:
 * Runs SQLite's integrity and foreign-key checks.
 * Returns: %TRUE if the file is sound; otherwise %FALSE with
 *   %PS_ERROR_STORAGE_CORRUPT naming the first problem
 */
gboolean ps_store_check (PsStore *store, GError **error);
int ps_store_get_schema_version (PsStore *store);

/**
 * ps_store_backup:
 * @replace: write over an existing regular file at @destination
 *
 * Copies the database to @destination with SQLite's online backup, so the
 * copy is consistent while the counter works; written to a new file of its
 * own (O_EXCL), synced, checked, then put in place. Refuses the database
 * itself and the files beside it (WAL, shared memory, journal), anything
 * but a regular file, and an existing file unless @replace.
 */
gboolean ps_store_backup (PsStore *store, const char *destination, gboolean replace,
                          GError **error);

typedef struct
{
  guint personal_data_days;
  guint closed_report_days;
} PsRetentionPolicy;

/**
 * ps_store_purge:
 * @actor: an administrator, or the system
 *
 * Erases the personal data (sender and recipient) of parcels accepted or
 * refused without any risk indicator more than @policy->personal_data_days
 * ago, and of held parcels whose report was closed more than
 * @policy->closed_report_days ago. The records, their digests and the audit
 * trail stay. The purge is audited.
 *
 * Returns: the number of parcels purged, or -1 with @error set
 */
/**
 * ps_store_erase_pending:
 * Returns: %TRUE if copies of the values the last purge erased may still be
 *   in the write-ahead log, because another connection was reading (a later
 *   purge erases them)
 */
gboolean ps_store_erase_pending (PsStore *store);
gint64 ps_store_purge (PsStore *store, const PsActor *actor, const PsRetentionPolicy *policy,
                       gint64 now_us, GError **error);

G_END_DECLS
