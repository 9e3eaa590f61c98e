/* ps-hub-server.c — the two listeners (libsoup 3) and the worker threads.
 *
 * libsoup's server runs in the main thread; every request is paused there,
 * copied into a PsHubExchange and handed to a worker thread, which takes a
 * pooled PostgreSQL connection, does the work, and returns the answer to the
 * main thread, which unpauses the message. The main loop therefore never
 * waits for the database, and the pool's size bounds the work in flight.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-hub.h"

struct _PsHub
{
  const PsHubConfig *config;
  PsHubPool *pool;
  GThreadPool *workers;
  GMainContext *context;
  SoupServer *ingest;
  SoupServer *web;
  /* GSocket * -> the fingerprint of the client certificate accepted on that
   * connection: libsoup 3.2 gives the peer certificate to the first message
   * of a kept-alive connection only. Main thread only. */
  GHashTable *peers;
  /* Counters' requests for instructions held until there are some (woken by
   * PostgreSQL's NOTIFY on listen) or their wait ends. Main thread only. */
  GPtrArray *parked;
  PGconn *listen;
  guint listen_source;
  guint tick_source;
};

typedef enum
{
  ROUTE_INGEST,
  ROUTE_WEB,
} Route;

typedef struct
{
  PsHubExchange exchange;
  Route route;
  gint64 started_us;   /* the request handed over, for the debug timing */
  gint64 park_counter; /* set by the worker: hold the request for this counter */
  gint64 park_until_us;
  SoupServerMessage *msg;
  gboolean finished; /* the client went away: answer nobody */
  gulong finished_id;
} Job;

typedef struct
{
  PsHub *hub;
  GSocket *socket;
  char *fingerprint;
} Peer;

static void
peer_free (gpointer data)
{
  Peer *peer = data;
  g_free (peer->fingerprint);
  g_free (peer);
}

const char *
ps_hub_exchange_header (PsHubExchange *exchange, const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (exchange->headers, lower);
}

const char *
ps_hub_exchange_query (PsHubExchange *exchange, const char *name)
{
  return exchange->query != NULL ? g_hash_table_lookup (exchange->query, name) : NULL;
}

void
ps_hub_exchange_answer (PsHubExchange *exchange, guint status, const char *content_type,
                        const char *body)
{
  exchange->status = status;
  g_free (exchange->content_type);
  exchange->content_type = g_strdup (content_type);
  g_string_assign (exchange->response, body != NULL ? body : "");
}

void
ps_hub_exchange_add_header (PsHubExchange *exchange, const char *name, const char *value)
{
  g_ptr_array_add (exchange->response_headers, g_strdup (name));
  g_ptr_array_add (exchange->response_headers, g_strdup (value));
}

static void
job_free (Job *job)
{
  PsHubExchange *exchange = &job->exchange;
  g_free (exchange->method);
  g_free (exchange->path);
  g_clear_pointer (&exchange->query, g_hash_table_unref);
  g_clear_pointer (&exchange->headers, g_hash_table_unref);
  g_clear_pointer (&exchange->body, g_bytes_unref);
  g_free (exchange->peer_fingerprint);
  g_free (exchange->content_type);
  g_string_free (exchange->response, TRUE);
  g_ptr_array_unref (exchange->response_headers);
  if (job->finished_id != 0)
    g_signal_handler_disconnect (job->msg, job->finished_id);
  g_object_unref (job->msg);
  g_free (job);
}

static void
on_finished (SoupServerMessage *msg, gpointer user_data)
{
  (void) msg;
  Job *job = user_data;
  job->finished = TRUE;
}

static void park (Job *job);

/* Main thread: the worker's answer goes out. */
static gboolean
answer (gpointer user_data)
{
  Job *job = user_data;
  PsHubExchange *exchange = &job->exchange;
  if (job->park_counter > 0 && !job->finished)
    {
      park (job);
      return G_SOURCE_REMOVE;
    }
  if (job->route == ROUTE_INGEST)
    g_debug ("ingest-timing %u %" G_GINT64_FORMAT, exchange->status,
             g_get_monotonic_time () - job->started_us);
  if (!job->finished)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);
      for (guint i = 0; i + 1 < exchange->response_headers->len; i += 2)
        soup_message_headers_append (headers, exchange->response_headers->pdata[i],
                                     exchange->response_headers->pdata[i + 1]);
      soup_server_message_set_status (job->msg, exchange->status, NULL);
      soup_server_message_set_response (job->msg, exchange->content_type, SOUP_MEMORY_COPY,
                                        exchange->response->str, exchange->response->len);
      soup_server_message_unpause (job->msg);
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

