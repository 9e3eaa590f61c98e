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

G_END_DECLS
