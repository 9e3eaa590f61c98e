/* ps-forwarder.c — the outbox, delivered to the police receiver over HTTPS.
 *
 * One JSON document per outbox row, POSTed with libcurl over one kept-alive
 * connection: mutual TLS (the counter's client certificate), an optional pin
 * of the receiver's public key, the row's Idempotency-Key, and an Ed25519
 * signature of the body. A 2xx marks the row sent with the receiver's
 * reference; 408, 429, 5xx and network failures are tried again after an
 * exponential back-off with full jitter, or the receiver's Retry-After; any
 * other 4xx is a permanent refusal, shown to the supervisor. Delivery is at
 * least once; the key makes it exactly once at the receiver, and a row's
 * document and signature are made once, at its first try, so that every
 * repeat carries the same bytes.
 *
 * The transfer runs on a curl multi handle that a cancellation wakes up: a
 * forwarder told to stop aborts the request under way and gives back its
 * leases at once, whatever the receiver does. While it works it renews its
 * leases (PS_OUTBOX_LEASE_US); killed, it loses them within that time.
 *
 * Nothing of a report (no name, no ID number) is ever logged: only row ids,
 * keys, HTTP statuses and curl's messages.
 */
#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "parcelscreen/ps-error.h"
#include "ps-instructions.h"
#include "ps-relay-endpoint.h"
#include "ps-relay.h"

#define LEASE_BATCH    50
#define RECORD_EVERY   10 /* outcomes recorded together, while a request is on its way */
#define POLL_STEP_MS   1000
#define MAX_BODY_BYTES (64 * 1024)
/* The longest wait a receiver's Retry-After buys (unless retry-cap-ms is
 * longer): one that asks for a day must not hold a report to the police
 * that long. */
#define MAX_RETRY_AFTER_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define USER_AGENT         "ParcelScreen/" PACKAGE_VERSION

struct _PsForwarder
{
  PsStore *store;
  PsSigningKey *key;
  char *owner;
  char *url;
  PsRelayEndpoint endpoint; /* the hub's CA, our certificate, key, pin; who we are */
  long timeout_ms;
  gint64 retry_base_us;
  gint64 retry_cap_us;
  CURL *curl;
  CURLM *multi;
  GRand *rand;
  GArray *leased;              /* (element-type gint64) the rows of the batch under way */
  gint64 renewed_us;           /* when their leases were last renewed */
  PsInstructionPuller *puller; /* the police's answers, with [relay] police-key */
};

void
ps_forward_result_clear (PsForwardResult *result)
{
  g_clear_pointer (&result->last_problem, g_free);
}

PsForwarder *
ps_forwarder_new (const PsConfig *config, const char *database, GError **error)
{
  g_return_val_if_fail (config != NULL && database != NULL, NULL);

  const char *url = ps_config_get_string (config, "relay", "url");
  if (url == NULL || *url == '\0')
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("No receiver is configured ([relay] url): reports stay queued."));
      return NULL;
    }
  if (g_ascii_strncasecmp (url, "https://", 8) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("The receiver's address must begin with https:// ([relay] url)."));
      return NULL;
    }
  g_autoptr (PsSigningKey) key =
      ps_signing_key_load (ps_config_get_string (config, "relay", "signing-key"), error);
  if (key == NULL)
    return NULL;
  g_autoptr (PsStore) store = ps_store_open_existing (database, error);
  if (store == NULL || !ps_store_set_sync_each_commit (store, FALSE, error))
    return NULL;
  if (ps_store_is_training (store))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("%s is a training database: nothing from it is ever forwarded."), database);
      return NULL;
    }
  if (ps_store_is_simulation (store) && ps_config_get_int (config, "relay", "simulation") != 1)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("%s is a simulation's database (parcelscreenctl simulate): it is forwarded "
                      "only to a test receiver ([relay] simulation = 1)."),
                   database);
      return NULL;
    }
  static gsize curl_ready = 0;
  if (g_once_init_enter (&curl_ready))
    g_once_init_leave (&curl_ready, curl_global_init (CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : 2);
  CURL *curl = curl_ready == 1 ? curl_easy_init () : NULL;
  CURLM *multi = curl != NULL ? curl_multi_init () : NULL;
  if (multi == NULL)
    {
      if (curl != NULL)
        curl_easy_cleanup (curl);
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("The HTTPS library cannot start."));
      return NULL;
    }

  PsForwarder *self = g_new0 (PsForwarder, 1);
  self->store = g_steal_pointer (&store);
  self->key = g_steal_pointer (&key);
  self->curl = curl;
  self->multi = multi;
  self->leased = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rand = g_rand_new ();
  g_autofree char *random = g_uuid_string_random ();
  self->owner = g_strdup_printf ("%s/%d/%.8s", g_get_host_name (), (int) getpid (), random);
  self->url = g_strdup (url);
  ps_relay_endpoint_init (&self->endpoint, config);
  self->timeout_ms = (long) ps_config_get_int (config, "relay", "timeout-ms");
  self->retry_base_us = ps_config_get_int (config, "relay", "retry-base-ms") * 1000;
  self->retry_cap_us = ps_config_get_int (config, "relay", "retry-cap-ms") * 1000;
  const char *police_key = ps_config_get_string (config, "relay", "police-key");
  g_autoptr (GError) puller_error = NULL;
  if (police_key != NULL && *police_key != '\0' &&
      (self->puller = ps_instruction_puller_new (config, database, &puller_error)) == NULL)
    g_warning ("The police's instructions are not fetched: %s", puller_error->message);
  return self;
}

