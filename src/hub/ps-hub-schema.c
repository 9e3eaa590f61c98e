/* ps-hub-schema.c — the hub's PostgreSQL schema as numbered migrations, and
 * the connection helpers.
 *
 * Migration N moves the schema from version N-1 to N, in one transaction
 * with its row in hub_schema; all of them run under one advisory lock, so
 * that two hubs started together never apply one twice. A database of a
 * newer schema than this program knows is refused, untouched.
 *
 * The projections (reports, custody_events) are derived from the stored
 * documents by ps_project(), a function of the schema: the ingest calls it in
 * the document's transaction, and "db rebuild-projections" replays every
 * document through it. The documents are the evidence; the projections are
 * for reading.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-hub.h"

/* Any fixed number: the lock that serialises migrations between hubs. */
#define MIGRATION_LOCK "7370687562"

/* 1: the first schema. */
static const char *const migration_1[] = {
  "CREATE TABLE counters ("
  "  id bigserial PRIMARY KEY,"
  "  office text NOT NULL,"
  "  counter text NOT NULL,"
  "  public_key text NOT NULL,"
  "  cert_sha256 text NOT NULL UNIQUE CHECK (cert_sha256 ~ '^[0-9a-f]{64}$'),"
  "  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'revoked')),"
  "  registered timestamptz NOT NULL DEFAULT now(),"
  "  revoked timestamptz,"
  "  last_seen timestamptz,"
  "  UNIQUE (office, counter));",
  "CREATE TABLE documents ("
  "  id bigserial PRIMARY KEY,"
  "  counter_id bigint NOT NULL REFERENCES counters (id),"
  "  idempotency_key text NOT NULL,"
  "  sha256 text NOT NULL,"
  "  body bytea COMPRESSION lz4 NOT NULL,"
  "  doc jsonb COMPRESSION lz4 NOT NULL,"
  "  signature text NOT NULL,"
  "  signer_key text NOT NULL,"
  "  received timestamptz NOT NULL DEFAULT now(),"
  "  reference text NOT NULL UNIQUE DEFAULT gen_random_uuid ()::text,"
  "  UNIQUE (counter_id, idempotency_key));",
  "CREATE TABLE reports ("
  "  counter_id bigint NOT NULL REFERENCES counters (id),"
  "  report_id bigint NOT NULL,"
  "  tracking text,"
  "  status text,"
  "  decided timestamptz,"
  "  day date,"
  "  sender_id_number text,"
  "  hold_reasons text[] NOT NULL DEFAULT '{}',"
  "  risk_score integer,"
  "  simulation boolean NOT NULL DEFAULT false,"
  "  document_id bigint NOT NULL REFERENCES documents (id),"
  "  custody_count integer NOT NULL DEFAULT 0,"
  "  updated timestamptz NOT NULL DEFAULT now(),"
  "  PRIMARY KEY (counter_id, report_id));",
  "CREATE INDEX reports_day ON reports (day DESC, decided DESC);",
  "CREATE INDEX reports_tracking ON reports (tracking);",
  "CREATE TABLE custody_events ("
  "  counter_id bigint NOT NULL REFERENCES counters (id),"
  "  event_id bigint NOT NULL,"
  "  report_id bigint NOT NULL,"
  "  kind text NOT NULL,"
  "  time timestamptz,"
  "  actor text,"
  "  note text,"
  "  officer jsonb,"
  "  instruction text,"
  "  override text,"
  "  document_id bigint NOT NULL REFERENCES documents (id),"
  "  PRIMARY KEY (counter_id, event_id));",
  "CREATE INDEX custody_report ON custody_events (counter_id, report_id);",
  "CREATE TABLE audit_heads ("
  "  counter_id bigint NOT NULL REFERENCES counters (id),"
  "  seq bigint NOT NULL,"
  "  hash text NOT NULL,"
  "  document_id bigint NOT NULL REFERENCES documents (id),"
  "  PRIMARY KEY (counter_id, seq));",
  "CREATE TABLE counter_flags ("
  "  id bigserial PRIMARY KEY,"
  "  counter_id bigint NOT NULL REFERENCES counters (id),"
  "  kind text NOT NULL,"
  "  detail text NOT NULL,"
  "  document_id bigint REFERENCES documents (id),"
  "  raised timestamptz NOT NULL DEFAULT now(),"
  "  acknowledged timestamptz,"
  "  ack_note text);",
  "CREATE TABLE police_users ("
  "  id bigserial PRIMARY KEY,"
  "  login text NOT NULL UNIQUE,"
  "  name text NOT NULL,"
  "  role text NOT NULL CHECK (role IN ('officer', 'commander', 'admin')),"
  "  unit text NOT NULL DEFAULT '',"
  "  badge text NOT NULL DEFAULT '',"
  "  password_hash text NOT NULL,"
  "  disabled boolean NOT NULL DEFAULT false,"
  "  failures integer NOT NULL DEFAULT 0,"
  "  locked_until timestamptz,"
  "  created timestamptz NOT NULL DEFAULT now());",
  "CREATE TABLE web_sessions ("
  "  token_sha256 text PRIMARY KEY,"
  "  user_id bigint NOT NULL REFERENCES police_users (id),"
  "  csrf text NOT NULL,"
  "  created timestamptz NOT NULL DEFAULT now(),"
  "  expires timestamptz NOT NULL);",
  "CREATE TABLE instructions ("
  "  id uuid PRIMARY KEY,"
  "  counter_id bigint NOT NULL REFERENCES counters (id),"
  "  seq bigint NOT NULL,"
  "  report_id bigint,"
  "  kind text NOT NULL,"
  "  body bytea NOT NULL,"
  "  signature text NOT NULL,"
  "  issued_by bigint NOT NULL REFERENCES police_users (id),"
  "  issued timestamptz NOT NULL,"
  "  due timestamptz,"
  "  summary text NOT NULL,"
  "  state text NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'received', 'done', "
  "    'cancelled')),"
  "  received_at timestamptz,"
  "  done_at timestamptz,"
  "  UNIQUE (counter_id, seq));",
  "CREATE INDEX instructions_open ON instructions (state, due);",
  "CREATE INDEX instructions_report ON instructions (counter_id, report_id);",
  "CREATE TABLE access_log ("
  "  id bigserial PRIMARY KEY,"
  "  time timestamptz NOT NULL DEFAULT now(),"
  "  user_id bigint REFERENCES police_users (id),"
  "  action text NOT NULL,"
  "  counter_id bigint,"
  "  report_id bigint);",
  /* The projections of one document, from its parsed body. */
  "CREATE FUNCTION ps_project_document (cid bigint, doc_id bigint, d jsonb) RETURNS void"
  "  LANGUAGE plpgsql AS $$"
  " DECLARE p jsonb := d -> 'parcel'; rid bigint := (d -> 'report' ->> 'id')::bigint;"
  "   decided timestamptz := (d -> 'parcel' ->> 'decided')::timestamptz;"
  " BEGIN"
  "  INSERT INTO reports AS r (counter_id, report_id, tracking, status, decided, day,"
  "      sender_id_number, hold_reasons, risk_score, simulation, document_id, custody_count)"
  "    VALUES (cid, rid, p ->> 'tracking', d -> 'report' ->> 'status', decided,"
  "      (decided AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, p -> 'sender' ->> 'id_number',"
  "      ARRAY (SELECT jsonb_array_elements_text (coalesce (p -> 'hold_reasons', '[]'))),"
  "      (p -> 'risk' ->> 'score')::integer, coalesce ((d ->> 'simulation')::boolean, false),"
  "      doc_id, coalesce (jsonb_array_length (d -> 'custody'), 0))"
  "    ON CONFLICT (counter_id, report_id) DO UPDATE SET"
  "      status = CASE WHEN EXCLUDED.custody_count >= r.custody_count"
  "               THEN EXCLUDED.status ELSE r.status END,"
  "      document_id = CASE WHEN EXCLUDED.custody_count >= r.custody_count"
  "                    THEN EXCLUDED.document_id ELSE r.document_id END,"
  "      custody_count = greatest (r.custody_count, EXCLUDED.custody_count),"
  "      updated = now ();"
  "  INSERT INTO custody_events (counter_id, event_id, report_id, kind, time, actor, note,"
  "      officer, instruction, override, document_id)"
  "    SELECT cid, (ev ->> 'id')::bigint, rid, ev ->> 'kind', (ev ->> 'time')::timestamptz,"
  "      ev ->> 'actor', ev ->> 'note',"
  "      CASE WHEN jsonb_typeof (ev -> 'officer') = 'object' THEN ev -> 'officer' END,"
  "      ev ->> 'instruction', ev ->> 'override', doc_id"
  "    FROM (SELECT value AS ev FROM jsonb_array_elements (coalesce (d -> 'custody', '[]'))"
  "          UNION ALL SELECT d -> 'event' WHERE jsonb_typeof (d -> 'event') = 'object') e"
  "    ON CONFLICT (counter_id, event_id) DO NOTHING;"
  /* An instruction carried out at the counter is done. */
  "  UPDATE instructions i SET state = 'done', done_at = (e.ev ->> 'time')::timestamptz"
  "    FROM (SELECT value AS ev FROM jsonb_array_elements (coalesce (d -> 'custody', '[]'))"
  "          UNION ALL SELECT d -> 'event' WHERE jsonb_typeof (d -> 'event') = 'object') e"
  "    WHERE i.counter_id = cid AND i.id::text = e.ev ->> 'instruction'"
  "      AND i.state IN ('sent', 'received');"
  " END $$;",
  /* The same from a stored document (db rebuild-projections). */
  "CREATE FUNCTION ps_project (doc_id bigint) RETURNS void LANGUAGE sql AS $$"
  "  SELECT ps_project_document (counter_id, id, doc) FROM documents WHERE id = doc_id"
  " $$;",
  /* A document in one statement (one round trip, one transaction): stored
   * once per (counter, key), projected, its audit head noted. Returns 200
   * with the reference (the first one for the same bytes again) or 422. */
  "CREATE FUNCTION ps_ingest (cid bigint, ikey text, sha text, raw bytea, sig text, signer text,"
  "    head_seq bigint, head_hash text, registered_key text, OUT status integer, OUT ref text,"
  "    OUT flagged boolean)"
  "  LANGUAGE plpgsql AS $$"
  " DECLARE doc_id bigint; known text; d jsonb := convert_from (raw, 'UTF8')::jsonb;"
  " BEGIN"
  "  flagged := false;"
  /* Still active with the key the signature was checked with: the row lock
   * orders this document against a revocation. */
  "  UPDATE counters SET last_seen = now ()"
  "    WHERE id = cid AND state = 'active' AND public_key = registered_key;"
  "  IF NOT FOUND THEN"
  "    status := 403;"
  "    RETURN;"
  "  END IF;"
  "  INSERT INTO documents (counter_id, idempotency_key, sha256, body, doc, signature,"
  "      signer_key)"
  "    VALUES (cid, ikey, sha, raw, d, sig, signer)"
  "    ON CONFLICT (counter_id, idempotency_key) DO NOTHING RETURNING id, reference"
  "    INTO doc_id, ref;"
  "  IF doc_id IS NULL THEN"
  "    SELECT CASE WHEN d.sha256 = sha THEN 200 ELSE 422 END, d.reference INTO status, ref"
  "      FROM documents d WHERE d.counter_id = cid AND d.idempotency_key = ikey;"
  "    RETURN;"
  "  END IF;"
  "  PERFORM ps_project_document (cid, doc_id, d);"
  "  SELECT hash INTO known FROM audit_heads WHERE counter_id = cid AND seq = head_seq;"
  "  IF NOT FOUND THEN"
  "    INSERT INTO audit_heads (counter_id, seq, hash, document_id)"
  "      VALUES (cid, head_seq, head_hash, doc_id) ON CONFLICT DO NOTHING;"
  "  ELSIF known <> head_hash THEN"
  "    INSERT INTO counter_flags (counter_id, kind, detail, document_id)"
  "      VALUES (cid, 'audit-fork', 'audit sequence ' || head_seq || ' seen with another hash: "
  "the counter''s database was replaced or restored', doc_id);"
  "    flagged := true;"
  "  END IF;"
  "  status := 200;"
  " END $$;",
  NULL,
};

