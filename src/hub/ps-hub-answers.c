/* ps-hub-answers.c — the police's instructions (docs/relay.md,
 * "Instructions"): issued from the web view, signed with the police key,
 * numbered without gaps per counter; fetched by each counter over its mutual
 * TLS (GET /v1/instructions?after=N&wait=S, held up to S seconds while there
 * is nothing new: the server parks the request and a PostgreSQL NOTIFY wakes
 * it); acknowledged (POST /v1/instructions/ack, signed by the counter); done
 * when the counter's custody event naming it arrives (ps_project_document).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "parcelscreen/ps-custody.h"
#include "parcelscreen/ps-error.h"
#include "ps-hub.h"

#define MAX_BATCH 50

static void
answer_json (PsHubExchange *exchange, guint status, const char *body)
{
  ps_hub_exchange_answer (exchange, status, "application/json", body);
}

static const char *
field (GHashTable *fields, const char *name)
{
  const char *value = fields != NULL ? g_hash_table_lookup (fields, name) : NULL;
  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
iso_now_local (gint64 plus_us)
{
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) now = g_date_time_new_now (vietnam);
  g_autoptr (GDateTime) then = g_date_time_add (now, plus_us);
  return g_date_time_format_iso8601 (then);
}

/* A day (YYYY-MM-DD) or a local date and time (YYYY-MM-DDTHH:MM, as the
 * browser's form gives it), in Vietnam's time, as ISO 8601; NULL if neither. */
