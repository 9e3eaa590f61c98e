/* ps-store-pins.c — PINs: their rules, the counter's PIN key, and Argon2id
 * (libsodium) over the keyed PIN.
 *
 * A PIN is keyed with the counter's PIN key (32 random bytes in a file beside
 * the database, readable by the counter's user only) before Argon2: a copy of
 * the database alone is not enough to search the six-digit PINs offline.
 */
#include "ps-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIN_MAX_DIGITS 32
/* A PIN hash keyed with the PIN key; one without this prefix is from before
 * the key (checked as it is, and keyed at the next good login). */
#define KEYED_PREFIX "ps1$"

static gboolean
ensure_sodium (GError **error)
{
  static gsize initialized;
  static gboolean ok;

  if (g_once_init_enter (&initialized))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, 1);
    }
  if (!ok)
    g_set_error (error, PS_ERROR, PS_ERROR_FAILED,
                 _ ("The cryptography library could not start; PINs cannot be checked."));
  return ok;
}

gboolean
ps_check_pin (const char *pin, GError **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;
  gboolean same = TRUE, up = TRUE, down = TRUE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      {
        g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("A PIN has digits only."));
        return FALSE;
      }
  if (len < PS_PIN_MIN_DIGITS || len > PIN_MAX_DIGITS)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT, _ ("A PIN has %u to %u digits."),
                   PS_PIN_MIN_DIGITS, PIN_MAX_DIGITS);
      return FALSE;
    }
  for (gsize i = 1; i < len; i++)
    {
      int step = (pin[i] - pin[i - 1] + 10) % 10;
      same &= step == 0;
      up &= step == 1;
      down &= step == 9;
    }
  if (same || up || down)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("This PIN is too easy to guess (one digit repeated, or a run such as "
                      "123456); choose another."));
      return FALSE;
    }
  return TRUE;
}

/* The PIN key's file: beside the database, never inside it. */
static char *
pin_key_path (PsStore *store)
{
  return g_strconcat (store->path, ".pin-key", NULL);
}

/* Whether any user's PIN is keyed (then the key must exist). */
static gboolean
any_keyed_pin (PsStore *store)
{
  sqlite3_stmt *select = ps_store_prepare (
      store, "SELECT 1 FROM users WHERE pin_hash LIKE '" KEYED_PREFIX "%' LIMIT 1", NULL);
  if (select == NULL)
    return TRUE; /* fail closed: never make a new key over unknown hashes */
  gboolean any = sqlite3_step (select) == SQLITE_ROW;
  sqlite3_reset (select);
  return any;
}