static const char *const *const migrations[] = {
  migration_1,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PS_HUB_SCHEMA_VERSION);

PGconn *
ps_hub_db_connect (const char *conninfo, GError **error)
{
  PGconn *conn = PQconnectdb (conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *words = g_strstrip (g_strdup (PQerrorMessage (conn)));
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE,
                   _ ("Cannot connect to the hub's database: %s"), words);
      PQfinish (conn);
      return NULL;
    }
  /* Every time the hub stores or shows is UTC on the wire. */
  PGresult *set = PQexec (conn, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
  PQclear (set);
  return conn;
}

gboolean
ps_hub_db_lost (PGconn *conn)
{
  return conn == NULL || PQstatus (conn) != CONNECTION_OK;
}

PGresult *
ps_hub_db_exec_bin (PGconn *conn, GError **error, const char *sql, int n_params,
                    const char *const *params, const int *lengths, const int *formats)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, params, lengths, formats, 0);
  ExecStatusType status = PQresultStatus (result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  g_autofree char *words = g_strstrip (g_strdup (PQerrorMessage (conn)));
  PsError code = PS_ERROR_STORAGE;
  if (ps_hub_db_lost (conn))
    code = PS_ERROR_STORAGE_BUSY;
  else if (state != NULL && strcmp (state, "23505") == 0)
    code = PS_ERROR_DUPLICATE;
  else if (state != NULL && g_str_has_prefix (state, "22"))
    code = PS_ERROR_INVALID_INPUT; /* a data exception: the input, not the server */
  else if (state != NULL && (g_str_has_prefix (state, "40") || g_str_has_prefix (state, "53") ||
                             g_str_has_prefix (state, "57") || g_str_has_prefix (state, "08")))
    code = PS_ERROR_STORAGE_BUSY; /* a conflict, no resources, shutting down, connection */
  g_set_error (error, PS_ERROR, code, _ ("The hub's database failed: %s"), words);
  PQclear (result);
  return NULL;
}

