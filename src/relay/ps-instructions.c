/* ps-instructions.c — the police's instructions, fetched by the counter.
 *
 * GET [relay] instructions-url?after=SEQ&wait=S over the counter's mutual
 * TLS; the hub answers at once with the instructions numbered after SEQ, or
 * holds the request up to S seconds. Each one is checked before anything is
 * applied: the police's signature (with [relay] police-key, never a key the
 * answer carries), the schema, this counter as the addressee, the numbering
 * (the next number exactly: a gap, a repeat with other bytes, a number
 * already used are refused), its report known here. A good one is stored
 * with its audit entry in one transaction (ps_store_add_instruction()), then
 * acknowledged with a signed POST …/ack; a refused one is recorded with its
 * reason, shown to supervisors, and fetching stops at it until the police
 * resend it right: nothing after a refused number is applied out of order.
 */
#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-instructions.h"
#include "ps-relay-endpoint.h"
#include "ps-relay.h"
#include "ps-signing.h"

#define MAX_ANSWER (4 * 1024 * 1024)

struct _PsInstructionPuller
{
  PsStore *store;
  PsSigningKey *key; /* the counter's, for the acknowledgements */
  guint8 police_key[32];
  char *url;
  char *watchlist_path;     /* [data] watchlist: where a "watchlist" instruction installs */
  PsRelayEndpoint endpoint; /* shared with the forwarder's settings */
  CURL *curl;
  CURLM *multi;
};

static char *
setting (const PsConfig *config, const char *key)
{
  const char *value = ps_config_get_string (config, "relay", key);
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/* https://host:port/anything → https://host:port/v1/instructions */
static char *
default_url (const char *receiver)
{
  const char *host = receiver + strlen ("https://");
  const char *slash = strchr (host, '/');
  gsize len = slash != NULL ? (gsize) (slash - receiver) : strlen (receiver);
  g_autofree char *origin = g_strndup (receiver, len);
  return g_strconcat (origin, "/v1/instructions", NULL);
}

PsInstructionPuller *
ps_instruction_puller_new (const PsConfig *config, const char *database, GError **error)
{
  g_autofree char *police_key = setting (config, "police-key");
  g_autofree char *receiver = setting (config, "url");
  if (police_key == NULL || receiver == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("No police key is configured ([relay] police-key): the police's "
                      "instructions are not fetched."));
      return NULL;
    }
  g_autoptr (PsInstructionPuller) self = g_new0 (PsInstructionPuller, 1);
  if (!ps_public_key_load (police_key, self->police_key, error))
    return NULL;
  self->key = ps_signing_key_load (ps_config_get_string (config, "relay", "signing-key"), error);
  if (self->key == NULL)
    return NULL;
  self->store = ps_store_open_existing (database, error);
  if (self->store == NULL)
    return NULL;
  g_autofree char *url = setting (config, "instructions-url");
  self->url = url != NULL ? g_steal_pointer (&url) : default_url (receiver);
  ps_relay_endpoint_init (&self->endpoint, config);
  self->watchlist_path = g_strdup (ps_config_get_string (config, "data", "watchlist"));
  curl_global_init (CURL_GLOBAL_DEFAULT);
  self->curl = curl_easy_init ();
  self->multi = curl_multi_init ();
  if (self->curl == NULL || self->multi == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("The HTTPS library cannot start."));
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
ps_instruction_puller_free (PsInstructionPuller *self)
{
  if (self == NULL)
    return;
  if (self->multi != NULL)
    curl_multi_cleanup (self->multi);
  if (self->curl != NULL)
    curl_easy_cleanup (self->curl);
  g_clear_pointer (&self->store, ps_store_close);
  g_clear_pointer (&self->key, ps_signing_key_free);
  g_free (self->url);
  g_free (self->watchlist_path);
  ps_relay_endpoint_clear (&self->endpoint);
  g_free (self);
}

static size_t
collect_cb (char *data, size_t size, size_t count, void *user_data)
{
  GByteArray *body = user_data;
  if (body->len + size * count > MAX_ANSWER)
    return 0;
  g_byte_array_append (body, (const guint8 *) data, (guint) (size * count));
  return size * count;
}

static void
wake_cb (GCancellable *cancellable, gpointer multi)
{
  (void) cancellable;
  curl_multi_wakeup (multi);
}

/* One request on the multi handle, stopped at once by @cancellable. */
static gboolean
request (PsInstructionPuller *self, const char *url, const char *post_body, long timeout_ms,
         GByteArray *answer, long *status, GCancellable *cancellable, GError **error)
{
  CURL *curl = self->curl;
  curl_easy_reset (curl);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "ParcelScreen/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  ps_relay_endpoint_apply (&self->endpoint, curl);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, answer);
  struct curl_slist *headers = NULL;
  g_autofree char *counter = ps_relay_endpoint_counter_header (&self->endpoint);
  headers = curl_slist_append (headers, counter);
  if (post_body != NULL)
    {
      g_autofree char *signature = ps_signing_key_sign (self->key, post_body, strlen (post_body));
      g_autofree char *signed_by =
          g_strdup_printf ("X-ParcelScreen-Signature: ed25519=%s", signature);
      headers = curl_slist_append (headers, signed_by);
      headers = curl_slist_append (headers, "Content-Type: application/json; charset=utf-8");
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, post_body);
    }
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);

  CURLcode result = CURLE_OK;
  gboolean stopped = FALSE;
  curl_multi_add_handle (self->multi, curl);
  gulong handler = cancellable != NULL ? g_cancellable_connect (cancellable, G_CALLBACK (wake_cb),
                                                                self->multi, NULL)
                                       : 0;
  for (;;)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          stopped = TRUE;
          break;
        }
      int running = 0;
      if (curl_multi_perform (self->multi, &running) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      CURLMsg *message;
      int left = 0;
      gboolean done = FALSE;
      while ((message = curl_multi_info_read (self->multi, &left)) != NULL)
        if (message->msg == CURLMSG_DONE)
          {
            result = message->data.result;
            done = TRUE;
          }
      if (done || running == 0)
        break;
      curl_multi_poll (self->multi, NULL, 0, 1000, NULL);
    }
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  curl_multi_remove_handle (self->multi, curl);
  curl_slist_free_all (headers);
  if (stopped)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Stopped."));
      return FALSE;
    }
  if (result != CURLE_OK)
    {
      ps_relay_curl_error (result, NULL, error);
      g_prefix_error (error, _ ("The police hub cannot be reached: "));
      return FALSE;
    }
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, status);
  return TRUE;
}