gboolean
ps_forwarder_pull_instructions (PsForwarder *self, guint wait_s, GCancellable *cancellable,
                                guint *stored, GError **error)
{
  if (stored != NULL)
    *stored = 0;
  return self->puller == NULL ||
         ps_instruction_puller_run_once (self->puller, wait_s, cancellable, stored, error);
}

typedef struct
{
  PsInstructionPuller *puller;
  GCancellable *cancellable;
} PullThread;

static gpointer
pull_thread (gpointer data)
{
  PullThread *pull = data;
  ps_instruction_puller_watch (pull->puller, pull->cancellable);
  return NULL;
}

void
ps_forwarder_free (PsForwarder *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->puller, ps_instruction_puller_free);
  curl_easy_cleanup (self->curl);
  curl_multi_cleanup (self->multi);
  g_array_unref (self->leased);
  ps_store_close (self->store);
  ps_signing_key_free (self->key);
  g_rand_free (self->rand);
  g_free (self->owner);
  g_free (self->url);
  ps_relay_endpoint_clear (&self->endpoint);
  g_free (self);
}

/* ---- One request ------------------------------------------------------------- */

typedef struct
{
  GString *body;
  gboolean too_long;
} Response;

static size_t
body_cb (char *data, size_t size, size_t count, void *user_data)
{
  Response *response = user_data;
  gsize len = size * count;
  if (response->body->len + len > MAX_BODY_BYTES)
    {
      response->too_long = TRUE;
      return len; /* read on, keep nothing more */
    }
  g_string_append_len (response->body, data, (gssize) len);
  return len;
}

typedef enum
{
  OUTCOME_SENT,
  OUTCOME_RETRY,
  OUTCOME_REFUSED,
  OUTCOME_STOPPED, /* cancelled before an answer: the row stays as it was */
} Outcome;

static char *
reference_of (const char *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (body == NULL || !json_parser_load_from_data (parser, body, -1, NULL))
    return g_strdup ("");
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup ("");
  const char *reference =
      json_object_get_string_member_with_default (json_node_get_object (root), "reference", "");
  return g_strndup (reference, 200);
}

/* Keeps the leases this forwarder holds alive while it works: renewed every
 * third of their length, so that they end within PS_OUTBOX_LEASE_US of its
 * death. A failed renewal is logged; the rows are at worst sent again by
 * another forwarder, under the same keys and bytes. */
static void
renew_leases (PsForwarder *self)
{
  gint64 now = g_get_real_time ();
  if (self->leased->len == 0 || now - self->renewed_us < PS_OUTBOX_LEASE_US / 3)
    return;
  g_autoptr (GError) error = NULL;
  if (ps_store_outbox_renew (self->store, self->owner, self->leased, now + PS_OUTBOX_LEASE_US,
                             &error))
    self->renewed_us = now;
  else
    g_message ("The leases could not be renewed: %s", error->message);
}

static void
cancelled_cb (GCancellable *cancellable, gpointer data)
{
  (void) cancellable;
  curl_multi_wakeup (data); /* safe from any thread */
}

static gboolean ensure_document (PsForwarder *self, PsOutboxRow *row, GError **error);
static void record_finished (PsForwarder *self, GArray *deliveries);

