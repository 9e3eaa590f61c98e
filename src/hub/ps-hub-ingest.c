/* ps-hub-ingest.c — a counter's POST, checked in the order of
 * docs/relay.md ("What a receiver must do") and stored in one transaction.
 *
 *  1. the client certificate is a registered, active counter's (the TLS
 *     handshake already required it to chain to the counter CA)      → 403
 *  2. X-ParcelScreen-Counter names that counter                       → 403
 *  3. the body is at most 1 MiB                                        → 413
 *  4. the signature verifies with the key registered for the counter  → 401
 *  5. the body is a parcelscreen.report/1 document of that counter    → 400
 *  6. one transaction: the document (a repeated key: the same body gets the
 *     first answer again, another body 422), its projections, the audit
 *     head; commit; only then 200 {"reference": …}. The database down or
 *     busy: 503 with Retry-After.
 *
 * Nothing personal is logged: a refusal is logged with the counter and the
 * status only.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-hub.h"
#include "ps-signing.h"

typedef struct
{
  char *id;
  char *office;
  char *counter;
  char *public_key;
} Counter;

static void
counter_clear (Counter *counter)
{
  g_free (counter->id);
  g_free (counter->office);
  g_free (counter->counter);
  g_free (counter->public_key);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Counter, counter_clear)

static void
refuse (PsHubExchange *exchange, guint status, const char *counter, const char *why)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, why);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *body = json_to_string (root, FALSE);
  ps_hub_exchange_answer (exchange, status, "application/json", body);
  g_message ("ingest: %u for %s: %s", status, counter != NULL ? counter : "an unknown counter",
             why);
}

static void
unavailable (PsHubExchange *exchange, const GError *error)
{
  g_message ("ingest: 503: %s", error->message);
  ps_hub_exchange_answer (exchange, SOUP_STATUS_SERVICE_UNAVAILABLE, "application/json",
                          "{\"error\": \"the hub's database is unavailable; try again\"}");
  ps_hub_exchange_add_header (exchange, "Retry-After", "2");
}

static gboolean
is_time (JsonObject *object, const char *member, gboolean nullable)
{
  JsonNode *node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return nullable;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  return time != NULL;
}

static gboolean
is_type (JsonObject *object, const char *member, GType type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
is_optional (JsonObject *object, const char *member, GType type)
{
  JsonNode *node = json_object_get_member (object, member);
  return node == NULL || JSON_NODE_HOLDS_NULL (node) || is_type (object, member, type);
}

static JsonObject *
object_member (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
valid_event (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  JsonObject *event = json_node_get_object (node);
  return is_type (event, "id", G_TYPE_INT64) && json_object_get_int_member (event, "id") > 0 &&
         is_type (event, "kind", G_TYPE_STRING) && is_time (event, "time", FALSE) &&
         is_optional (event, "actor", G_TYPE_STRING) && is_optional (event, "note", G_TYPE_STRING);
}

/* What ps_project() and the audit-head check read must be there and of the
 * right type, so that a malformed body is a 400 and never a failed
 * transaction. Returns: NULL, or what is wrong. */