static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                 json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static JsonObject *
object_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gint64
time_member (JsonObject *object, const char *name)
{
  const char *text = string_member (object, name);
  g_autoptr (GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  return time != NULL
             ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time)
             : 0;
}

/* What the instruction says, in one paragraph for the supervisor. */
static char *
summarize (PsInstructionKind kind, JsonObject *doc)
{
  JsonObject *detail = object_member (doc, ps_instruction_kind_to_id (kind));
  switch (kind)
    {
      case PS_INSTRUCTION_RECEIVED:
        return g_strdup_printf (_ ("Case number %s."), string_member (detail, "case"));
      case PS_INSTRUCTION_REQUEST_INFO:
        return g_strdup (string_member (detail, "question"));
      case PS_INSTRUCTION_KEEP_HOLDING:
        {
          const char *until = string_member (detail, "until");
          return until != NULL ? g_strdup_printf (_ ("Keep holding until %s."), until)
                               : g_strdup (_ ("Keep holding until further notice."));
        }
      case PS_INSTRUCTION_RELEASE:
        return g_strdup (g_strcmp0 (string_member (detail, "to"), "delivery") == 0
                             ? _ ("Release: accept the parcel for delivery.")
                             : _ ("Release: return the parcel to the sender."));
      case PS_INSTRUCTION_SEIZE:
        {
          JsonObject *collector = object_member (detail, "collector");
          const char *approval = string_member (detail, "approval");
          return g_strdup_printf (
              _ ("Seizure order %s (%s). Collected by %s, badge %s."),
              string_member (detail, "order"),
              approval != NULL ? approval : _ ("urgent: the procuracy's approval within 24 hours"),
              string_member (collector, "name"), string_member (collector, "badge"));
        }
      case PS_INSTRUCTION_CLOSE_CASE:
        return g_strdup (_ ("The police close the case."));
      case PS_INSTRUCTION_WATCHLIST:
        return g_strdup (_ ("A new watch list."));
      case PS_INSTRUCTION_CANCEL:
        return g_strdup_printf (_ ("Withdraws instruction %s."),
                                string_member (detail, "instruction"));
    }
  return g_strdup ("");
}