/* Runs the prepared transfer until it ends or @cancellable is cancelled
 * (*stopped is then set and the transfer abandoned). Once the request is on
 * its way, the database work is done while the receiver does its own: @next
 * (the row to send after this one) gets its document, and the outcomes of
 * the rows already tried (@deliveries) are recorded. */
static CURLcode
perform (PsForwarder *self, PsOutboxRow *next, GArray *deliveries, GCancellable *cancellable,
         gboolean *stopped)
{
  gboolean background_done = FALSE;
  CURLcode result = CURLE_OK;
  if (curl_multi_add_handle (self->multi, self->curl) != CURLM_OK)
    return CURLE_FAILED_INIT;
  gulong handler =
      cancellable != NULL
          ? g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self->multi, NULL)
          : 0;
  for (;;)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          *stopped = TRUE;
          break;
        }
      int running = 0;
      if (curl_multi_perform (self->multi, &running) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      gboolean done = FALSE;
      int left = 0;
      CURLMsg *message;
      while ((message = curl_multi_info_read (self->multi, &left)) != NULL)
        if (message->msg == CURLMSG_DONE)
          {
            result = message->data.result;
            done = TRUE;
          }
      if (done)
        break;
      if (!background_done)
        {
          background_done = TRUE; /* once; a failure is met again in its turn */
          g_autoptr (GError) error = NULL;
          if (next != NULL && !ensure_document (self, next, &error))
            g_debug ("outbox %" G_GINT64_FORMAT ": %s", next->id, error->message);
          if (deliveries != NULL)
            record_finished (self, deliveries);
          continue;
        }
      if (running == 0)
        {
          result = CURLE_FAILED_INIT; /* ended without a word: not expected */
          break;
        }
      if (curl_multi_poll (self->multi, NULL, 0, POLL_STEP_MS, NULL) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      renew_leases (self);
    }
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  curl_multi_remove_handle (self->multi, self->curl);
  return result;
}

static Outcome
post (PsForwarder *self, const PsOutboxRow *row, PsOutboxRow *next, GArray *deliveries,
      GCancellable *cancellable, char **reference, char **problem, long *status_out,
      gint64 *retry_after_s)
{
  CURL *curl = self->curl;
  char error_buffer[CURL_ERROR_SIZE] = "";
  Response response = { g_string_new (NULL), FALSE };
  g_autofree char *key_header = g_strdup_printf ("Idempotency-Key: %s", row->key);
  g_autofree char *signature_header =
      g_strdup_printf ("X-ParcelScreen-Signature: ed25519=%s", row->signature);
  g_autofree char *public_header = g_strdup_printf ("X-ParcelScreen-Key: %s", row->signer_key);
  g_autofree char *counter_header = ps_relay_endpoint_counter_header (&self->endpoint);
  struct curl_slist *headers = NULL;
  headers = curl_slist_append (headers, "Content-Type: application/json; charset=utf-8");
  headers = curl_slist_append (headers, "Expect:");
  headers = curl_slist_append (headers, key_header);
  headers = curl_slist_append (headers, signature_header);
  headers = curl_slist_append (headers, public_header);
  headers = curl_slist_append (headers, counter_header);

  curl_easy_reset (curl); /* the connection stays in the multi handle's cache */
  curl_easy_setopt (curl, CURLOPT_URL, self->url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (curl, CURLOPT_USERAGENT, USER_AGENT);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, row->document);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (row->document));
  ps_relay_endpoint_apply (&self->endpoint, curl);
  /* The whole try, connection included. */
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, self->timeout_ms);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, body_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &response);

  gboolean stopped = FALSE;
  CURLcode code = perform (self, next, deliveries, cancellable, &stopped);
  long status = 0;
  curl_off_t retry_after = 0;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  /* Seconds, or an HTTP date made relative by curl; 0 when none was given. */
  if (curl_easy_getinfo (curl, CURLINFO_RETRY_AFTER, &retry_after) != CURLE_OK)
    retry_after = 0;
  curl_slist_free_all (headers);
  *retry_after_s = retry_after > 0 ? (gint64) MIN (retry_after, 86400) : -1;
  *status_out = status;

  Outcome outcome;
  if (stopped)
    outcome = OUTCOME_STOPPED;
  else if (code != CURLE_OK)
    {
      {
        g_autoptr (GError) curl_error = NULL;
        ps_relay_curl_error (code, error_buffer, &curl_error);
        *problem = g_strdup (curl_error->message);
      }
      outcome = OUTCOME_RETRY;
    }
  else if (status >= 200 && status < 300)
    {
      *reference = reference_of (response.body->str);
      outcome = OUTCOME_SENT;
    }
  else if (status == 408 || status == 429 || status >= 500)
    {
      *problem =
          g_strdup_printf (_ ("The receiver answered %ld; the report will be sent again."), status);
      outcome = OUTCOME_RETRY;
    }
  else if (status >= 300 && status < 400)
    {
      /* A redirect is not followed: a report goes to the configured address
       * only. Nor is it the police refusing the report: it waits, and goes
       * once the address in the configuration is right again. */
      *problem = g_strdup_printf (
          _ ("The receiver answered %ld, sending the report to another address; reports go "
             "only to the configured address. It will be sent again; if this lasts, check the "
             "receiver's address in the configuration."),
          status);
      outcome = OUTCOME_RETRY;
    }
  else
    {
      /* The receiver's own words, short, for the supervisor: kept with the
       * row only, never logged nor audited (they might quote the report). */
      g_autofree char *said = g_utf8_make_valid (response.body->str, MIN (response.body->len, 300));
      *problem = g_strdup_printf (_ ("The receiver refused the report (%ld): %s"), status,
                                  g_strstrip (said));
      outcome = OUTCOME_REFUSED;
    }
  g_string_free (response.body, TRUE);
  return outcome;
}

