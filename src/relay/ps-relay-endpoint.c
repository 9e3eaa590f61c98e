/* ps-relay-endpoint.c — see ps-relay-endpoint.h. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-relay-endpoint.h"

static char *
setting (const PsConfig *config, const char *group, const char *key)
{
  const char *value = ps_config_get_string (config, group, key);
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

void
ps_relay_endpoint_init (PsRelayEndpoint *endpoint, const PsConfig *config)
{
  endpoint->ca_file = setting (config, "relay", "ca-file");
  endpoint->client_cert = setting (config, "relay", "client-cert");
  endpoint->client_key = setting (config, "relay", "client-key");
  endpoint->pinned_key = setting (config, "relay", "pinned-key");
  endpoint->office_code = g_strdup (ps_config_get_string (config, "counter", "office-code"));
  endpoint->counter_id = g_strdup (ps_config_get_string (config, "counter", "counter-id"));
  endpoint->connect_timeout_ms = (long) ps_config_get_int (config, "relay", "connect-timeout-ms");
  GStatBuf key_info;
  if (endpoint->client_key != NULL && g_stat (endpoint->client_key, &key_info) == 0 &&
      (key_info.st_mode & 0077) != 0)
    g_warning ("The TLS client key %s can be read by other users (mode %03o): make it 0600.",
               endpoint->client_key, (unsigned) (key_info.st_mode & 0777));
}

void
ps_relay_endpoint_clear (PsRelayEndpoint *endpoint)
{
  g_clear_pointer (&endpoint->ca_file, g_free);
  g_clear_pointer (&endpoint->client_cert, g_free);
  g_clear_pointer (&endpoint->client_key, g_free);
  g_clear_pointer (&endpoint->pinned_key, g_free);
  g_clear_pointer (&endpoint->office_code, g_free);
  g_clear_pointer (&endpoint->counter_id, g_free);
}

void
ps_relay_endpoint_apply (const PsRelayEndpoint *endpoint, CURL *curl)
{
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, endpoint->connect_timeout_ms);
  if (endpoint->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, endpoint->ca_file);
  if (endpoint->client_cert != NULL)
    curl_easy_setopt (curl, CURLOPT_SSLCERT, endpoint->client_cert);
  if (endpoint->client_key != NULL)
    curl_easy_setopt (curl, CURLOPT_SSLKEY, endpoint->client_key);
  if (endpoint->pinned_key != NULL)
    curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, endpoint->pinned_key);
}

char *
ps_relay_endpoint_counter_header (const PsRelayEndpoint *endpoint)
{
  return g_strdup_printf ("X-ParcelScreen-Counter: %s/%s", endpoint->office_code,
                          endpoint->counter_id);
}

/* Whether a transfer that broke off looks like the receiver refusing this
 * counter's client certificate. The TLS library says so in several ways,
 * depending on when the receiver's verdict arrives: an alert naming the
 * certificate while reading, a record cut short ("bad length"), or a broken
 * pipe while the request was still being written. */
static gboolean
certificate_refused (CURLcode code, const char *detail)
{
  if (code != CURLE_SSL_CONNECT_ERROR && code != CURLE_SEND_ERROR && code != CURLE_RECV_ERROR &&
      code != CURLE_GOT_NOTHING)
    return FALSE;
  static const char *const markers[] = {
    "alert", "certificate", "bad length", "Broken pipe", "handshake failure",
  };
  for (guint i = 0; detail != NULL && i < G_N_ELEMENTS (markers); i++)
    if (strstr (detail, markers[i]) != NULL)
      return TRUE;
  return FALSE;
}

void
ps_relay_curl_error (CURLcode code, const char *detail, GError **error)
{
  PsError kind = PS_ERROR_FAILED;

  /* One switch from curl's codes to ours, so that a caller can tell a TLS
   * failure from a network one without reading the message. On (int): a
   * newer curl's codes must not break the build. */
  switch ((int) code)
    {
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        kind = PS_ERROR_TLS;
        break;
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SEND_ERROR:
      case CURLE_RECV_ERROR:
      case CURLE_GOT_NOTHING:
        kind = certificate_refused (code, detail) ? PS_ERROR_TLS : PS_ERROR_NETWORK;
        break;
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_CONNECT:
        kind = PS_ERROR_NETWORK;
        break;
      case CURLE_OPERATION_TIMEDOUT:
        kind = PS_ERROR_TIMED_OUT;
        break;
      default:
        break;
    }

  const char *what;
  if (code == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    what = _ ("The receiver's public key does not match the pinned key ([relay] pinned-key): "
              "this may not be the police server. Nothing was sent.");
  else if (code == CURLE_PEER_FAILED_VERIFICATION)
    what = _ ("The receiver's certificate is not trusted (expired, for another name, or not "
              "signed by [relay] ca-file). Nothing was sent.");
  else if (code == CURLE_SSL_CACERT_BADFILE)
    what = _ ("The certificate authority file ([relay] ca-file) cannot be read.");
  else if (code == CURLE_SSL_CERTPROBLEM)
    what = _ ("This counter's client certificate ([relay] client-cert) cannot be used.");
  else if (certificate_refused (code, detail))
    what = _ ("The receiver refused this counter's client certificate ([relay] client-cert): "
              "ask the police to register it. Nothing was sent.");
  else if (code == CURLE_SSL_CONNECT_ERROR || code == CURLE_SEND_ERROR ||
           code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING)
    what = _ ("The connection to the receiver broke off before an answer (the receiver may have "
              "refused this counter's client certificate, or failed).");
  else if (code == CURLE_COULDNT_RESOLVE_HOST)
    what = _ ("The receiver's name cannot be resolved: is the network up?");
  else if (code == CURLE_COULDNT_CONNECT)
    what = _ ("The receiver cannot be reached: is the network up?");
  else if (code == CURLE_OPERATION_TIMEDOUT)
    what = _ ("The receiver did not answer in time.");
  else
    what = _ ("The delivery failed.");
  g_set_error (error, PS_ERROR, kind, "%s (curl %d: %s)", what, (int) code,
               detail != NULL && *detail != '\0' ? detail : curl_easy_strerror (code));
}