/* Checks one instruction; fills @record. Returns: NULL, or why it is refused. */
static char *
check_one (PsInstructionPuller *self, gint64 expected, const guint8 *data, gsize len,
           const char *signature, PsInstructionRecord *record, gboolean *again)
{
  *again = FALSE;
  if (signature == NULL || !ps_signature_verify (self->police_key, data, len, signature))
    return g_strdup (_ ("its signature is not the police's"));
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup (_ ("it is not a JSON document"));
  JsonObject *doc = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (string_member (doc, "schema"), "parcelscreen.instruction/1") != 0)
    return g_strdup (_ ("it is not a parcelscreen.instruction/1 document"));
  JsonObject *to = object_member (doc, "counter");
  if (g_strcmp0 (string_member (to, "office"), self->endpoint.office_code) != 0 ||
      g_strcmp0 (string_member (to, "counter"), self->endpoint.counter_id) != 0)
    return g_strdup (_ ("it is addressed to another counter"));
  JsonNode *seq_node = json_object_get_member (doc, "seq");
  gint64 seq = seq_node != NULL && JSON_NODE_HOLDS_VALUE (seq_node) &&
                       json_node_get_value_type (seq_node) == G_TYPE_INT64
                   ? json_node_get_int (seq_node)
                   : 0;
  const char *id = string_member (doc, "id");
  int kind = ps_instruction_kind_from_id (string_member (doc, "kind"));
  if (seq <= 0 || id == NULL || strlen (id) > 64 || kind < 0)
    return g_strdup (_ ("its number, id or kind is missing or unknown"));
  record->seq = seq;
  if (seq < expected)
    {
      /* Already here: the same bytes are a harmless repeat (acknowledged
       * again); others are a replay under a used number. */
      g_autoptr (PsInstructionRecord) known = ps_store_get_instruction (self->store, seq, NULL);
      gsize known_len = 0;
      const void *known_data =
          known != NULL ? g_bytes_get_data (known->document, &known_len) : NULL;
      if (known != NULL && known_len == len && memcmp (known_data, data, len) == 0)
        {
          *again = TRUE;
          return NULL;
        }
      return g_strdup_printf (_ ("number %lld was used already by another instruction (a replay)"),
                              (long long) seq);
    }
  if (seq > expected)
    return g_strdup_printf (_ ("number %lld comes before %lld: an instruction is missing"),
                            (long long) seq, (long long) expected);
  JsonObject *report = object_member (doc, "report");
  JsonNode *report_node = report != NULL ? json_object_get_member (report, "id") : NULL;
  record->report_id = report_node != NULL && JSON_NODE_HOLDS_VALUE (report_node) &&
                              json_node_get_value_type (report_node) == G_TYPE_INT64
                          ? json_node_get_int (report_node)
                          : 0;
  if (report != NULL && record->report_id > 0)
    {
      g_autoptr (GError) error = NULL;
      if (ps_store_report_parcel (self->store, record->report_id, &error) <= 0)
        return g_strdup_printf (_ ("it names report %lld, unknown here"),
                                (long long) record->report_id);
    }
  record->id = g_strdup (id);
  record->kind = (PsInstructionKind) kind;
  record->issued_us = time_member (doc, "issued");
  record->due_us = time_member (doc, "due");
  JsonObject *by = object_member (doc, "issued_by");
  record->issued_by = g_strdup_printf ("%s, %s, %s", string_member (by, "name"),
                                       string_member (by, "unit"), string_member (by, "badge"));
  JsonObject *detail = object_member (doc, ps_instruction_kind_to_id (record->kind));
  if (record->kind == PS_INSTRUCTION_KEEP_HOLDING)
    record->until_us = time_member (detail, "until");
  if (record->kind == PS_INSTRUCTION_CANCEL)
    record->cancels = g_strdup (string_member (detail, "instruction"));
  if (record->kind == PS_INSTRUCTION_WATCHLIST)
    {
      /* Installed as "watchlist import" does, or the instruction is refused. */
      const char *list = string_member (detail, "list");
      g_autoptr (GError) error = NULL;
      if (list == NULL ||
          !ps_watchlist_install (self->watchlist_path, self->store, self->police_key, list,
                                 strlen (list), string_member (detail, "signature"),
                                 _ ("The police's watch list"), NULL, &error))
        {
          g_autofree char *why = g_strdup (error != NULL ? error->message : _ ("there is none"));
          gsize end = strlen (why);
          if (end > 0 && why[end - 1] == '.')
            why[end - 1] = '\0'; /* the sentence goes on */
          return g_strdup_printf (_ ("its watch list cannot be installed: %s"), why);
        }
    }
  record->summary = summarize (record->kind, doc);
  record->document = g_bytes_new (data, len);
  record->signature = g_strdup (signature);
  return NULL;
}

