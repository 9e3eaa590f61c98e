/* ps-store-private.h — shared inside src/store only: the connection, the
 * SQLite error mapping, transactions and digests. Only src/store includes
 * sqlite3.h. */
#pragma once

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-store.h"

G_BEGIN_DECLS

struct _PsStore
{
  sqlite3 *db;
  char *path;
  GHashTable *statements;  /* SQL text → sqlite3_stmt */
  gboolean in_batch;       /* writes are savepoints of one outer transaction */
  gboolean in_transaction; /* a transaction of ours is open */
  guint8 pin_key[32];      /* the counter's PIN key, once read (ps-store-users.c) */
  gboolean erase_pending;  /* the last purge's old values may linger in the WAL */
  int simulation;          /* a simulation's database: -1 not known yet */
  GPtrArray *covers;       /* "table\tid" of rows changed since the last audit entry */
  gboolean has_pin_key;
};

/* An all-zero hash: the "previous hash" of the first audit entry. */
#define PS_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Sets @error from a SQLite result code, with a message a clerk can act on. */
gboolean ps_store_fail (PsStore *store, int rc, GError **error);

/* Prepares (once, then from the cache) and resets a statement. */
sqlite3_stmt *ps_store_prepare (PsStore *store, const char *sql, GError **error);
gboolean ps_store_exec (PsStore *store, const char *sql, GError **error);
/* Steps a statement that returns no row. */
gboolean ps_store_step_done (PsStore *store, sqlite3_stmt *statement, GError **error);
/* Reads every row of @statement into a new array, each made by @read_row and
 * freed with @free_row; the statement is reset. NULL on a database error. */
GPtrArray *ps_store_read_rows (PsStore *store, sqlite3_stmt *statement,
                               gpointer (*read_row) (sqlite3_stmt *statement),
                               GDestroyNotify free_row, GError **error);
/* Steps @statement to its row (its columns can then be read). Without one it
 * is reset, and the error is NOT_FOUND with the message @not_found, or the
 * database's error. */
gboolean ps_store_step_row (PsStore *store, sqlite3_stmt *statement, GError **error,
                            const char *not_found, ...) G_GNUC_PRINTF (4, 5);

/* BEGIN IMMEDIATE / COMMIT / explicit ROLLBACK. A failed commit is rolled back. */
gboolean ps_store_begin (PsStore *store, GError **error);
gboolean ps_store_commit (PsStore *store, GError **error);
void ps_store_rollback (PsStore *store);

void ps_store_bind_text (sqlite3_stmt *statement, int index, const char *text);
const char *ps_store_column_text (sqlite3_stmt *statement, int index);
char *ps_store_column_dup (sqlite3_stmt *statement, int index);
/* Like ps_store_column_dup(), but an allocation failure is an error rather
 * than a NULL that would pass for the value: for digests. */
gboolean ps_store_column_read (PsStore *store, sqlite3_stmt *statement, int index, char **out,
                               GError **error);

/* Appends an audit entry inside the current transaction. */
/* Notes that a row of a covered table (users, reports, outbox, meta) changed
 * in the open transaction: the next audit entry records its new digest, so
 * that audit verify finds any later change made behind the program's back. */
void ps_store_cover (PsStore *store, const char *table, gint64 id);
void ps_store_cover_key (PsStore *store, const char *table, const char *key);

gboolean ps_store_audit_append_in_transaction (PsStore *store, const PsActor *actor,
                                               const char *action, const char *entity,
                                               const char *payload, gint64 now_us, GError **error);

/* Digests that bind a record to its audit entry: the digest itself in
 * ps-store-audit.c, a parcel's in ps-store-decisions.c. */
typedef struct _PsDigest PsDigest;
/* Room for any gint64 in decimal, its sign and a NUL. */
#define PS_STORE_INT_CHARS 21
/* Writes @value in decimal (as "%" G_GINT64_FORMAT does) into @out; returns its length. */
gsize ps_store_format_int (char out[PS_STORE_INT_CHARS], gint64 value);