/* Exponential back-off with full jitter: a random wait in [0, min(cap, base·2^n)]. */
static gint64
backoff_us (PsForwarder *self, guint attempts)
{
  gint64 ceiling = self->retry_base_us;
  for (guint i = 0; i < attempts && ceiling < self->retry_cap_us; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, self->retry_cap_us);
  return (gint64) (g_rand_double (self->rand) * (double) ceiling);
}

/* The outcome of one delivery, recorded with those of its batch. */
typedef struct
{
  gint64 id;
  Outcome outcome;
  long status;
  gboolean recorded;  /* already in the database */
  const char *sha256; /* the row's, which outlives the delivery */
  char *reference;
  char *problem;
  gint64 time_us; /* when sent, or the next attempt */
} Delivery;

static void
delivery_clear (Delivery *delivery)
{
  g_free (delivery->reference);
  g_free (delivery->problem);
}

/* Records one delivery's outcome (its own short transaction, or part of
 * the batch's). */
static gboolean
record_one (PsForwarder *self, const Delivery *delivery, GError **error)
{
  switch (delivery->outcome)
    {
      case OUTCOME_SENT:
        return ps_store_outbox_sent (self->store, delivery->id, self->owner, delivery->reference,
                                     delivery->sha256, delivery->time_us, error);
      case OUTCOME_RETRY:
        return ps_store_outbox_retry (self->store, delivery->id, self->owner, delivery->problem,
                                      delivery->time_us, error);
      case OUTCOME_REFUSED:
        return ps_store_outbox_failed (self->store, delivery->id, self->owner, delivery->problem,
                                       (int) delivery->status, delivery->time_us, error);
      case OUTCOME_STOPPED:
      default:
        return TRUE;
    }
}

/* Records the outcomes not yet recorded while a request is on its way, ten
 * at a time in one transaction (one commit for ten). If that fails (a busy
 * database), they are recorded at the end of the batch; one recorded twice
 * is left alone the second time (its lease is gone). */
static void
record_finished (PsForwarder *self, GArray *deliveries)
{
  guint waiting = 0;
  for (guint i = 0; i < deliveries->len; i++)
    waiting += !g_array_index (deliveries, Delivery, i).recorded;
  g_autoptr (GError) error = NULL;
  if (waiting < RECORD_EVERY || !ps_store_begin_batch (self->store, &error))
    return;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < deliveries->len; i++)
    {
      const Delivery *delivery = &g_array_index (deliveries, Delivery, i);
      if (!delivery->recorded)
        ok = record_one (self, delivery, &error);
    }
  g_autoptr (GError) end_error = NULL;
  if (ps_store_end_batch (self->store, &end_error) && ok)
    for (guint i = 0; i < deliveries->len; i++)
      g_array_index (deliveries, Delivery, i).recorded = TRUE;
  else
    g_debug ("outcomes recorded later: %s", (error != NULL ? error : end_error)->message);
}

