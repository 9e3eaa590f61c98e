/* ps-hub-config.c — hub.conf, and the hub's small helpers for certificates,
 * passwords and tokens. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "parcelscreen/ps-error.h"
#include "ps-data-files.h"
#include "ps-hub.h"

typedef enum
{
  KIND_STRING,
  KIND_PORT,
  KIND_COUNT,
} Kind;

typedef struct
{
  const char *group;
  const char *key;
  Kind kind;
  gsize offset;
  const char *fallback;
  guint min, max;
} Entry;

#define STR(group, key, field, fallback)                                                           \
  {                                                                                                \
    group, key, KIND_STRING, G_STRUCT_OFFSET (PsHubConfig, field), fallback, 0, 0                  \
  }
#define NUM(group, key, kind, field, fallback, min, max)                                           \
  {                                                                                                \
    group, key, kind, G_STRUCT_OFFSET (PsHubConfig, field), fallback, min, max                     \
  }

static const Entry entries[] = {
  STR ("database", "conninfo", conninfo, "dbname=parcelscreen_hub"),
  NUM ("database", "pool-size", KIND_COUNT, pool_size, "8", 1, 256),
  NUM ("database", "acquire-timeout-ms", KIND_COUNT, acquire_ms, "2000", 10, 60000),
  STR ("ingest", "address", listen, "0.0.0.0"),
  NUM ("ingest", "port", KIND_PORT, port, "8443", 1, 65535),
  STR ("ingest", "tls-certificate", tls_cert, NULL),
  STR ("ingest", "tls-key", tls_key, NULL),
  STR ("ingest", "counter-ca", counter_ca, NULL),
  STR ("web", "address", web_listen, "127.0.0.1"),
  NUM ("web", "port", KIND_PORT, web_port, "8444", 0, 65535),
  STR ("web", "tls-certificate", web_tls_cert, NULL),
  STR ("web", "tls-key", web_tls_key, NULL),
  NUM ("web", "session-minutes", KIND_COUNT, session_minutes, "480", 5, 1440),
  NUM ("web", "lock-after-failures", KIND_COUNT, lock_failures, "5", 1, 100),
  NUM ("web", "lock-minutes", KIND_COUNT, lock_minutes, "15", 1, 1440),
  STR ("web", "reasons", reasons_path, NULL),
  STR ("answers", "police-key", police_key_path, NULL),
};

static gboolean
known (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    if (strcmp (entries[i].group, group) == 0 && strcmp (entries[i].key, key) == 0)
      return TRUE;
  return FALSE;
}

PsHubConfig *
ps_hub_config_load (const char *path, GError **error)
{
  gsize len = 0;
  g_autofree char *text = ps_file_read (path, 256 * 1024, &len, error);
  if (text == NULL)
    return NULL;
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  if (!g_key_file_load_from_data (file, text, len, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("%s is not a valid configuration: %s"),
                   path, local_error->message);
      return NULL;
    }
  /* A misspelt setting must not silently fall back to a default. */
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);
  for (char **group = groups; *group != NULL; group++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (file, *group, NULL, NULL);
      for (char **key = keys; key != NULL && *key != NULL; key++)
        if (!known (*group, *key))
          {
            g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                         _ ("%s: [%s] %s is not a setting of the hub."), path, *group, *key);
            return NULL;
          }
    }

  g_autoptr (PsHubConfig) config = g_new0 (PsHubConfig, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      const Entry *entry = &entries[i];
      g_autofree char *value = g_key_file_get_string (file, entry->group, entry->key, NULL);
      if (value != NULL)
        g_strstrip (value);
      if (value == NULL || *value == '\0')
        {
          g_free (value);
          value = g_strdup (entry->fallback);
        }
      for (const char *c = value; c != NULL && *c != '\0'; c++)
        if ((guchar) *c < 0x20)
          {
            g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                         _ ("%s: [%s] %s contains a control character."), path, entry->group,
                         entry->key);
            return NULL;
          }
      gpointer field = G_STRUCT_MEMBER_P (config, entry->offset);
      if (entry->kind == KIND_STRING)
        {
          *(char **) field = g_steal_pointer (&value);
          continue;
        }
      guint64 number = 0;
      if (!g_ascii_string_to_unsigned (value, 10, entry->min, entry->max, &number, NULL))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                       _ ("%s: [%s] %s must be a whole number from %u to %u."), path, entry->group,
                       entry->key, entry->min, entry->max);
          return NULL;
        }
      *(guint *) field = (guint) number;
    }
  if (config->tls_cert == NULL || config->tls_key == NULL || config->counter_ca == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("%s: [ingest] tls-certificate, tls-key and counter-ca are required: the "
                      "counters are only heard over mutual TLS."),
                   path);
      return NULL;
    }
  /* The reason codes the counters send, in words (the counters' own file). */
  if (config->reasons_path == NULL)
    {
      const char *datadir = g_getenv ("PARCELSCREEN_DATADIR");
      config->reasons_path = g_build_filename (
          datadir != NULL && *datadir != '\0' ? datadir : PS_HUB_DATADIR, "reasons.txt", NULL);
    }
  gsize reasons_len = 0;
  g_autofree char *reasons = ps_file_read (config->reasons_path, 1024 * 1024, &reasons_len, error);
  if (reasons == NULL || (config->reasons = ps_reasons_parse (reasons, reasons_len,
                                                              config->reasons_path, error)) == NULL)
    {
      g_prefix_error (error, _ ("%s: [web] reasons: "), path);
      return NULL;
    }
  if (config->police_key_path != NULL &&
      (config->police_key = ps_signing_key_load (config->police_key_path, error)) == NULL)
    {
      g_prefix_error (error, _ ("%s: [answers] police-key: "), path);
      return NULL;
    }
  if (config->web_tls_cert == NULL)
    config->web_tls_cert = g_strdup (config->tls_cert);
  if (config->web_tls_key == NULL)
    config->web_tls_key = g_strdup (config->tls_key);
  return g_steal_pointer (&config);
}

void
ps_hub_config_free (PsHubConfig *config)
{
  if (config == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    if (entries[i].kind == KIND_STRING)
      g_free (*(char **) G_STRUCT_MEMBER_P (config, entries[i].offset));
  g_clear_pointer (&config->reasons, ps_reasons_unref);
  g_clear_pointer (&config->police_key, ps_signing_key_free);
  g_free (config);
}

char *
ps_hub_sha256_hex (const void *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

char *
ps_hub_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return ps_hub_sha256_hex (der->data, der->len);
}

char *
ps_hub_password_hash (const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];
  if (sodium_init () < 0 ||
      crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("Out of memory hashing the password."));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
ps_hub_password_verify (const char *hash, const char *password)
{
  return sodium_init () >= 0 && hash != NULL && password != NULL &&
         crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
ps_hub_random_token (gsize n)
{
  g_autofree guchar *bytes = g_malloc (n);
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  randombytes_buf (bytes, n);
  char *text = g_base64_encode (bytes, n);
  for (char *c = text; *c != '\0'; c++)
    if (*c == '+')
      *c = '-';
    else if (*c == '/')
      *c = '_';
    else if (*c == '=')
      *c = '\0';
  sodium_memzero (bytes, n);
  return text;
}