PGresult *
ps_hub_db_exec_prepared (PGconn *conn, GError **error, const char *name, const char *sql,
                         int n_params, const char *const *params, const int *lengths,
                         const int *formats)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      PGresult *result = PQexecPrepared (conn, name, n_params, params, lengths, formats, 0);
      ExecStatusType status = PQresultStatus (result);
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return result;
      const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
      gboolean unknown = attempt == 0 && state != NULL && strcmp (state, "26000") == 0;
      PQclear (result);
      if (!unknown)
        break;
      /* Not prepared on this connection yet (or it was reset). */
      PGresult *prepared = PQprepare (conn, name, sql, n_params, NULL);
      status = PQresultStatus (prepared);
      PQclear (prepared);
      if (status != PGRES_COMMAND_OK)
        break;
    }
  /* Run it unprepared for the error's words and code. */
  return ps_hub_db_exec_bin (conn, error, sql, n_params, params, lengths, formats);
}

PGresult *
ps_hub_db_exec (PGconn *conn, GError **error, const char *sql, int n_params,
                const char *const *params)
{
  return ps_hub_db_exec_bin (conn, error, sql, n_params, params, NULL, NULL);
}

gboolean
ps_hub_db_run (PGconn *conn, GError **error, const char *sql, int n_params,
               const char *const *params)
{
  PGresult *result = ps_hub_db_exec (conn, error, sql, n_params, params);
  PQclear (result);
  return result != NULL;
}