PsDigest *ps_digest_new (const char *kind);
void ps_digest_add_text (PsDigest *digest, const char *text);
void ps_digest_add_int (PsDigest *digest, gint64 value);
void ps_digest_add_null (PsDigest *digest);
char *ps_digest_finish (PsDigest *digest);

char *ps_store_parcel_digest (PsStore *store, gint64 parcel_id, gboolean recompute_personal,
                              GError **error);
/* The digest, under @domain, of the @n_columns columns of the one row that
 * @sql selects for @id, or for @key when it is not NULL (bound to ?1). A
 * missing row sets *found to FALSE and returns NULL without an error; the
 * caller names what is missing. */
char *ps_store_row_digest (PsStore *store, const char *sql, gint64 id, const char *key,
                           const char *domain, int n_columns, gboolean *found, GError **error);
char *ps_store_custody_digest (PsStore *store, gint64 event_id, GError **error);
char *ps_store_correction_digest (PsStore *store, gint64 correction_id, GError **error);

/* Builds a compact JSON object from triples of a key, a type code ('s' text,
 * 'i' gint64, 'b' gboolean) and the value:
 * ("name", 's', "text", "n", 'i', (gint64) 5, NULL). A wrong type code is a
 * programming error, caught when the object is built. */
char *ps_json_object (const char *first_key, ...) G_GNUC_NULL_TERMINATED;

/* The actor kind the audit trail records: the role, or "system" for none. */
const char *ps_store_actor_kind (const PsActor *actor);

/* The value of @id, read from the database, in @enum_type; @fallback for
 * an id this program does not know (a row it did not write), so that the
 * record still shows. */
int ps_store_enum_value (GType enum_type, const char *id, int fallback);

/* Table ids of the enumerations. */
const char *ps_answer_to_id (PsAnswer answer);
const char *ps_sex_to_id (PsSex sex);
const char *ps_weight_source_to_id (PsWeightSource source);
const char *ps_sender_source_to_id (PsSenderSource source);

/* The schema (ps-store-schema.c). */
extern const char *const *const ps_store_migrations[];
extern const guint ps_store_n_migrations;
/* Brings the schema of @db to @version (tests build older versions with it). */
gboolean ps_store_migrate (sqlite3 *db, int version, GError **error);

/* PINs (ps-store-pins.c). */
/* Creates the counter's PIN key beside the database if there is none. */
gboolean ps_store_ensure_pin_key (PsStore *store, GError **error);
/* Returns: (transfer full): the stored form of @pin, keyed and hashed */
char *ps_store_hash_pin (PsStore *store, const char *pin, GError **error);
/* Whether @pin matches @hash (keyed or from before the key); slow. */
gboolean ps_store_verify_pin (PsStore *store, const char *hash, const char *pin);
/* The same work as a check of a real PIN, for an unknown or disabled login. */
void ps_store_verify_dummy (PsStore *store, const char *pin);
/* Whether @hash was made with the PIN key. */
gboolean ps_store_pin_hash_is_keyed (const char *hash);

/* The audit trail's parts shared by appending (ps-store-audit.c) and
 * verifying (ps-store-audit-verify.c). */
typedef struct
{
  const char *table;
  const char *row_sql; /* the digested columns of one row, by id (or key) */
  const char *ids_sql; /* every row's id (or key) */
  int n_columns;
} PsCoveredTable;

#define PS_N_COVERED_TABLES 4
extern const PsCoveredTable ps_covered_tables[PS_N_COVERED_TABLES];
const PsCoveredTable *ps_store_find_covered (const char *table);
/* The digest of a covered row, or NULL (*found FALSE) if there is none. */
char *ps_store_covered_digest (PsStore *store, const PsCoveredTable *covered, const char *id,
                               gboolean *found, GError **error);
/* The hash of one audit entry in its canonical form. */
char *ps_store_audit_entry_hash (gint64 seq, gint64 time_us, gboolean has_actor, gint64 actor_id,
                                 const char *actor_kind, const char *action, const char *entity,
                                 const char *payload, const char *prev_hash);

G_END_DECLS