static char *
parse_local (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autofree char *full = strlen (text) == 10   ? g_strconcat (text, "T23:59:00+07:00", NULL)
                          : strlen (text) == 16 ? g_strconcat (text, ":00+07:00", NULL)
                                                : g_strdup (text);
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (full, NULL);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
member (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The kind's own member; sets *due for an urgent seizure. Returns: NULL, or
 * what is missing. */
static const char *
kind_member (JsonBuilder *builder, PsInstructionKind kind, GHashTable *fields, char **summary,
             char **due)
{
  json_builder_set_member_name (builder, ps_instruction_kind_to_id (kind));
  json_builder_begin_object (builder);
  switch (kind)
    {
      case PS_INSTRUCTION_RECEIVED:
        if (field (fields, "case") == NULL)
          return "a case number";
        member (builder, "case", field (fields, "case"));
        *summary = g_strdup_printf ("case %s", field (fields, "case"));
        break;
      case PS_INSTRUCTION_REQUEST_INFO:
        if (field (fields, "question") == NULL)
          return "the question";
        member (builder, "question", field (fields, "question"));
        *summary = g_strdup (field (fields, "question"));
        break;
      case PS_INSTRUCTION_KEEP_HOLDING:
        {
          g_autofree char *until = parse_local (field (fields, "until"));
          if (field (fields, "until") != NULL && until == NULL)
            return "a valid date for until";
          member (builder, "until", until);
          *summary = until != NULL ? g_strdup_printf ("until %s", until)
                                   : g_strdup ("until further notice");
          break;
        }
      case PS_INSTRUCTION_RELEASE:
        {
          const char *to = field (fields, "to");
          if (g_strcmp0 (to, "sender") != 0 && g_strcmp0 (to, "delivery") != 0)
            return "whether to return it to the sender or accept it for delivery";
          member (builder, "to", to);
          *summary = g_strdup_printf ("release to %s", to);
          break;
        }
      case PS_INSTRUCTION_SEIZE:
        {
          gboolean urgent = field (fields, "urgent") != NULL;
          if (field (fields, "order") == NULL || field (fields, "collector_name") == NULL ||
              field (fields, "collector_badge") == NULL)
            return "the order number and the collecting officer's name and badge";
          if (!urgent && field (fields, "approval") == NULL)
            return "the procuracy's approval number, or urgent with its reason";
          if (urgent && field (fields, "reason") == NULL)
            return "the reason of the urgency";
          member (builder, "order", field (fields, "order"));
          member (builder, "approval", urgent ? NULL : field (fields, "approval"));
          json_builder_set_member_name (builder, "urgent");
          json_builder_add_boolean_value (builder, urgent);
          member (builder, "reason", urgent ? field (fields, "reason") : NULL);
          json_builder_set_member_name (builder, "collector");
          json_builder_begin_object (builder);
          member (builder, "name", field (fields, "collector_name"));
          member (builder, "unit", field (fields, "collector_unit"));
          member (builder, "badge", field (fields, "collector_badge"));
          json_builder_end_object (builder);
          /* Criminal Procedure Code: an urgent seizure is approved by the
           * procuracy within 24 hours. */
          if (urgent && *due == NULL)
            *due = iso_now_local (24 * G_TIME_SPAN_HOUR);
          *summary = g_strdup_printf ("seizure order %s%s, collector %s", field (fields, "order"),
                                      urgent ? " (urgent)" : "", field (fields, "collector_name"));
          break;
        }
      case PS_INSTRUCTION_CLOSE_CASE:
        *summary = g_strdup ("close the case");
        break;
      case PS_INSTRUCTION_WATCHLIST:
        /* The list as the police signed it (parcelscreen-hubctl watchlist
         * send): the counter installs it only if that signature holds. */
        if (field (fields, "list") == NULL || field (fields, "list_signature") == NULL)
          return "a signed watch list (parcelscreen-hubctl watchlist send)";
        member (builder, "list", field (fields, "list"));
        member (builder, "signature", field (fields, "list_signature"));
        *summary = g_strdup ("a new watch list");
        break;
      case PS_INSTRUCTION_CANCEL:
        if (field (fields, "instruction") == NULL)
          return "the instruction to withdraw";
        member (builder, "instruction", field (fields, "instruction"));
        *summary = g_strdup_printf ("withdraws %s", field (fields, "instruction"));
        break;
    }
  json_builder_end_object (builder);
  return NULL;
}

char *
ps_hub_issue_instruction (const PsHubConfig *config, PGconn *conn, const char *user_id,
                          const char *counter_id, const char *report_id, const char *kind_id,
                          GHashTable *fields, GError **error)
{
  int kind = ps_instruction_kind_from_id (kind_id);
  if (config->police_key == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   "no police key is configured ([answers] police-key)");
      return NULL;
    }
  if (kind < 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, "unknown kind of instruction");
      return NULL;
    }
  if (!ps_hub_db_run (conn, error, "BEGIN", 0, NULL))
    return NULL;
  /* The counter's row lock numbers its instructions one at a time, across
   * hubs. */
  const char *lock_params[] = { counter_id, user_id, report_id };
  g_autoptr (PGresult) who = ps_hub_db_exec (
      conn, error,
      "SELECT c.office, c.counter, (SELECT coalesce (max (seq), 0) + 1 FROM instructions i WHERE "
      "i.counter_id = c.id), u.name, u.unit, u.badge, r.tracking FROM counters c "
      "JOIN police_users u ON u.id = $2 LEFT JOIN reports r ON r.counter_id = c.id AND "
      "r.report_id = $3::bigint WHERE c.id = $1 FOR UPDATE OF c",
      3, lock_params);
  if (who == NULL || PQntuples (who) != 1)
    {
      if (who != NULL)
        g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND, "no such counter");
      ps_hub_db_run (conn, NULL, "ROLLBACK", 0, NULL);
      return NULL;
    }
  g_autofree char *id = g_uuid_string_random ();
  gint64 seq = g_ascii_strtoll (PQgetvalue (who, 0, 2), NULL, 10);
  g_autofree char *issued = iso_now_local (0);
  g_autofree char *due = parse_local (field (fields, "due"));
  g_autofree char *summary = NULL;

  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  member (builder, "schema", "parcelscreen.instruction/1");
  member (builder, "id", id);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "counter");
  json_builder_begin_object (builder);
  member (builder, "office", PQgetvalue (who, 0, 0));
  member (builder, "counter", PQgetvalue (who, 0, 1));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "report");
  if (report_id != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, g_ascii_strtoll (report_id, NULL, 10));
      member (builder, "tracking", PQgetisnull (who, 0, 6) ? NULL : PQgetvalue (who, 0, 6));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  member (builder, "kind", kind_id);
  member (builder, "issued", issued);
  json_builder_set_member_name (builder, "issued_by");
  json_builder_begin_object (builder);
  member (builder, "name", PQgetvalue (who, 0, 3));
  member (builder, "unit", PQgetvalue (who, 0, 4));
  member (builder, "badge", PQgetvalue (who, 0, 5));
  json_builder_end_object (builder);
  const char *missing = kind_member (builder, kind, fields, &summary, &due);
  if (missing != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, "%s is needed", missing);
      ps_hub_db_run (conn, NULL, "ROLLBACK", 0, NULL);
      return NULL;
    }
  member (builder, "due", due);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *body = json_to_string (root, FALSE);
  g_autofree char *signature = ps_signing_key_sign (config->police_key, body, strlen (body));

  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  const char *params[] = { id,        counter_id, seq_text, report_id, kind_id, body,
                           signature, user_id,    issued,   due,       summary };
  const int lengths[] = { 0, 0, 0, 0, 0, (int) strlen (body), 0, 0, 0, 0, 0 };
  const int formats[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 };
  g_autoptr (PGresult) stored = ps_hub_db_exec_bin (
      conn, error,
      "INSERT INTO instructions (id, counter_id, seq, report_id, kind, body, signature, issued_by, "
      "issued, due, summary) VALUES ($1::uuid, $2, $3, $4::bigint, $5, $6, $7, $8, $9, $10, $11)",
      11, params, lengths, formats);
  const char *cancel_params[] = { field (fields, "instruction"), counter_id };
  gboolean ok =
      stored != NULL &&
      (kind != PS_INSTRUCTION_CANCEL ||
       ps_hub_db_run (conn, error,
                      "UPDATE instructions SET state = 'cancelled' WHERE id::text = $1 "
                      "AND counter_id = $2 AND state IN ('sent', 'received')",
                      2, cancel_params)) &&
      ps_hub_db_run (conn, error, "SELECT pg_notify ('ps_instructions', $1)", 1, &params[1]) &&
      ps_hub_db_run (conn, error, "COMMIT", 0, NULL);
  if (!ok)
    {
      ps_hub_db_run (conn, NULL, "ROLLBACK", 0, NULL);
      return NULL;
    }
  return g_steal_pointer (&id);
}

