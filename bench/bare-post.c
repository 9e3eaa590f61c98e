/* bare-post.c — the baseline of the relay benchmark: the same signed bodies
 * the forwarder would send, POSTed by a bare libcurl loop over one kept-alive
 * connection with the same TLS settings; no database work in the timed part.
 *
 *   bare-post CONFIG DATABASE
 * Prints "bare N SECONDS".
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "ps-signing.h"
#include "ps-store.h"

static size_t
discard_cb (char *data, size_t size, size_t count, void *user_data)
{
  (void) data;
  (void) user_data;
  return size * count;
}

static void
set_path (CURL *curl, CURLoption option, const PsConfig *config, const char *key)
{
  const char *value = ps_config_get_string (config, "relay", key);
  if (value != NULL && *value != '\0')
    curl_easy_setopt (curl, option, value);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  if (argc != 3)
    {
      fprintf (stderr, "usage: bare-post CONFIG DATABASE\n");
      return 2;
    }
  g_autoptr (PsConfig) config = ps_config_load (argv[1], &error);
  g_autoptr (PsStore) store = config != NULL ? ps_store_open (argv[2], &error) : NULL;
  g_autoptr (PsSigningKey) key =
      store != NULL
          ? ps_signing_key_load (ps_config_get_string (config, "relay", "signing-key"), &error)
          : NULL;
  if (key == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  PsCounterIdentity counter = { "BENCH", "1", ps_signing_key_public (key) };

  /* The bodies and headers first, untimed. */
  g_autoptr (GPtrArray) rows =
      ps_store_outbox_lease (store, "bare", g_get_real_time (), g_get_real_time (),
                             (gint64) G_USEC_PER_SEC * 3600, G_MAXINT, &error);
  g_autoptr (GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) headers =
      g_ptr_array_new_with_free_func ((GDestroyNotify) curl_slist_free_all);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const PsOutboxRow *row = g_ptr_array_index (rows, i);
      char *body = ps_store_outbox_document (store, row, &counter, &error);
      if (body == NULL)
        break;
      g_autofree char *signature = ps_signing_key_sign (key, body, strlen (body));
      g_autofree char *h1 = g_strdup_printf ("Idempotency-Key: bare-%s", row->key);
      g_autofree char *h2 = g_strdup_printf ("X-ParcelScreen-Signature: ed25519=%s", signature);
      g_autofree char *h3 = g_strdup_printf ("X-ParcelScreen-Key: %s", counter.public_key);
      struct curl_slist *list = curl_slist_append (NULL, "Content-Type: application/json");
      list = curl_slist_append (list, "Expect:");
      list = curl_slist_append (list, h1);
      list = curl_slist_append (list, h2);
      list = curl_slist_append (list, h3);
      g_ptr_array_add (bodies, body);
      g_ptr_array_add (headers, list);
    }
  if (error != NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  curl_global_init (CURL_GLOBAL_DEFAULT);
  CURL *curl = curl_easy_init ();
  gint64 start = g_get_monotonic_time ();
  for (guint i = 0; i < bodies->len; i++)
    {
      const char *body = g_ptr_array_index (bodies, i);
      curl_easy_reset (curl);
      curl_easy_setopt (curl, CURLOPT_URL, ps_config_get_string (config, "relay", "url"));
      curl_easy_setopt (curl, CURLOPT_HTTPHEADER, g_ptr_array_index (headers, i));
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (body));
      curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard_cb);
      set_path (curl, CURLOPT_CAINFO, config, "ca-file");
      set_path (curl, CURLOPT_SSLCERT, config, "client-cert");
      set_path (curl, CURLOPT_SSLKEY, config, "client-key");
      CURLcode code = curl_easy_perform (curl);
      long status = 0;
      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      if (code != CURLE_OK || status != 200)
        {
          fprintf (stderr, "bare post %u failed: %s, status %ld\n", i, curl_easy_strerror (code),
                   status);
          return 1;
        }
    }
  double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  curl_easy_cleanup (curl);
  printf ("bare %u %.3f\n", bodies->len, seconds);
  return 0;
}
