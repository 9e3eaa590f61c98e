/* ps-hub.h — the provincial hub (parcelscreen-hub, parcelscreen-hubctl):
 * receives the counters' signed reports over mutual TLS, keeps them in
 * PostgreSQL, and shows them to the police. See ../../docs/hub.md.
 *
 * The hub keeps no state of its own: every fact is a row in PostgreSQL, so
 * any number of hub processes can serve one database.
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

#include "parcelscreen/ps-reasons.h"
#include "ps-signing.h"

G_BEGIN_DECLS

/* ---- Configuration (hub.conf) ---------------------------------------------------- */

typedef struct
{
  char *conninfo;           /* [database] conninfo: libpq's connection string */
  guint pool_size;          /* [database] pool-size */
  guint acquire_ms;         /* [database] acquire-timeout-ms: then 503 */
  char *listen;             /* [ingest] address */
  guint port;               /* [ingest] port */
  char *tls_cert;           /* [ingest] tls-certificate (PEM, the hub's) */
  char *tls_key;            /* [ingest] tls-key */
  char *counter_ca;         /* [ingest] counter-ca: the province's counter CA */
  char *web_listen;         /* [web] address */
  guint web_port;           /* [web] port, 0: no web view */
  char *web_tls_cert;       /* [web] tls-certificate (default: the ingest's) */
  char *web_tls_key;        /* [web] tls-key */
  guint session_minutes;    /* [web] session-minutes */
  guint lock_failures;      /* [web] lock-after-failures */
  guint lock_minutes;       /* [web] lock-minutes */
  char *reasons_path;       /* [web] reasons: the counters' reasons file */
  PsReasons *reasons;       /* its hold reasons, in words */
  char *police_key_path;    /* [answers] police-key: signs the instructions */
  PsSigningKey *police_key; /* NULL: no instructions are issued */
} PsHubConfig;

PsHubConfig *ps_hub_config_load (const char *path, GError **error);
void ps_hub_config_free (PsHubConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsHubConfig, ps_hub_config_free)

/* ---- PostgreSQL ------------------------------------------------------------------- */

/** The schema version this hub reads and writes (ps-hub-schema.c). */
#define PS_HUB_SCHEMA_VERSION 1

/** Connects once (hubctl); names the server's words on failure. */
PGconn *ps_hub_db_connect (const char *conninfo, GError **error);
/** Applies the migrations missing from the database, in order, in one
 * transaction each, under an advisory lock; refuses a newer schema untouched. */
gboolean ps_hub_db_migrate (PGconn *conn, int *from, int *to, GError **error);
/** Refuses a database whose schema is not PS_HUB_SCHEMA_VERSION. */
gboolean ps_hub_db_check_version (PGconn *conn, GError **error);

/** Runs @sql with text parameters; NULL and @error on failure (the result is
 * cleared). A tuple-returning or command result otherwise. */
PGresult *ps_hub_db_exec (PGconn *conn, GError **error, const char *sql, int n_params,
                          const char *const *params);
/** Runs @sql for its effect only: %TRUE if it succeeded. */
gboolean ps_hub_db_run (PGconn *conn, GError **error, const char *sql, int n_params,
                        const char *const *params);
/** The same, binary parameters allowed: @lengths and @formats as PQexecParams. */
PGresult *ps_hub_db_exec_bin (PGconn *conn, GError **error, const char *sql, int n_params,
                              const char *const *params, const int *lengths, const int *formats);
/** The same, as the prepared statement @name of the connection (prepared on
 * first use, and again after a reconnection). */
PGresult *ps_hub_db_exec_prepared (PGconn *conn, GError **error, const char *name, const char *sql,
                                   int n_params, const char *const *params, const int *lengths,
                                   const int *formats);