static gboolean
exec_simple (PGconn *conn, const char *sql, GError **error)
{
  g_autoptr (PGresult) result = ps_hub_db_exec (conn, error, sql, 0, NULL);
  return result != NULL;
}

static int
schema_version (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) exists =
      ps_hub_db_exec (conn, error, "SELECT to_regclass ('hub_schema') IS NOT NULL", 0, NULL);
  if (exists == NULL)
    return -1;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return 0;
  g_autoptr (PGresult) version =
      ps_hub_db_exec (conn, error, "SELECT coalesce (max (version), 0) FROM hub_schema", 0, NULL);
  if (version == NULL)
    return -1;
  return atoi (PQgetvalue (version, 0, 0));
}

gboolean
ps_hub_db_check_version (PGconn *conn, GError **error)
{
  int version = schema_version (conn, error);
  if (version < 0)
    return FALSE;
  if (version != PS_HUB_SCHEMA_VERSION)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_VERSION,
                   version > PS_HUB_SCHEMA_VERSION
                       ? _ ("The hub's database has schema %d, newer than this hub (%d): "
                            "install the newer parcelscreen-hub.")
                       : _ ("The hub's database has schema %d; this hub needs %d: run "
                            "\"parcelscreen-hubctl db migrate\" first."),
                   version, PS_HUB_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_hub_db_migrate (PGconn *conn, int *from, int *to, GError **error)
{
  if (!exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (!exec_simple (conn, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")", error) ||
      !exec_simple (conn,
                    "CREATE TABLE IF NOT EXISTS hub_schema (version integer PRIMARY KEY, "
                    "applied timestamptz NOT NULL DEFAULT now())",
                    error))
    goto fail;
  int version = schema_version (conn, error);
  if (version < 0)
    goto fail;
  if (from != NULL)
    *from = version;
  if (version > PS_HUB_SCHEMA_VERSION)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_VERSION,
                   _ ("The hub's database has schema %d, newer than this hub (%d): nothing "
                      "was changed."),
                   version, PS_HUB_SCHEMA_VERSION);
      goto fail;
    }
  for (int next = version + 1; next <= PS_HUB_SCHEMA_VERSION; next++)
    {
      g_autofree char *number = g_strdup_printf ("%d", next);
      const char *params[] = { number };
      for (const char *const *statement = migrations[next - 1]; *statement != NULL; statement++)
        if (!exec_simple (conn, *statement, error))
          goto fail;
      g_autoptr (PGresult) row =
          ps_hub_db_exec (conn, error, "INSERT INTO hub_schema (version) VALUES ($1)", 1, params);
      if (row == NULL)
        goto fail;
    }
  if (to != NULL)
    *to = PS_HUB_SCHEMA_VERSION;
  return exec_simple (conn, "COMMIT", error);

fail:
  {
    PGresult *rollback = PQexec (conn, "ROLLBACK");
    PQclear (rollback);
  }
  return FALSE;
}

