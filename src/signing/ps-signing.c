/* ps-signing.c — the counter's Ed25519 key pair, in a file only its owner reads. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-data-files.h"
#include "parcelscreen/ps-error.h"
#include "ps-signing.h"

#define KEY_HEADER "parcelscreen-ed25519-secret-key-1"

struct _PsSigningKey
{
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  char *public_base64;
};

static gboolean
sodium_ready (GError **error)
{
  if (sodium_init () >= 0)
    return TRUE;
  g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("The cryptography library cannot start."));
  return FALSE;
}

gboolean
ps_signing_key_generate (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sodium_ready (error))
    return FALSE;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair (public_key, secret);
  g_autofree char *encoded = g_base64_encode (secret, sizeof secret);
  sodium_memzero (secret, sizeof secret);
  g_autofree char *text = g_strdup_printf ("%s\n%s\n", KEY_HEADER, encoded);
  sodium_memzero (encoded, strlen (encoded));

  g_autofree char *directory = g_path_get_dirname (path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("Cannot create the folder %s: %s"),
                   directory, g_strerror (errno));
      return FALSE;
    }
  /* O_EXCL: an existing key is never replaced by accident; the police know it. */
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, PS_ERROR, saved == EEXIST ? PS_ERROR_DUPLICATE : PS_ERROR_FAILED,
                   saved == EEXIST ? _ ("%s exists already; a counter keeps its key (remove the "
                                        "file first to replace it, and tell the police).")
                                   : _ ("Cannot write %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  gsize len = strlen (text);
  gboolean ok = write (fd, text, len) == (ssize_t) len && fsync (fd) == 0;
  int saved = errno;
  sodium_memzero (text, len);
  if (close (fd) != 0 || !ok)
    {
      g_unlink (path);
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("Cannot write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

PsSigningKey *
ps_signing_key_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!sodium_ready (error))
    return NULL;
  GStatBuf info;
  if (g_stat (path, &info) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("There is no signing key %s; create it with “parcelscreenctl keys "
                      "generate”."),
                   path);
      return NULL;
    }
  if ((info.st_mode & 077) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("The signing key %s can be read by other users; make it private "
                      "(chmod 600)."),
                   path);
      return NULL;
    }
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local_error = NULL;
  text = ps_file_read (path, 4096, &len, &local_error);
  if (text == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("Cannot read %s: %s"), path,
                   local_error->message);
      return NULL;
    }
  g_auto (GStrv) lines = g_strsplit (text, "\n", 3);
  sodium_memzero (text, len);
  gsize decoded_len = 0;
  g_autofree guchar *decoded = NULL;
  if (g_strv_length (lines) >= 2 && strcmp (lines[0], KEY_HEADER) == 0)
    decoded = g_base64_decode (lines[1], &decoded_len);
  if (lines[0] != NULL && lines[1] != NULL)
    sodium_memzero (lines[1], strlen (lines[1]));
  if (decoded == NULL || decoded_len != crypto_sign_SECRETKEYBYTES)
    {
      if (decoded != NULL)
        sodium_memzero (decoded, decoded_len);
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("%s is not a ParcelScreen signing key."),
                   path);
      return NULL;
    }
  PsSigningKey *key = g_new0 (PsSigningKey, 1);
  memcpy (key->secret, decoded, sizeof key->secret);
  sodium_memzero (decoded, decoded_len);
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk (public_key, key->secret);
  key->public_base64 = g_base64_encode (public_key, sizeof public_key);
  return key;
}

void
ps_signing_key_free (PsSigningKey *key)
{
  if (key == NULL)
    return;
  sodium_memzero (key->secret, sizeof key->secret);
  g_free (key->public_base64);
  g_free (key);
}

const char *
ps_signing_key_public (const PsSigningKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->public_base64;
}

char *
ps_signing_key_sign (const PsSigningKey *key, const void *data, gsize len)
{
  g_return_val_if_fail (key != NULL, NULL);
  guint8 signature[crypto_sign_BYTES];
  crypto_sign_detached (signature, NULL, data, len, key->secret);
  return g_base64_encode (signature, sizeof signature);
}

gboolean
ps_public_key_load (const char *path, guint8 key[32], GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize text_len = 0;
  text = ps_file_read (path, 4096, &text_len, &local_error);
  if (text == NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("Cannot read %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  gsize len = 0;
  g_autofree guchar *decoded = g_base64_decode (g_strstrip (text), &len);
  if (decoded == NULL || len != crypto_sign_PUBLICKEYBYTES)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not an Ed25519 public key (one line of base64)."), path);
      return FALSE;
    }
  memcpy (key, decoded, crypto_sign_PUBLICKEYBYTES);
  return TRUE;
}

gboolean
ps_signature_verify (const guint8 key[32], const void *data, gsize len, const char *signature)
{
  if (signature == NULL || sodium_init () < 0)
    return FALSE;
  gsize signature_len = 0;
  g_autofree guchar *decoded = g_base64_decode (signature, &signature_len);
  return decoded != NULL && signature_len == crypto_sign_BYTES &&
         crypto_sign_verify_detached (decoded, data, len, key) == 0;
}

guint64
ps_watchlist_version (const char *data, gsize len)
{
  /* "# version: N" on a line of its own, inside the signed text. */
  const char *end = data + len;
  for (const char *line = data; line != NULL && line < end;)
    {
      const char *newline = memchr (line, '\n', (gsize) (end - line));
      gsize line_len = (gsize) ((newline != NULL ? newline : end) - line);
      if (line_len > 11 && line_len < 40 && strncmp (line, "# version: ", 11) == 0)
        {
          g_autofree char *number = g_strndup (line + 11, line_len - 11);
          guint64 version = 0;
          if (g_ascii_string_to_unsigned (g_strstrip (number), 10, 1, G_MAXUINT64, &version, NULL))
            return version;
        }
      line = newline != NULL ? newline + 1 : NULL;
    }
  return 0;
}

gboolean
ps_watchlist_check_signature (const PsConfig *config, GError **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  const char *path = ps_config_get_string (config, "data", "watchlist");
  const char *key_file = ps_config_get_string (config, "data", "watchlist-key");
  if (*path == '\0')
    return TRUE;
  if (*key_file == '\0')
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("The watch list %s cannot be checked: set [data] watchlist-key to the "
                      "police's public key file."),
                   path);
      return FALSE;
    }
  guint8 key[32];
  gsize len = 0, signature_len = 0;
  g_autofree char *signature_path = g_strconcat (path, ".sig", NULL);
  g_autofree char *data = NULL;
  g_autofree char *signature = NULL;
  if (!ps_public_key_load (key_file, key, error) ||
      (data = ps_file_read (path, PS_DATA_FILE_MAX_BYTES, &len, error)) == NULL)
    return FALSE;
  signature = ps_file_read (signature_path, 1024, &signature_len, NULL);
  if (signature == NULL || !ps_signature_verify (key, data, len, g_strstrip (signature)))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DATA_FILE,
                   _ ("The watch list %s does not match the police's signature (%s): it was "
                      "changed after it was imported, and is not used. Import it again with "
                      "parcelscreenctl watchlist import."),
                   path, signature_path);
      return FALSE;
    }
  return TRUE;
}