static void
acknowledge (PsInstructionPuller *self, const PsInstructionRecord *record,
             GCancellable *cancellable)
{
  g_autofree char *url = g_strconcat (self->url, "/ack", NULL);
  g_autofree char *body =
      g_strdup_printf ("{\"id\": \"%s\", \"seq\": %" G_GINT64_FORMAT ", \"state\": \"received\"}",
                       record->id, record->seq);
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  long status = 0;
  g_autoptr (GError) error = NULL;
  if (request (self, url, body, 15000, answer, &status, cancellable, &error) && status / 100 == 2)
    ps_store_instruction_acked (self->store, record->seq, g_get_real_time (), NULL);
  else
    g_message ("instruction %" G_GINT64_FORMAT ": acknowledgement not delivered (%s); it is "
               "sent again with the next fetch",
               record->seq, error != NULL ? error->message : "HTTP status");
}

gboolean
ps_instruction_puller_run_once (PsInstructionPuller *self, guint wait_s, GCancellable *cancellable,
                                guint *stored, GError **error)
{
  if (stored != NULL)
    *stored = 0;
  gint64 last = ps_store_instruction_last_seq (self->store, error);
  if (last < 0)
    return FALSE;
  /* Acknowledgements that did not get through are sent again. */
  g_autoptr (GPtrArray) all = ps_store_list_instructions (self->store, 0, FALSE, error);
  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    {
      PsInstructionRecord *record = all->pdata[i];
      if (record->acked_us == 0)
        acknowledge (self, record, cancellable);
    }

  g_autofree char *url =
      g_strdup_printf ("%s?after=%" G_GINT64_FORMAT "&wait=%u", self->url, last, wait_s);
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  long status = 0;
  if (!request (self, url, NULL, (long) (wait_s + 30) * 1000, answer, &status, cancellable, error))
    return FALSE;
  if (status != 200)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED,
                   _ ("The police hub answered %ld to the request for instructions."), status);
      return FALSE;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *list = NULL;
  if (json_parser_load_from_data (parser, (const char *) answer->data, (gssize) answer->len,
                                  NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    list = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                   "instructions");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED,
                   _ ("The police hub's answer is not a list of instructions."));
      return FALSE;
    }
  JsonArray *items = json_node_get_array (list);
  gint64 expected = last + 1;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *document = string_member (object, "document");
      gsize len = 0;
      g_autofree guchar *data = document != NULL ? g_base64_decode (document, &len) : NULL;
      g_autoptr (PsInstructionRecord) record = g_new0 (PsInstructionRecord, 1);
      gboolean again = FALSE;
      g_autofree char *refused =
          data == NULL ? g_strdup (_ ("it holds no document"))
                       : check_one (self, expected, data, len, string_member (object, "signature"),
                                    record, &again);
      if (refused != NULL)
        {
          g_autofree char *reason =
              record->seq > 0
                  ? g_strdup_printf (_ ("Instruction %lld of the police was refused: %s. Nothing "
                                        "of it was applied; ask the police to send it again."),
                                     (long long) record->seq, refused)
                  : g_strdup_printf (
                        _ ("An instruction was refused: %s. Nothing of it was applied; "
                           "ask the police to send it again."),
                        refused);
          g_warning ("%s", reason);
          ps_store_record_instruction_refusal (self->store, record->seq, reason, g_get_real_time (),
                                               NULL);
          g_set_error_literal (error, PS_ERROR, PS_ERROR_NOT_ALLOWED, reason);
          return FALSE; /* nothing after it, out of order */
        }
      if (again)
        continue;
      if (!ps_store_add_instruction (self->store, record, g_get_real_time (), error))
        return FALSE;
      expected++;
      if (stored != NULL)
        (*stored)++;
      acknowledge (self, record, cancellable);
    }
  return TRUE;
}

gboolean
ps_instruction_puller_watch (PsInstructionPuller *self, GCancellable *cancellable)
{
  guint failures = 0;
  while (!g_cancellable_is_cancelled (cancellable))
    {
      g_autoptr (GError) error = NULL;
      if (ps_instruction_puller_run_once (self, 25, cancellable, NULL, &error))
        {
          failures = 0;
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      if (failures++ == 0)
        g_message ("instructions: %s", error->message);
      /* Back off up to a minute, woken at once by a stop. */
      gint64 wait_ms = MIN (60000, 1000 << MIN (failures, 6));
      GPollFD fd;
      if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
        {
          g_poll (&fd, 1, (int) wait_ms);
          g_cancellable_release_fd (cancellable);
        }
      else
        g_usleep ((gulong) wait_ms * 1000);
    }
  return TRUE;
}