static void
pull (PsHubExchange *exchange, PGconn *conn, const char *counter_id, gint64 *park_counter)
{
  guint64 after = 0, wait = 0;
  const char *after_text = ps_hub_exchange_query (exchange, "after");
  const char *wait_text = ps_hub_exchange_query (exchange, "wait");
  if ((after_text != NULL &&
       !g_ascii_string_to_unsigned (after_text, 10, 0, G_MAXINT64, &after, NULL)) ||
      (wait_text != NULL && !g_ascii_string_to_unsigned (wait_text, 10, 0, 30, &wait, NULL)))
    {
      answer_json (exchange, SOUP_STATUS_BAD_REQUEST,
                   "{\"error\": \"after is a number, wait from 0 to 30\"}");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *after_param = g_strdup_printf ("%" G_GUINT64_FORMAT, after);
  const char *params[] = { counter_id, after_param };
  g_autoptr (PGresult) rows = ps_hub_db_exec (
      conn, &error,
      "SELECT encode (body, 'base64'), signature FROM instructions WHERE "
      "counter_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT " G_STRINGIFY (MAX_BATCH),
      2, params);
  if (rows == NULL)
    {
      answer_json (exchange, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   "{\"error\": \"the hub's database is unavailable\"}");
      ps_hub_exchange_add_header (exchange, "Retry-After", "2");
      return;
    }
  if (PQntuples (rows) == 0 && wait > 0 && park_counter != NULL)
    {
      /* Nothing yet: the server holds the request (ps-hub-server.c). */
      *park_counter = g_ascii_strtoll (counter_id, NULL, 10);
      return;
    }
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "instructions");
  json_builder_begin_array (builder);
  for (int i = 0; i < PQntuples (rows); i++)
    {
      g_autofree char *document = g_strdup (PQgetvalue (rows, i, 0));
      /* PostgreSQL's base64 breaks lines. */
      char *out = document;
      for (const char *in = document; *in != '\0'; in++)
        if (*in != '\n')
          *out++ = *in;
      *out = '\0';
      json_builder_begin_object (builder);
      member (builder, "document", document);
      member (builder, "signature", PQgetvalue (rows, i, 1));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *body = json_to_string (root, FALSE);
  answer_json (exchange, SOUP_STATUS_OK, body);
}

static void
acknowledge (PsHubExchange *exchange, PGconn *conn, const char *counter_id, const char *public_key)
{
  gsize len = 0;
  const char *body = g_bytes_get_data (exchange->body, &len);
  const char *signature = ps_hub_exchange_header (exchange, "X-ParcelScreen-Signature");
  gsize key_len = 0;
  g_autofree guchar *key = g_base64_decode (public_key, &key_len);
  if (signature == NULL || !g_str_has_prefix (signature, "ed25519=") || key_len != 32 ||
      !ps_signature_verify (key, body != NULL ? body : "", len, signature + 8))
    {
      answer_json (exchange, SOUP_STATUS_UNAUTHORIZED,
                   "{\"error\": \"the signature does not verify with the counter's key\"}");
      return;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *ack = NULL;
  if (body != NULL && json_parser_load_from_data (parser, body, (gssize) len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    ack = json_node_get_object (json_parser_get_root (parser));
  const char *id =
      ack != NULL ? json_object_get_string_member_with_default (ack, "id", NULL) : NULL;
  gint64 seq = ack != NULL ? json_object_get_int_member_with_default (ack, "seq", 0) : 0;
  if (id == NULL || seq <= 0)
    {
      answer_json (exchange, SOUP_STATUS_BAD_REQUEST, "{\"error\": \"id and seq are needed\"}");
      return;
    }
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  const char *params[] = { id, counter_id, seq_text };
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) done = ps_hub_db_exec (
      conn, &error,
      "UPDATE instructions SET state = CASE WHEN state = 'sent' THEN 'received' ELSE state END, "
      "received_at = coalesce (received_at, now ()) WHERE id::text = $1 AND counter_id = $2 AND "
      "seq = $3::bigint RETURNING state",
      3, params);
  if (done == NULL)
    answer_json (exchange, SOUP_STATUS_SERVICE_UNAVAILABLE,
                 "{\"error\": \"the hub's database is unavailable\"}");
  else if (PQntuples (done) == 0)
    answer_json (exchange, SOUP_STATUS_NOT_FOUND, "{\"error\": \"no such instruction\"}");
  else
    answer_json (exchange, SOUP_STATUS_OK, "{\"acknowledged\": true}");
}

void
ps_hub_answers_handle (const PsHubConfig *config, PsHubExchange *exchange, PGconn *conn,
                       gint64 *park_counter)
{
  (void) config;
  g_autofree char *id = NULL, *office = NULL, *name = NULL, *key = NULL;
  if (!ps_hub_identify_counter (exchange, conn, FALSE, &id, &office, &name, &key))
    return;
  if (strcmp (exchange->method, "GET") == 0 && strcmp (exchange->path, "/v1/instructions") == 0)
    pull (exchange, conn, id, park_counter);
  else if (strcmp (exchange->method, "POST") == 0 &&
           strcmp (exchange->path, "/v1/instructions/ack") == 0)
    acknowledge (exchange, conn, id, key);
  else
    answer_json (exchange, SOUP_STATUS_NOT_FOUND, "{\"error\": \"no such door\"}");
}