/* Worker thread. */
static void
work (gpointer data, gpointer user_data)
{
  Job *job = data;
  PsHub *hub = user_data;
  PsHubExchange *exchange = &job->exchange;
  g_autoptr (GError) error = NULL;
  PGconn *conn = ps_hub_pool_acquire (hub->pool, hub->config->acquire_ms, &error);
  if (conn == NULL)
    {
      /* Never a 2xx without a commit: the counter tries again. */
      g_message ("503: %s", error->message);
      ps_hub_exchange_answer (exchange, SOUP_STATUS_SERVICE_UNAVAILABLE, "application/json",
                              "{\"error\": \"the hub's database is unavailable\"}");
      ps_hub_exchange_add_header (exchange, "Retry-After", "2");
    }
  else
    {
      if (job->route == ROUTE_INGEST && g_str_has_prefix (exchange->path, "/v1/instructions"))
        ps_hub_answers_handle (hub->config, exchange, conn, &job->park_counter);
      else if (job->route == ROUTE_INGEST)
        ps_hub_ingest_handle (hub->config, exchange, conn);
      else
        ps_hub_web_handle (hub->config, exchange, conn);
      ps_hub_pool_release (hub->pool, conn);
    }
  g_main_context_invoke (hub->context, answer, job);
}

static void
handle (SoupServerMessage *msg, PsHub *hub, Route route, const char *path, GHashTable *query)
{
  Job *job = g_new0 (Job, 1);
  job->route = route;
  job->msg = g_object_ref (msg);
  PsHubExchange *exchange = &job->exchange;
  exchange->hub = hub;
  exchange->method = g_strdup (soup_server_message_get_method (msg));
  exchange->path = g_strdup (path);
  if (query != NULL)
    exchange->query = g_hash_table_ref (query);
  exchange->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_replace (exchange->headers, g_ascii_strdown (name, -1), g_strdup (value));
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  exchange->body = soup_message_body_flatten (body);
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  if (peer != NULL)
    exchange->peer_fingerprint = ps_hub_certificate_fingerprint (peer);
  else if (route == ROUTE_INGEST && socket != NULL)
    {
      Peer *known = g_hash_table_lookup (hub->peers, socket);
      exchange->peer_fingerprint = known != NULL ? g_strdup (known->fingerprint) : NULL;
    }
  exchange->peer_errors = soup_server_message_get_tls_peer_certificate_errors (msg);
  exchange->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  exchange->content_type = g_strdup ("text/plain");
  exchange->response = g_string_new (NULL);
  exchange->response_headers = g_ptr_array_new_with_free_func (g_free);
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished), job);

  job->started_us = g_get_monotonic_time ();
  soup_server_message_pause (msg);
  g_thread_pool_push (hub->workers, job, NULL);
}

/* Before the body is read: a POST must say its length, and at most 1 MiB,
 * so that no one makes the hub read and hold a large body. libsoup would
 * read the whole body before answering, so the connection is taken over,
 * answered and closed here. */
static void
on_ingest_headers (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                   gpointer user_data)
{
  (void) server;
  (void) path;
  (void) query;
  (void) user_data;
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    return;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  guint status;
  const char *body;
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      status = SOUP_STATUS_LENGTH_REQUIRED;
      body = "{\"error\": \"a Content-Length is required\"}";
    }
  else if (soup_message_headers_get_content_length (headers) > PS_HUB_MAX_BODY)
    {
      status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      body = "{\"error\": \"the body is over 1 MiB\"}";
    }
  else
    return;
  g_message ("ingest: %u before the body was read", status);
  g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_autofree char *answer =
      g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                       "Connection: close\r\n\r\n%s",
                       status, soup_status_get_phrase (status), strlen (body), body);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), answer, strlen (answer), NULL,
                             NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
on_ingest (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  (void) server;
  handle (msg, user_data, ROUTE_INGEST, path, query);
}

static void
on_web (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer user_data)
{
  (void) server;
  handle (msg, user_data, ROUTE_WEB, path, query);
}

/* A server-side TLS connection always asks: the client certificate is
 * accepted only when it has no error at all against the counter CA (not
 * another CA's, not self-signed, not expired, not yet valid, not revoked).
 * Whether it is a registered counter's is the handler's check (403). */
static void
on_socket_gone (gpointer data, GObject *where_the_socket_was)
{
  Peer *peer = data;
  g_hash_table_remove (peer->hub->peers, where_the_socket_was);
}