/* Records the batch's outcomes not yet recorded in one transaction, and gives
 * back the leases of the rows not tried (a forwarder told to stop). A
 * forwarder killed before this delivers those rows again once their leases
 * end; the receiver recognises the keys and the bytes. */
static gboolean
record_batch (PsForwarder *self, GArray *deliveries, GError **error)
{
  if (!ps_store_begin_batch (self->store, error))
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < deliveries->len; i++)
    {
      Delivery *delivery = &g_array_index (deliveries, Delivery, i);
      if (!delivery->recorded)
        ok = record_one (self, delivery, error);
      delivery->recorded = ok;
    }
  /* The rows not tried (or whose try was stopped) keep nothing of it. */
  ok = ok && ps_store_outbox_release (self->store, self->owner, self->leased, error);
  if (!ok)
    {
      g_autoptr (GError) ignored = NULL;
      ps_store_end_batch (self->store, &ignored);
      return FALSE;
    }
  g_array_set_size (self->leased, 0);
  return ps_store_end_batch (self->store, error);
}

/* Gives @row its document: the kept one, or one made and signed now, at its
 * first try, and kept, so that every later try sends the same bytes. */
static gboolean
ensure_document (PsForwarder *self, PsOutboxRow *row, GError **error)
{
  if (row->document != NULL)
    return TRUE;
  PsCounterIdentity counter = { self->endpoint.office_code, self->endpoint.counter_id,
                                ps_signing_key_public (self->key) };
  g_autofree char *document = ps_store_outbox_document (self->store, row, &counter, error);
  if (document == NULL)
    return FALSE;
  g_free (row->signature);
  g_free (row->signer_key);
  row->signature = ps_signing_key_sign (self->key, document, strlen (document));
  row->signer_key = g_strdup (counter.public_key);
  row->document = g_steal_pointer (&document);
  if (ps_store_outbox_keep_document (self->store, row, self->owner, error))
    return TRUE;
  g_clear_pointer (&row->document, g_free);
  return FALSE;
}

/* Leases the next rows due at @due_us (one transaction: one lock, one sync;
 * none is held while the network is used). */
static GPtrArray *
lease_batch (PsForwarder *self, gint64 due_us, GError **error)
{
  gint64 now = g_get_real_time ();
  g_autoptr (GPtrArray) rows = ps_store_outbox_lease (self->store, self->owner, due_us, now,
                                                      PS_OUTBOX_LEASE_US, LEASE_BATCH, error);
  if (rows == NULL)
    return NULL;
  g_array_set_size (self->leased, 0);
  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (self->leased, ((PsOutboxRow *) g_ptr_array_index (rows, i))->id);
  self->renewed_us = now;
  return g_steal_pointer (&rows);
}