/** TRUE when the connection is gone (the server restarted, the network). */
gboolean ps_hub_db_lost (PGconn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/** A fixed set of connections shared by the worker threads. */
typedef struct _PsHubPool PsHubPool;

PsHubPool *ps_hub_pool_new (const char *conninfo, guint size);
void ps_hub_pool_free (PsHubPool *pool);
/** Waits up to @timeout_ms for a free connection, reconnecting one that was
 * lost. NULL with PS_ERROR_STORAGE_BUSY (all in use) or PS_ERROR_STORAGE
 * (the server is unreachable). */
PGconn *ps_hub_pool_acquire (PsHubPool *pool, guint timeout_ms, GError **error);
void ps_hub_pool_release (PsHubPool *pool, PGconn *conn);

/* ---- Certificates and passwords ---------------------------------------------------- */

/** Returns: the SHA-256 of the certificate's DER bytes, 64 lower-case hex digits. */
char *ps_hub_certificate_fingerprint (GTlsCertificate *certificate);
/** Hashes a police user's password (Argon2id, libsodium's moderate limits). */
char *ps_hub_password_hash (const char *password, GError **error);
gboolean ps_hub_password_verify (const char *hash, const char *password);
/** Returns: (transfer full): @n random bytes as URL-safe text. */
char *ps_hub_random_token (gsize n);
/** Returns: the SHA-256 of @data as 64 hex digits. */
char *ps_hub_sha256_hex (const void *data, gsize len);

/* ---- The service ------------------------------------------------------------------- */

typedef struct _PsHub PsHub;

/** The largest document the ingest reads (docs/relay.md: 413 above). */
#define PS_HUB_MAX_BODY (1024 * 1024)

/**
 * PsHubExchange:
 * One request, copied out of libsoup in the main thread, handled by a worker
 * thread with a pooled connection, and answered back in the main thread.
 */
typedef struct
{
  PsHub *hub;
  /* The request. */
  char *method;
  char *path;
  GHashTable *query;   /* name -> value, may be NULL */
  GHashTable *headers; /* lower-case name -> value */
  GBytes *body;
  char *peer_fingerprint; /* the client certificate's SHA-256, or NULL */
  GTlsCertificateFlags peer_errors;
  /* The answer. */
  guint status;
  char *content_type;
  GString *response;
  GPtrArray *response_headers; /* name, value, name, value… */
} PsHubExchange;

const char *ps_hub_exchange_header (PsHubExchange *exchange, const char *name);
const char *ps_hub_exchange_query (PsHubExchange *exchange, const char *name);
void ps_hub_exchange_answer (PsHubExchange *exchange, guint status, const char *content_type,
                             const char *body);
void ps_hub_exchange_add_header (PsHubExchange *exchange, const char *name, const char *value);

/**
 * ps_hub_identify_counter:
 * @cached: may use the registry read before (the ingest re-checks it in its
 *   transaction); %FALSE reads it now
 *
 * The counter of the request: its client certificate registered and active,
 * and X-ParcelScreen-Counter naming it. Otherwise answers 403 itself.
 */
gboolean ps_hub_identify_counter (PsHubExchange *exchange, PGconn *conn, gboolean cached, char **id,
                                  char **office, char **counter_name, char **public_key);
/** The ingest (ps-hub-ingest.c): POST of a counter's document. */
void ps_hub_ingest_handle (const PsHubConfig *config, PsHubExchange *exchange, PGconn *conn);
/** The counters' side of the answers (ps-hub-answers.c): GET
 * /v1/instructions (sets @park_counter when the request is to wait) and POST
 * /v1/instructions/ack. */
void ps_hub_answers_handle (const PsHubConfig *config, PsHubExchange *exchange, PGconn *conn,
                            gint64 *park_counter);
/**
 * ps_hub_issue_instruction:
 * @fields: the kind's own members ("case", "question", "until", "to",
 *   "order", "approval", "urgent", "reason", "collector_name",
 *   "collector_badge", "instruction", "due"), as the web form gives them
 *
 * Numbers (the next of the counter, in the counter's row lock), signs with
 * the police key, stores and announces (NOTIFY) one instruction.
 * Returns: (transfer full): its id, or NULL with @error
 */
char *ps_hub_issue_instruction (const PsHubConfig *config, PGconn *conn, const char *user_id,
                                const char *counter_id, const char *report_id, const char *kind,
                                GHashTable *fields, GError **error);
/** The police's web view (ps-hub-web.c). */
void ps_hub_web_handle (const PsHubConfig *config, PsHubExchange *exchange, PGconn *conn);

PsHub *ps_hub_new (const PsHubConfig *config, GError **error);
void ps_hub_free (PsHub *hub);
/** Listens on the ingest and web addresses; runs until @cancellable. */
gboolean ps_hub_run (PsHub *hub, GCancellable *cancellable, GError **error);

G_END_DECLS