static gboolean
on_accept_certificate (SoupServerMessage *msg, GTlsCertificate *certificate,
                       GTlsCertificateFlags errors, gpointer user_data)
{
  PsHub *hub = user_data;
  if (certificate == NULL || errors != 0)
    {
      g_message ("ingest: a client certificate was refused in the handshake (errors 0x%x)",
                 (unsigned) errors);
      return FALSE;
    }
  GSocket *socket = soup_server_message_get_socket (msg);
  if (socket == NULL)
    return TRUE;
  Peer *peer = g_hash_table_lookup (hub->peers, socket);
  if (peer == NULL)
    {
      peer = g_new0 (Peer, 1);
      peer->hub = hub;
      peer->socket = socket;
      g_object_weak_ref (G_OBJECT (socket), on_socket_gone, peer);
      g_hash_table_insert (hub->peers, socket, peer);
    }
  g_free (peer->fingerprint);
  peer->fingerprint = ps_hub_certificate_fingerprint (certificate);
  return TRUE;
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  (void) server;
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), user_data);
}

/* ---- Held requests for instructions ----------------------------------------- */

static void
park (Job *job)
{
  PsHub *hub = job->exchange.hub;
  if (job->park_until_us == 0)
    {
      guint64 wait = 0;
      const char *text = ps_hub_exchange_query (&job->exchange, "wait");
      if (text != NULL)
        g_ascii_string_to_unsigned (text, 10, 0, 30, &wait, NULL);
      job->park_until_us = job->started_us + (gint64) wait * G_USEC_PER_SEC;
    }
  g_ptr_array_add (hub->parked, job);
}

/* Sends the held requests of @counter (0: all) to a worker again. */
static void
wake (PsHub *hub, gint64 counter)
{
  for (guint i = hub->parked->len; i-- > 0;)
    {
      Job *job = hub->parked->pdata[i];
      if (counter != 0 && job->park_counter != counter)
        continue;
      g_ptr_array_remove_index_fast (hub->parked, i);
      job->park_counter = 0;
      g_thread_pool_push (hub->workers, job, NULL);
    }
}

static gboolean listen_connect (PsHub *hub);

static gboolean
on_notify (gint fd, GIOCondition condition, gpointer user_data)
{
  (void) fd;
  (void) condition;
  PsHub *hub = user_data;
  if (!PQconsumeInput (hub->listen))
    {
      g_message ("instructions: the notification connection was lost; listening again");
      PQfinish (hub->listen);
      hub->listen = NULL;
      hub->listen_source = 0;
      return G_SOURCE_REMOVE;
    }
  PGnotify *notify;
  while ((notify = PQnotifies (hub->listen)) != NULL)
    {
      wake (hub, g_ascii_strtoll (notify->extra, NULL, 10));
      PQfreemem (notify);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
listen_connect (PsHub *hub)
{
  hub->listen = ps_hub_db_connect (hub->config->conninfo, NULL);
  if (hub->listen == NULL || !ps_hub_db_run (hub->listen, NULL, "LISTEN ps_instructions", 0, NULL))
    {
      g_clear_pointer (&hub->listen, PQfinish);
      return FALSE;
    }
  hub->listen_source = g_unix_fd_add (PQsocket (hub->listen), G_IO_IN, on_notify, hub);
  return TRUE;
}

/* Every second: the held requests whose wait ended get an empty list; a lost
 * notification connection is made again (and every held request re-checked,
 * a notification may have been missed meanwhile). */
static gboolean
on_tick (gpointer user_data)
{
  PsHub *hub = user_data;
  if (hub->listen == NULL && listen_connect (hub))
    wake (hub, 0);
  gint64 now = g_get_monotonic_time ();
  for (guint i = hub->parked->len; i-- > 0;)
    {
      Job *job = hub->parked->pdata[i];
      if (!job->finished && job->park_until_us > now)
        continue;
      g_ptr_array_remove_index_fast (hub->parked, i);
      job->park_counter = 0;
      ps_hub_exchange_answer (&job->exchange, SOUP_STATUS_OK, "application/json",
                              "{\"instructions\": []}");
      answer (job);
    }
  return G_SOURCE_CONTINUE;
}

static GTlsCertificate *
load_certificate (const char *cert, const char *key, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert, key, &local_error);
  if (certificate == NULL)
    g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("The certificate %s or its key %s: %s"), cert,
                 key, local_error->message);
  return certificate;
}

static gboolean
listen_on (SoupServer *server, const char *address, guint port, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("%s is not an IP address."), address);
      return FALSE;
    }
  g_autoptr (GSocketAddress) socket_address = g_inet_socket_address_new (inet, (guint16) port);
  g_autoptr (GError) local_error = NULL;
  if (!soup_server_listen (server, socket_address, SOUP_SERVER_LISTEN_HTTPS, &local_error))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("Cannot listen on %s port %u: %s"), address,
                   port, local_error->message);
      return FALSE;
    }
  return TRUE;
}