static const char *
check_document (JsonNode *root, const Counter *counter, const char *key, gint64 *head_seq,
                const char **head_hash)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return "the body is not a JSON object";
  JsonObject *doc = json_node_get_object (root);
  if (!is_type (doc, "schema", G_TYPE_STRING) ||
      strcmp (json_object_get_string_member (doc, "schema"), "parcelscreen.report/1") != 0)
    return "the schema is not parcelscreen.report/1";
  const char *kind =
      is_type (doc, "kind", G_TYPE_STRING) ? json_object_get_string_member (doc, "kind") : "";
  if (strcmp (kind, "report") != 0 && strcmp (kind, "custody") != 0 &&
      strcmp (kind, "closure") != 0)
    return "kind is not report, custody or closure";
  if (!is_type (doc, "idempotency_key", G_TYPE_STRING) ||
      strcmp (json_object_get_string_member (doc, "idempotency_key"), key) != 0)
    return "idempotency_key differs from the Idempotency-Key header";
  JsonObject *who = object_member (doc, "counter");
  if (!is_type (who, "office", G_TYPE_STRING) || !is_type (who, "counter", G_TYPE_STRING) ||
      strcmp (json_object_get_string_member (who, "office"), counter->office) != 0 ||
      strcmp (json_object_get_string_member (who, "counter"), counter->counter) != 0)
    return "the document names another counter";
  JsonObject *head = object_member (doc, "audit_head");
  if (!is_type (head, "seq", G_TYPE_INT64) || !is_type (head, "hash", G_TYPE_STRING) ||
      json_object_get_int_member (head, "seq") < 0 ||
      strlen (json_object_get_string_member (head, "hash")) != 64)
    return "audit_head is missing or malformed";
  *head_seq = json_object_get_int_member (head, "seq");
  *head_hash = json_object_get_string_member (head, "hash");
  JsonObject *report = object_member (doc, "report");
  if (!is_type (report, "id", G_TYPE_INT64) || json_object_get_int_member (report, "id") <= 0 ||
      !is_type (report, "status", G_TYPE_STRING))
    return "report is missing or malformed";
  JsonObject *parcel = object_member (doc, "parcel");
  if (parcel == NULL || !is_type (parcel, "tracking", G_TYPE_STRING) ||
      !is_time (parcel, "decided", TRUE))
    return "parcel is missing or malformed";
  JsonObject *sender = object_member (parcel, "sender");
  if (sender != NULL && !is_optional (sender, "id_number", G_TYPE_STRING))
    return "parcel.sender.id_number is malformed";
  JsonObject *risk = object_member (parcel, "risk");
  if (risk != NULL && !is_optional (risk, "score", G_TYPE_INT64))
    return "parcel.risk.score is malformed";
  JsonNode *reasons = json_object_get_member (parcel, "hold_reasons");
  if (reasons != NULL && !JSON_NODE_HOLDS_NULL (reasons))
    {
      if (!JSON_NODE_HOLDS_ARRAY (reasons))
        return "parcel.hold_reasons is not a list";
      JsonArray *list = json_node_get_array (reasons);
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return "parcel.hold_reasons holds something else than a code";
        }
    }
  JsonNode *custody = json_object_get_member (doc, "custody");
  if (custody == NULL || !JSON_NODE_HOLDS_ARRAY (custody))
    return "custody is not a list";
  JsonArray *events = json_node_get_array (custody);
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (!valid_event (json_array_get_element (events, i)))
      return "a custody event is malformed";
  JsonNode *event = json_object_get_member (doc, "event");
  if (event != NULL && !JSON_NODE_HOLDS_NULL (event) && !valid_event (event))
    return "event is malformed";
  return NULL;
}

static void
answer_reference (PsHubExchange *exchange, const char *reference)
{
  g_autofree char *body = g_strdup_printf ("{\"reference\": \"%s\"}", reference);
  ps_hub_exchange_answer (exchange, SOUP_STATUS_OK, "application/json", body);
}

/* The registry as last read, fingerprint -> Counter: only a shortcut. Every
 * document's transaction checks again that its counter is active with this
 * very key (ps_ingest () answers 403 otherwise), so a revocation or a new key
 * takes effect at once. */
static GMutex registry_lock;
static GHashTable *registry;

static void
counter_free (gpointer data)
{
  counter_clear (data);
  g_free (data);
}

static gboolean
registry_get (const char *fingerprint, Counter *out)
{
  g_mutex_lock (&registry_lock);
  Counter *known = registry != NULL ? g_hash_table_lookup (registry, fingerprint) : NULL;
  if (known != NULL)
    {
      out->id = g_strdup (known->id);
      out->office = g_strdup (known->office);
      out->counter = g_strdup (known->counter);
      out->public_key = g_strdup (known->public_key);
    }
  g_mutex_unlock (&registry_lock);
  return known != NULL;
}

static void
registry_put (const char *fingerprint, const Counter *counter)
{
  Counter *copy = g_new0 (Counter, 1);
  copy->id = g_strdup (counter->id);
  copy->office = g_strdup (counter->office);
  copy->counter = g_strdup (counter->counter);
  copy->public_key = g_strdup (counter->public_key);
  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, counter_free);
  g_hash_table_replace (registry, g_strdup (fingerprint), copy);
  g_mutex_unlock (&registry_lock);
}

static void
registry_forget (const char *fingerprint)
{
  g_mutex_lock (&registry_lock);
  if (registry != NULL)
    g_hash_table_remove (registry, fingerprint);
  g_mutex_unlock (&registry_lock);
}