gboolean
ps_forwarder_run_once (PsForwarder *self, GCancellable *cancellable, PsForwardResult *result,
                       GError **error)
{
  g_return_val_if_fail (self != NULL && result != NULL, FALSE);

  /* Each row at most once a pass: only rows due when the pass began. A row
   * tried again later in this pass is due after it. */
  gint64 pass_start = g_get_real_time ();
  while (!g_cancellable_is_cancelled (cancellable))
    {
      g_autoptr (GPtrArray) rows = lease_batch (self, pass_start, error);
      if (rows == NULL)
        return FALSE;
      if (rows->len == 0)
        break;

      g_autoptr (GArray) deliveries = g_array_sized_new (FALSE, TRUE, sizeof (Delivery), rows->len);
      g_array_set_clear_func (deliveries, (GDestroyNotify) delivery_clear);
      for (guint i = 0; i < rows->len && !g_cancellable_is_cancelled (cancellable); i++)
        {
          PsOutboxRow *row = g_ptr_array_index (rows, i);
          PsOutboxRow *next = i + 1 < rows->len ? g_ptr_array_index (rows, i + 1) : NULL;
          renew_leases (self);
          if (!ensure_document (self, row, error))
            {
              /* Its outcome, and the others', are recorded; the rest is left. */
              g_autoptr (GError) ignored = NULL;
              record_batch (self, deliveries, &ignored);
              return FALSE;
            }
          Delivery delivery = { .id = row->id, .sha256 = row->document_sha256 };
          gint64 retry_after_s = -1;
          delivery.outcome = post (self, row, next, deliveries, cancellable, &delivery.reference,
                                   &delivery.problem, &delivery.status, &retry_after_s);
          delivery.time_us = g_get_real_time ();
          const char *shown = delivery.problem;
          switch (delivery.outcome)
            {
              case OUTCOME_SENT:
                result->sent++;
                break;
              case OUTCOME_RETRY:
                {
                  gint64 wait = backoff_us (self, row->attempts);
                  if (retry_after_s >= 0)
                    wait = MAX (wait, MIN (retry_after_s * G_USEC_PER_SEC,
                                           MAX (MAX_RETRY_AFTER_US, self->retry_cap_us)));
                  g_message ("outbox %" G_GINT64_FORMAT " (%s): %s; next try in %lld ms", row->id,
                             row->key, delivery.problem, (long long) (wait / 1000));
                  delivery.time_us = MAX (delivery.time_us + wait, pass_start + 1);
                  result->retried++;
                  break;
                }
              case OUTCOME_REFUSED:
                /* Not the receiver's words: they might quote the report. */
                g_warning ("outbox %" G_GINT64_FORMAT " (%s): refused for good by the receiver "
                           "(%ld)",
                           row->id, row->key, delivery.status);
                result->refused++;
                shown = NULL;
                g_free (result->last_problem);
                result->last_problem = g_strdup_printf (
                    _ ("The receiver refused a report for good (%ld); its answer is on the "
                       "supervisor's screen."),
                    delivery.status);
                break;
              case OUTCOME_STOPPED:
              default:
                break;
            }
          if (shown != NULL)
            {
              g_free (result->last_problem);
              result->last_problem = g_strdup (shown);
            }
          g_array_append_val (deliveries, delivery);
        }
      if (!record_batch (self, deliveries, error))
        return FALSE;
    }
  return ps_store_outbox_next_due (self->store, self->owner, &result->next_due_us, error);
}

/* Sleeps up to @timeout_ms, or until @cancellable is cancelled. */
static void
sleep_cancellable (GCancellable *cancellable, gint64 timeout_ms)
{
  GPollFD fd;
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_poll (&fd, 1, (int) CLAMP (timeout_ms, 0, G_MAXINT));
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) MAX (timeout_ms, 0) * 1000);
}

void
ps_forwarder_watch (PsForwarder *self, guint poll_ms, GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);

  /* Database failures are logged and retried, never the end. */
  g_autofree char *last_failure = NULL;
  /* The police's instructions are fetched beside, by a thread of their own
   * stopped by the same cancellable. */
  PullThread pull = { self->puller, cancellable };
  GThread *puller = self->puller != NULL ? g_thread_new ("instructions", pull_thread, &pull) : NULL;
  while (!g_cancellable_is_cancelled (cancellable))
    {
      g_auto (PsForwardResult) result = { 0 };
      g_autoptr (GError) local_error = NULL;
      /* 0: nothing can be sent until another connection changes the database. */
      gint64 wake_us = 0;
      gint64 seen_version = 0;
      if (ps_store_data_version (self->store, &seen_version, &local_error) &&
          ps_forwarder_run_once (self, cancellable, &result, &local_error))
        {
          g_clear_pointer (&last_failure, g_free);
          wake_us = result.next_due_us;
        }
      else
        {
          /* A busy or full disk passes: say it once, keep trying. The rows
           * stay queued; nothing is lost. */
          if (g_strcmp0 (last_failure, local_error->message) != 0)
            g_warning ("The forwarder cannot use the database: %s", local_error->message);
          g_free (last_failure);
          last_failure = g_strdup (local_error->message);
          wake_us = g_get_real_time () + G_USEC_PER_SEC;
        }
      /* Sleep until a row is due, looking every @poll_ms whether another
       * connection (the counter program, a supervisor) changed the
       * database: a new row, a refused one sent again, a lease given up. */
      while (!g_cancellable_is_cancelled (cancellable))
        {
          gint64 now = g_get_real_time ();
          if (wake_us != 0 && now >= wake_us)
            break;
          gint64 step_ms = poll_ms;
          if (wake_us != 0)
            step_ms = MIN (step_ms, (wake_us - now + 999) / 1000);
          sleep_cancellable (cancellable, step_ms);
          gint64 version = 0;
          if (last_failure == NULL &&
              (!ps_store_data_version (self->store, &version, NULL) || version != seen_version))
            break;
        }
    }
  if (puller != NULL)
    g_thread_join (puller);
}
