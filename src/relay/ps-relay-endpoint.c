/* ps-relay-endpoint.c — see ps-relay-endpoint.h. */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

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
