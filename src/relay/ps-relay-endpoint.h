/* ps-relay-endpoint.h — the counter's side of its mutual-TLS connection to
 * the police hub, shared by the forwarder and the instructions' puller: the
 * hub's CA, this counter's certificate and key, the optional pin, who the
 * counter is. Private to the relay layer. */
#pragma once

#include <curl/curl.h>

#include "ps-config.h"

G_BEGIN_DECLS

typedef struct
{
  char *ca_file;
  char *client_cert;
  char *client_key;
  char *pinned_key;
  char *office_code;
  char *counter_id;
  long connect_timeout_ms;
} PsRelayEndpoint;

/** Reads [relay] and [counter]; warns once of a client key others can read. */
void ps_relay_endpoint_init (PsRelayEndpoint *endpoint, const PsConfig *config);
void ps_relay_endpoint_clear (PsRelayEndpoint *endpoint);
/** Sets the TLS files, the pin and the connection time-out on @curl. */
void ps_relay_endpoint_apply (const PsRelayEndpoint *endpoint, CURL *curl);
/** Returns: (transfer full): "X-ParcelScreen-Counter: OFFICE/COUNTER". */
char *ps_relay_endpoint_counter_header (const PsRelayEndpoint *endpoint);

/**
 * ps_relay_curl_error:
 * @detail: (nullable): curl's error buffer
 *
 * Sets @error from a failed transfer, in words a technician can act on, with
 * the code a caller can act on: %PS_ERROR_TLS (a certificate, the pin, the
 * CA file, or the receiver refusing this counter's certificate),
 * %PS_ERROR_NETWORK (no route, no name, a connection broken off),
 * %PS_ERROR_TIMED_OUT, or %PS_ERROR_FAILED.
 */
void ps_relay_curl_error (CURLcode code, const char *detail, GError **error);

G_END_DECLS