/* Reads the counter of the client certificate; answers the refusal itself. */
static gboolean
lookup (PsHubExchange *exchange, PGconn *conn, Counter *counter)
{
  g_autoptr (GError) error = NULL;
  const char *by_cert[] = { exchange->peer_fingerprint };
  g_autoptr (PGresult) found =
      ps_hub_db_exec (conn, &error,
                      "SELECT id, office, counter, public_key, state FROM counters "
                      "WHERE cert_sha256 = $1",
                      1, by_cert);
  if (found == NULL)
    {
      unavailable (exchange, error);
      return FALSE;
    }
  if (PQntuples (found) != 1)
    {
      refuse (exchange, SOUP_STATUS_FORBIDDEN, NULL,
              "this certificate is not a registered counter's");
      return FALSE;
    }
  g_autofree char *name =
      g_strdup_printf ("%s/%s", PQgetvalue (found, 0, 1), PQgetvalue (found, 0, 2));
  if (strcmp (PQgetvalue (found, 0, 4), "active") != 0)
    {
      refuse (exchange, SOUP_STATUS_FORBIDDEN, name, "this counter is revoked");
      return FALSE;
    }
  counter->id = g_strdup (PQgetvalue (found, 0, 0));
  counter->office = g_strdup (PQgetvalue (found, 0, 1));
  counter->counter = g_strdup (PQgetvalue (found, 0, 2));
  counter->public_key = g_strdup (PQgetvalue (found, 0, 3));
  registry_put (exchange->peer_fingerprint, counter);
  return TRUE;
}

gboolean
ps_hub_identify_counter (PsHubExchange *exchange, PGconn *conn, gboolean cached, char **id,
                         char **office, char **counter_name, char **public_key)
{
  if (exchange->peer_fingerprint == NULL || exchange->peer_errors != 0)
    {
      refuse (exchange, SOUP_STATUS_FORBIDDEN, NULL, "no valid client certificate");
      return FALSE;
    }
  g_auto (Counter) counter = { NULL, NULL, NULL, NULL };
  if (!(cached && registry_get (exchange->peer_fingerprint, &counter)) &&
      !lookup (exchange, conn, &counter))
    return FALSE;
  g_autofree char *name = g_strdup_printf ("%s/%s", counter.office, counter.counter);
  const char *claimed = ps_hub_exchange_header (exchange, "X-ParcelScreen-Counter");
  if (claimed == NULL || strcmp (claimed, name) != 0)
    {
      refuse (exchange, SOUP_STATUS_FORBIDDEN, name,
              "X-ParcelScreen-Counter does not name the counter of the certificate");
      return FALSE;
    }
  *id = g_steal_pointer (&counter.id);
  *office = g_steal_pointer (&counter.office);
  *counter_name = g_steal_pointer (&counter.counter);
  *public_key = g_steal_pointer (&counter.public_key);
  return TRUE;
}