/* Reads the PIN key, making it first if there is none and no PIN needs one. */
gboolean
ps_store_ensure_pin_key (PsStore *store, GError **error)
{
  if (store->has_pin_key)
    return TRUE;
  if (!ensure_sodium (error))
    return FALSE;
  g_autofree char *path = pin_key_path (store);
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0 && errno == ENOENT)
    {
      if (any_keyed_pin (store))
        {
          g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                       _ ("The PIN key %s is missing: no PIN can be checked. Put back the key "
                          "that belongs with this database (it is kept apart from it)."),
                       path);
          return FALSE;
        }
      guint8 key[32];
      randombytes_buf (key, sizeof key);
      g_autofree char *text = g_base64_encode (key, sizeof key);
      sodium_memzero (key, sizeof key);
      /* Whole or not at all: written to a file of its own, then linked into
       * place (a process killed meanwhile leaves no half key; two making one
       * at once agree on the first). */
      g_autofree char *temporary = g_strconcat (path, ".XXXXXX", NULL);
      int out = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
      g_autofree char *line = g_strconcat (text, "\n", NULL);
      gboolean ok = out >= 0 && write (out, line, strlen (line)) == (ssize_t) strlen (line) &&
                    fsync (out) == 0;
      int saved_errno = errno;
      if (out >= 0)
        close (out);
      if (ok && link (temporary, path) != 0 && errno != EEXIST)
        {
          saved_errno = errno;
          ok = FALSE;
        }
      if (out >= 0)
        g_unlink (temporary);
      sodium_memzero (line, strlen (line));
      if (!ok)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_STORAGE, _ ("Cannot create the PIN key %s: %s"),
                       path, g_strerror (saved_errno));
          return FALSE;
        }
      fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    }
  struct stat info;
  char text[128] = "";
  ssize_t len = -1;
  if (fd >= 0 && fstat (fd, &info) == 0 && S_ISREG (info.st_mode))
    len = read (fd, text, sizeof text - 1);
  int saved = errno;
  if (fd >= 0)
    close (fd);
  gsize key_len = 0;
  g_autofree guint8 *key =
      len > 0 ? g_base64_decode (g_strstrip ((text[len] = '\0', text)), &key_len) : NULL;
  sodium_memzero (text, sizeof text);
  if (key == NULL || key_len != sizeof store->pin_key)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("The PIN key %s cannot be read (%s): no PIN can be checked."), path,
                   fd < 0 ? g_strerror (saved) : _ ("it is not a key"));
      return FALSE;
    }
  if ((info.st_mode & 0077) != 0)
    g_warning ("The PIN key %s is readable by other users (mode %03o): make it 0600.", path,
               (unsigned) (info.st_mode & 0777));
  memcpy (store->pin_key, key, sizeof store->pin_key);
  sodium_memzero (key, key_len);
  store->has_pin_key = TRUE;
  return TRUE;
}

/* The PIN keyed with the counter's PIN key: what Argon2 hashes (hex). */
static void
keyed_pin (PsStore *store, const char *pin, char out[crypto_auth_hmacsha256_BYTES * 2 + 1])
{
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256 (mac, (const guint8 *) pin, strlen (pin), store->pin_key);
  sodium_bin2hex (out, crypto_auth_hmacsha256_BYTES * 2 + 1, mac, sizeof mac);
  sodium_memzero (mac, sizeof mac);
}

char *
ps_store_hash_pin (PsStore *store, const char *pin, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];
  char keyed[crypto_auth_hmacsha256_BYTES * 2 + 1];

  if (!ps_store_ensure_pin_key (store, error))
    return NULL;
  keyed_pin (store, pin, keyed);
  int rc = crypto_pwhash_str (hash, keyed, strlen (keyed), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE);
  sodium_memzero (keyed, sizeof keyed);
  if (rc != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_FAILED,
                   _ ("The computer is out of memory; the PIN could not be stored."));
      return NULL;
    }
  return g_strconcat (KEYED_PREFIX, hash, NULL);
}

/* One Argon2 check of @pin against @hash (keyed or from before the key). */
gboolean
ps_store_verify_pin (PsStore *store, const char *hash, const char *pin)
{
  if (hash == NULL || pin == NULL)
    return FALSE;
  if (!g_str_has_prefix (hash, KEYED_PREFIX))
    return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
  char keyed[crypto_auth_hmacsha256_BYTES * 2 + 1];
  keyed_pin (store, pin, keyed);
  gboolean ok = crypto_pwhash_str_verify (hash + strlen (KEYED_PREFIX), keyed, strlen (keyed)) == 0;
  sodium_memzero (keyed, sizeof keyed);
  return ok;
}

/* Spends the time of a real verification, so that an unknown, disabled or
 * locked login takes as long to refuse as a wrong PIN. */
void
ps_store_verify_dummy (PsStore *store, const char *pin)
{
  static char *dummy;
  if (g_once_init_enter (&dummy))
    g_once_init_leave (&dummy, ps_store_hash_pin (store, "582904", NULL));
  ps_store_verify_pin (store, dummy, pin != NULL ? pin : "");
}

gboolean
ps_store_pin_hash_is_keyed (const char *hash)
{
  return g_str_has_prefix (hash, KEYED_PREFIX);
}