PsHub *
ps_hub_new (const PsHubConfig *config, GError **error)
{
  /* Refuse to start on a database of another schema. */
  g_autoptr (PGconn) conn = ps_hub_db_connect (config->conninfo, error);
  if (conn == NULL || !ps_hub_db_check_version (conn, error))
    return NULL;

  g_autoptr (GTlsCertificate) certificate =
      load_certificate (config->tls_cert, config->tls_key, error);
  if (certificate == NULL)
    return NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GTlsDatabase) counters = g_tls_file_database_new (config->counter_ca, &local_error);
  if (counters == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("The counter CA %s: %s"),
                   config->counter_ca, local_error->message);
      return NULL;
    }

  PsHub *hub = g_new0 (PsHub, 1);
  hub->config = config;
  hub->context = g_main_context_ref_thread_default ();
  hub->peers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, peer_free);
  hub->parked = g_ptr_array_new ();
  if (!listen_connect (hub))
    g_message ("instructions: cannot listen for notifications yet; trying every second");
  hub->tick_source = g_timeout_add_seconds (1, on_tick, hub);
  hub->pool = ps_hub_pool_new (config->conninfo, config->pool_size);
  hub->workers = g_thread_pool_new (work, hub, (int) config->pool_size, FALSE, NULL);

  /* Mutual TLS: a client certificate is required and must chain to the
   * province's counter CA (on_accept_certificate()); the handler checks that
   * the certificate is a registered counter's. */
  hub->ingest =
      soup_server_new ("tls-certificate", certificate, "tls-database", counters, "tls-auth-mode",
                       G_TLS_AUTHENTICATION_REQUIRED, "server-header", "parcelscreen-hub", NULL);
  soup_server_add_early_handler (hub->ingest, NULL, on_ingest_headers, hub, NULL);
  soup_server_add_handler (hub->ingest, NULL, on_ingest, hub, NULL);
  g_signal_connect (hub->ingest, "request-started", G_CALLBACK (on_request_started), hub);
  if (!listen_on (hub->ingest, config->listen, config->port, error))
    {
      ps_hub_free (hub);
      return NULL;
    }
  if (config->web_port != 0)
    {
      g_autoptr (GTlsCertificate) web_certificate =
          load_certificate (config->web_tls_cert, config->web_tls_key, error);
      if (web_certificate == NULL)
        {
          ps_hub_free (hub);
          return NULL;
        }
      hub->web = soup_server_new ("tls-certificate", web_certificate, "server-header",
                                  "parcelscreen-hub", NULL);
      soup_server_add_handler (hub->web, NULL, on_web, hub, NULL);
      if (!listen_on (hub->web, config->web_listen, config->web_port, error))
        {
          ps_hub_free (hub);
          return NULL;
        }
    }
  return hub;
}

void
ps_hub_free (PsHub *hub)
{
  if (hub == NULL)
    return;
  if (hub->ingest != NULL)
    soup_server_disconnect (hub->ingest);
  if (hub->web != NULL)
    soup_server_disconnect (hub->web);
  /* Let the workers finish what they hold, then answer nobody. */
  g_thread_pool_free (hub->workers, FALSE, TRUE);
  while (g_main_context_iteration (hub->context, FALSE))
    ;
  g_clear_object (&hub->ingest);
  g_clear_object (&hub->web);
  if (hub->tick_source != 0)
    g_source_remove (hub->tick_source);
  if (hub->listen_source != 0)
    g_source_remove (hub->listen_source);
  g_clear_pointer (&hub->listen, PQfinish);
  for (guint i = 0; i < hub->parked->len; i++)
    job_free (hub->parked->pdata[i]);
  g_ptr_array_unref (hub->parked);
  ps_hub_pool_free (hub->pool);
  /* Sockets still alive hold a weak reference to their Peer: drop them. */
  GHashTableIter iter;
  gpointer socket, peer;
  g_hash_table_iter_init (&iter, hub->peers);
  while (g_hash_table_iter_next (&iter, &socket, &peer))
    g_object_weak_unref (socket, on_socket_gone, peer);
  g_hash_table_unref (hub->peers);
  g_main_context_unref (hub->context);
  g_free (hub);
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  (void) cancellable;
  g_main_context_wakeup (user_data);
}

gboolean
ps_hub_run (PsHub *hub, GCancellable *cancellable, GError **error)
{
  (void) error;
  gulong id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), hub->context, NULL);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (hub->context, TRUE);
  g_cancellable_disconnect (cancellable, id);
  return TRUE;
}