/* ---- The pool ------------------------------------------------------------------- */

struct _PsHubPool
{
  char *conninfo;
  GMutex lock;
  GCond freed;
  GPtrArray *idle; /* PGconn *, NULL for a slot not connected yet */
};

PsHubPool *
ps_hub_pool_new (const char *conninfo, guint size)
{
  PsHubPool *pool = g_new0 (PsHubPool, 1);
  pool->conninfo = g_strdup (conninfo);
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->freed);
  pool->idle = g_ptr_array_new ();
  for (guint i = 0; i < MAX (size, 1); i++)
    g_ptr_array_add (pool->idle, NULL);
  return pool;
}

void
ps_hub_pool_free (PsHubPool *pool)
{
  if (pool == NULL)
    return;
  for (guint i = 0; i < pool->idle->len; i++)
    if (pool->idle->pdata[i] != NULL)
      PQfinish (pool->idle->pdata[i]);
  g_ptr_array_unref (pool->idle);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->freed);
  g_free (pool->conninfo);
  g_free (pool);
}

PGconn *
ps_hub_pool_acquire (PsHubPool *pool, guint timeout_ms, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_mutex_lock (&pool->lock);
  while (pool->idle->len == 0)
    if (!g_cond_wait_until (&pool->freed, &pool->lock, deadline))
      {
        g_mutex_unlock (&pool->lock);
        g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_BUSY,
                     _ ("Every connection to the hub's database is in use."));
        return NULL;
      }
  PGconn *conn = g_ptr_array_steal_index_fast (pool->idle, pool->idle->len - 1);
  g_mutex_unlock (&pool->lock);

  if (conn != NULL && PQstatus (conn) != CONNECTION_OK)
    {
      PQreset (conn);
      if (PQstatus (conn) == CONNECTION_OK)
        {
          PGresult *set = PQexec (conn, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
          PQclear (set);
        }
    }
  if (conn == NULL)
    conn = ps_hub_db_connect (pool->conninfo, NULL);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      /* Give the slot back (empty or broken: the next one tries again). */
      ps_hub_pool_release (pool, conn);
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_BUSY,
                   _ ("The hub's database cannot be reached."));
      return NULL;
    }
  return conn;
}

void
ps_hub_pool_release (PsHubPool *pool, PGconn *conn)
{
  if (conn != NULL && PQtransactionStatus (conn) != PQTRANS_IDLE &&
      PQstatus (conn) == CONNECTION_OK)
    {
      PGresult *rollback = PQexec (conn, "ROLLBACK");
      PQclear (rollback);
    }
  g_mutex_lock (&pool->lock);
  g_ptr_array_add (pool->idle, conn);
  g_cond_signal (&pool->freed);
  g_mutex_unlock (&pool->lock);
}