void
ps_hub_ingest_handle (const PsHubConfig *config, PsHubExchange *exchange, PGconn *conn)
{
  (void) config;
  g_autoptr (GError) error = NULL;
  if (strcmp (exchange->method, "POST") != 0 ||
      (strcmp (exchange->path, "/") != 0 && strcmp (exchange->path, "/v1/reports") != 0))
    {
      refuse (exchange, SOUP_STATUS_NOT_FOUND, NULL, "POST /v1/reports is the only door here");
      return;
    }

  /* 1. and 2. The certificate: a registered, active counter's, which
   * X-ParcelScreen-Counter names. */
  g_auto (Counter) counter = { NULL, NULL, NULL, NULL };
  if (!ps_hub_identify_counter (exchange, conn, TRUE, &counter.id, &counter.office,
                                &counter.counter, &counter.public_key))
    return;
  g_autofree char *name = g_strdup_printf ("%s/%s", counter.office, counter.counter);

  /* 3. The size. */
  gsize len = 0;
  const char *body = g_bytes_get_data (exchange->body, &len);
  if (len > PS_HUB_MAX_BODY)
    {
      refuse (exchange, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, name, "the body is over 1 MiB");
      return;
    }

  /* 4. The signature, with the registered key. */
  const char *signature = ps_hub_exchange_header (exchange, "X-ParcelScreen-Signature");
  gsize key_len = 0;
  g_autofree guchar *key = g_base64_decode (counter.public_key, &key_len);
  if (signature == NULL || !g_str_has_prefix (signature, "ed25519=") || key_len != 32 ||
      !ps_signature_verify (key, body != NULL ? body : "", len, signature + 8))
    {
      refuse (exchange, SOUP_STATUS_UNAUTHORIZED, name,
              "the signature does not verify with the counter's registered key");
      return;
    }

  /* 5. The document. */
  const char *idempotency_key = ps_hub_exchange_header (exchange, "Idempotency-Key");
  if (idempotency_key == NULL || strlen (idempotency_key) < 8 || strlen (idempotency_key) > 100)
    {
      refuse (exchange, SOUP_STATUS_BAD_REQUEST, name, "the Idempotency-Key header is missing");
      return;
    }
  if (len == 0 || !g_utf8_validate (body, (gssize) len, NULL) || memchr (body, '\0', len) != NULL ||
      g_strstr_len (body, (gssize) len, "\\u0000") != NULL)
    {
      refuse (exchange, SOUP_STATUS_BAD_REQUEST, name, "the body is not UTF-8 JSON text");
      return;
    }
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gint64 head_seq = 0;
  const char *head_hash = NULL;
  const char *wrong = NULL;
  if (!json_parser_load_from_data (parser, body, (gssize) len, NULL))
    wrong = "the body is not JSON";
  else
    wrong = check_document (json_parser_get_root (parser), &counter, idempotency_key, &head_seq,
                            &head_hash);
  if (wrong != NULL)
    {
      refuse (exchange, SOUP_STATUS_BAD_REQUEST, name, wrong);
      return;
    }

  /* 6. One transaction, one round trip (ps_ingest () in the schema). */
  g_autofree char *sha256 = ps_hub_sha256_hex (body, len);
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, head_seq);
  const char *signer = ps_hub_exchange_header (exchange, "X-ParcelScreen-Key");
  const char *params[] = {
    counter.id,
    idempotency_key,
    sha256,
    body,
    signature + 8,
    signer != NULL && strlen (signer) < 100 ? signer : counter.public_key,
    seq,
    head_hash,
    counter.public_key,
  };
  const int lengths[] = { 0, 0, 0, (int) len, 0, 0, 0, 0, 0 };
  const int formats[] = { 0, 0, 0, 1, 0, 0, 0, 0, 0 };
  g_autoptr (PGresult) stored =
      ps_hub_db_exec_bin (conn, &error,
                          "SELECT status, ref, flagged FROM "
                          "ps_ingest ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                          9, params, lengths, formats);
  if (stored == NULL && g_error_matches (error, PS_ERROR, PS_ERROR_INVALID_INPUT))
    {
      /* What the database cannot take as JSON (a lone surrogate…). */
      refuse (exchange, SOUP_STATUS_BAD_REQUEST, name,
              "the body is not JSON the hub's database accepts");
      return;
    }
  if (stored == NULL || PQntuples (stored) != 1)
    {
      /* No commit (or its answer was lost): never a 2xx. */
      if (error == NULL)
        g_set_error (&error, PS_ERROR, PS_ERROR_STORAGE, "no answer from ps_ingest ()");
      unavailable (exchange, error);
      return;
    }
  if (strcmp (PQgetvalue (stored, 0, 0), "403") == 0)
    {
      /* Revoked, or given a new key, since it was read: read it again. */
      registry_forget (exchange->peer_fingerprint);
      g_auto (Counter) now = { NULL, NULL, NULL, NULL };
      if (lookup (exchange, conn, &now))
        {
          g_set_error (&error, PS_ERROR, PS_ERROR_STORAGE_BUSY,
                       "%s's registration changed during the request", name);
          unavailable (exchange, error);
        }
      return;
    }
  if (strcmp (PQgetvalue (stored, 0, 0), "422") == 0)
    {
      refuse (exchange, 422, name, "this Idempotency-Key was used with another body");
      return;
    }
  if (strcmp (PQgetvalue (stored, 0, 2), "t") == 0)
    g_warning ("ingest: %s: audit sequence %s came with another hash; the counter is flagged", name,
               seq);
  answer_reference (exchange, PQgetvalue (stored, 0, 1));
}
