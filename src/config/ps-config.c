/* ps-config.c — the configuration files: checked line by line, then read
 * with GKeyFile.
 *
 * GKeyFile reports syntax errors without line numbers and keeps the last of
 * two equal keys without a word, so each file is first scanned here: every
 * line must be a comment, a [group] or key=value, every group and key must be
 * known, and no key may appear twice. Values are then read with GKeyFile (it
 * handles escapes) and checked against their type; errors name the line.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ps-config.h"
#include "ps-data-files.h"
#include "parcelscreen/ps-text.h"
#include "parcelscreen/ps-error.h"

#define CONFIG_FILE_NAME      "parcelscreen.conf"
#define CONFIG_MAX_BYTES      (1024 * 1024)
#define TRACKING_FORMAT_GROUP "tracking-format "

typedef enum
{
  PS_SETTING_STRING,
  PS_SETTING_PATH,
  PS_SETTING_INT,
  PS_SETTING_LANGUAGE,
  PS_SETTING_USB_IDS,
} PsSettingType;

typedef struct
{
  const char *group;
  const char *key;
  PsSettingType type;
  const char *default_value; /* for strings; for paths, a data file name or NULL */
  gint64 default_int;
  gint64 min, max;
  const char *description;
} PsSetting;

static const PsSetting settings[] = {
  { "counter", "office-code", PS_SETTING_STRING, "", 0, 0, 0,
    N_ ("Code of the post office (bưu cục)") },
  { "counter", "counter-id", PS_SETTING_STRING, "", 0, 0, 0, N_ ("Number of this counter") },
  { "counter", "language", PS_SETTING_LANGUAGE, "", 0, 0, 0,
    N_ ("Language of the interface: vi, en, or empty for the system's") },
  { "database", "path", PS_SETTING_PATH, NULL, 0, 0, 0, N_ ("The counter's SQLite database") },
  { "database", "training-path", PS_SETTING_PATH, NULL, 0, 0, 0,
    N_ ("The training database (parcelscreen --training)") },
  { "data", "checklist", PS_SETTING_PATH, "checklist.txt", 0, 0, 0,
    N_ ("The inspection checklist") },
  { "data", "reasons", PS_SETTING_PATH, "reasons.txt", 0, 0, 0,
    N_ ("The refusal and hold reasons") },
  { "data", "rules", PS_SETTING_PATH, "rules.txt", 0, 0, 0, N_ ("The risk rules") },
  { "data", "watchlist", PS_SETTING_PATH, "", 0, 0, 0, N_ ("The watch list (empty: none)") },
  { "data", "watchlist-key", PS_SETTING_PATH, "", 0, 0, 0,
    N_ ("The police's public key: the watch list is used only while its signature holds") },
  { "devices", "scanner-ids", PS_SETTING_USB_IDS, "", 0, 0, 0,
    N_ ("Keyboard-mode scanners of other makers, as vvvv:pppp;vvvv:pppp") },
  { "security", "idle-lock-minutes", PS_SETTING_INT, NULL, 5, 0, 240,
    N_ ("Minutes without input before the screen locks (0: never)") },
  { "scale", "stable-ms", PS_SETTING_INT, NULL, 800, 0, 10000,
    N_ ("How long a weight must stay stable before it is captured, in milliseconds") },
  { "receipt", "message-vi", PS_SETTING_STRING,
    "Hãy nói không với ma túy. Không sử dụng mạng bưu chính để vận chuyển ma túy và hàng cấm.", 0,
    0, 0, N_ ("The public-awareness message printed on receipts, in Vietnamese") },
  { "receipt", "message-en", PS_SETTING_STRING,
    "Say no to drugs. Never use the postal network to send drugs or prohibited goods.", 0, 0, 0,
    N_ ("The public-awareness message printed on receipts, in English") },
  { "printing", "pdf-folder", PS_SETTING_PATH, "", 0, 0, 0,
    N_ ("A folder where every printout is also saved as PDF (empty: none)") },
  { "security", "max-pin-failures", PS_SETTING_INT, NULL, 5, 1, 20,
    N_ ("Wrong PINs in a row before a user is locked out") },
  { "security", "lockout-minutes", PS_SETTING_INT, NULL, 5, 1, 1440,
    N_ ("How long a locked-out user waits, in minutes") },
  { "relay", "url", PS_SETTING_STRING, "", 0, 0, 0,
    N_ ("The police receiver's HTTPS address (empty: reports are queued, not sent)") },
  { "relay", "ca-file", PS_SETTING_PATH, "", 0, 0, 0,
    N_ ("The certificate authority that signed the receiver's certificate") },
  { "relay", "client-cert", PS_SETTING_PATH, "", 0, 0, 0,
    N_ ("This counter's client certificate (PEM), for mutual TLS") },
  { "relay", "client-key", PS_SETTING_PATH, "", 0, 0, 0,
    N_ ("The private key of the client certificate (PEM)") },
  { "relay", "pinned-key", PS_SETTING_STRING, "", 0, 0, 0,
    N_ ("The receiver's public key pin, sha256//BASE64 (empty: no pin)") },
  { "relay", "signing-key", PS_SETTING_PATH, NULL, 0, 0, 0,
    N_ ("This counter's Ed25519 signing key (parcelscreenctl keys generate)") },
  { "relay", "connect-timeout-ms", PS_SETTING_INT, NULL, 10000, 100, 120000,
    N_ ("How long to wait for a connection to the receiver, in milliseconds") },
  { "relay", "timeout-ms", PS_SETTING_INT, NULL, 30000, 100, 600000,
    N_ ("How long one delivery may take in all, in milliseconds") },
  { "relay", "retry-base-ms", PS_SETTING_INT, NULL, 1000, 10, 600000,
    N_ ("The first wait before a delivery is tried again, in milliseconds") },
  { "relay", "retry-cap-ms", PS_SETTING_INT, NULL, 300000, 10, 86400000,
    N_ ("The longest wait between two tries, in milliseconds") },
  { "relay", "police-key", PS_SETTING_PATH, "", 0, 0, 0,
    N_ ("The police's public key, which signs their instructions (empty: none are fetched)") },
  { "relay", "instructions-url", PS_SETTING_STRING, "", 0, 0, 0,
    N_ ("Where the police's instructions are fetched (empty: /v1/instructions at the "
        "receiver's host)") },
  { "relay", "simulation", PS_SETTING_INT, NULL, 0, 0, 1,
    N_ ("1: the receiver is a test one, to which a simulation's database (parcelscreenctl "
        "simulate) may be forwarded; 0 (the default): never") },
  { "retention", "personal-data-days", PS_SETTING_INT, NULL, 90, 1, 3650,
    N_ ("Days after which the personal data of parcels accepted or refused without risk "
        "indicators is erased") },
  { "retention", "closed-report-days", PS_SETTING_INT, NULL, 1825, 1, 36500,
    N_ ("Days after a report is closed before the personal data of its parcel is erased") },
};

typedef struct
{
  char *value;
  gint64 int_value;
  char *origin; /* "FILE:LINE" or NULL for the default */
} PsConfigValue;

struct _PsConfig
{
  GHashTable *values; /* "group/key" → PsConfigValue */
  GPtrArray *files;
  PsTrackingFormats *formats;
  GPtrArray *format_lines; /* "name", "pattern", "origin" triples, for describe */
};

static void
ps_config_value_free (PsConfigValue *value)
{
  g_free (value->value);
  g_free (value->origin);
  g_free (value);
}

PsConfig *
ps_config_ref (PsConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return g_atomic_rc_box_acquire (config);
}

static void
config_clear (PsConfig *config)
{
  g_hash_table_unref (config->values);
  g_ptr_array_unref (config->files);
  ps_tracking_formats_free (config->formats);
  g_ptr_array_unref (config->format_lines);
}

void
ps_config_unref (PsConfig *config)
{
  if (config != NULL)
    g_atomic_rc_box_release_full (config, (GDestroyNotify) config_clear);
}

static const PsSetting *
find_setting (const char *group, const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].group, group) == 0 && strcmp (settings[i].key, key) == 0)
      return &settings[i];
  return NULL;
}

static gboolean
is_known_group (const char *group)
{
  if (g_str_has_prefix (group, TRACKING_FORMAT_GROUP))
    return group[strlen (TRACKING_FORMAT_GROUP)] != '\0';
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].group, group) == 0)
      return TRUE;
  return FALSE;
}

static char *
default_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "parcelscreen", "counter.db", NULL);
}

static char *
default_signing_key_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "parcelscreen", "signing.key", NULL);
}

static char *
default_training_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "parcelscreen", "training.db", NULL);
}

char *
ps_data_path (const char *name)
{
  const char *override = g_getenv ("PARCELSCREEN_DATADIR");
  return g_build_filename (override != NULL && *override != '\0' ? override : PS_PKGDATADIR, name,
                           NULL);
}

static void
set_defaults (PsConfig *config)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const PsSetting *setting = &settings[i];
      PsConfigValue *value = g_new0 (PsConfigValue, 1);

      if (setting->type == PS_SETTING_INT)
        value->int_value = setting->default_int;
      else if (setting->type == PS_SETTING_PATH && setting->default_value == NULL)
        value->value = strcmp (setting->key, "training-path") == 0 ? default_training_path ()
                       : strcmp (setting->key, "signing-key") == 0 ? default_signing_key_path ()
                                                                   : default_database_path ();
      else if (setting->type == PS_SETTING_PATH && *setting->default_value != '\0')
        value->value = ps_data_path (setting->default_value);
      else
        value->value = g_strdup (setting->default_value);
      g_hash_table_insert (config->values, g_strdup_printf ("%s/%s", setting->group, setting->key),
                           value);
    }
}

G_GNUC_PRINTF (4, 5)
static gboolean
line_error (GError **error, const char *path, guint line, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, "%s:%u: %s", path, line, message);
  return FALSE;
}

typedef struct
{
  char *group;
  char *key;
  guint line;
} PsConfigEntry;

static void
ps_config_entry_free (PsConfigEntry *entry)
{
  g_free (entry->group);
  g_free (entry->key);
  g_free (entry);
}

/* Scans @data line by line; returns the entries (group, key, line) or FALSE
 * with an error naming the line. */
static gboolean
scan_lines (const char *path, const char *data, gsize len, GPtrArray *entries, GError **error)
{
  g_autofree char *group = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) seen_groups =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PsLines lines;
  ps_lines_init (&lines, data, len, path, PS_ERROR_CONFIG);
  for (char *next; (next = ps_lines_next (&lines, error)) != NULL;)
    {
      g_autofree char *line = g_strstrip (next);
      guint line_number = lines.number;

      if (*line == '\0' || *line == '#')
        continue;

      if (*line == '[')
        {
          gsize n = strlen (line);
          if (n < 3 || line[n - 1] != ']' || strpbrk (line + 1, "[]") != line + n - 1)
            return line_error (error, path, line_number,
                               _ ("a group header is a name between ‘[’ and ‘]’."));
          g_free (group);
          group = g_strndup (line + 1, n - 2);
          if (!is_known_group (group))
            return line_error (error, path, line_number, _ ("unknown group [%s]."), group);
          if (!g_hash_table_add (seen_groups, g_strdup (group)))
            return line_error (error, path, line_number,
                               _ ("group [%s] appears twice in this file."), group);
          continue;
        }

      const char *equals = strchr (line, '=');
      if (equals == NULL || equals == line)
        return line_error (error, path, line_number,
                           _ ("expected ‘key=value’, a ‘[group]’ header or a ‘#’ comment."));
      if (group == NULL)
        return line_error (error, path, line_number,
                           _ ("a key before the first ‘[group]’ header."));

      g_autofree char *key = g_strstrip (g_strndup (line, (gsize) (equals - line)));
      gboolean known = g_str_has_prefix (group, TRACKING_FORMAT_GROUP)
                           ? strcmp (key, "pattern") == 0 || strcmp (key, "description") == 0
                           : find_setting (group, key) != NULL;
      if (!known)
        return line_error (error, path, line_number, _ ("unknown key ‘%s’ in group [%s]."), key,
                           group);

      g_autofree char *full = g_strdup_printf ("%s/%s", group, key);
      if (!g_hash_table_add (seen, g_strdup (full)))
        return line_error (error, path, line_number, _ ("key ‘%s’ appears twice in group [%s]."),
                           key, group);

      PsConfigEntry *entry = g_new0 (PsConfigEntry, 1);
      entry->group = g_strdup (group);
      entry->key = g_steal_pointer (&key);
      entry->line = line_number;
      g_ptr_array_add (entries, entry);
    }
  return !lines.refused;
}

static gboolean
apply_setting (PsConfig *config, const PsSetting *setting, const char *raw, const char *path,
               guint line, GError **error)
{
  g_autofree char *full = g_strdup_printf ("%s/%s", setting->group, setting->key);
  PsConfigValue *value = g_hash_table_lookup (config->values, full);

  /* GKeyFile turns \n, \t and \r into the characters: no value is meant to
   * hold one (an office code, a path, an address). */
  for (const char *p = raw; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return line_error (error, path, line,
                         _ ("the value of ‘%s’ holds a control character (a line break or tab, "
                            "written \\n, \\t or \\r?): remove it."),
                         setting->key);
  if ((strcmp (full, "relay/url") == 0 || strcmp (full, "relay/instructions-url") == 0) &&
      *raw != '\0' && g_ascii_strncasecmp (raw, "https://", 8) != 0)
    return line_error (error, path, line,
                       _ ("the receiver's address must begin with https:// (reports are never "
                          "sent unencrypted)."));

  switch (setting->type)
    {
      case PS_SETTING_STRING:
        if (g_utf8_strlen (raw, -1) > 500)
          return line_error (error, path, line, _ ("the value of ‘%s’ is too long."), setting->key);
        g_free (value->value);
        value->value = g_strdup (raw);
        break;

      case PS_SETTING_PATH:
        g_free (value->value);
        if (*raw == '\0')
          {
            value->value = g_strdup ("");
          }
        else
          {
            /* Relative paths are relative to the file that names them. */
            g_autofree char *dir = g_path_get_dirname (path);
            value->value =
                g_path_is_absolute (raw) ? g_strdup (raw) : g_build_filename (dir, raw, NULL);
          }
        break;

      case PS_SETTING_INT:
        {
          gint64 parsed;
          if (!g_ascii_string_to_signed (raw, 10, setting->min, setting->max, &parsed, NULL))
            {
              g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, setting->min);
              g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, setting->max);
              return line_error (error, path, line,
                                 _ ("‘%s’ must be a whole number from %s to %s."), setting->key,
                                 min, max);
            }
          value->int_value = parsed;
          break;
        }

      case PS_SETTING_USB_IDS:
        {
          g_auto (GStrv) ids = g_strsplit (raw, ";", -1);
          for (guint i = 0; ids[i] != NULL; i++)
            {
              guint16 vendor, product;
              if (*g_strstrip (ids[i]) != '\0' && !ps_usb_id_parse (ids[i], &vendor, &product))
                return line_error (error, path, line,
                                   _ ("‘%s’ is not a USB id; write vvvv:pppp in hexadecimal."),
                                   ids[i]);
            }
          g_free (value->value);
          value->value = g_strdup (raw);
          break;
        }

      case PS_SETTING_LANGUAGE:
        if (*raw != '\0' && strcmp (raw, "vi") != 0 && strcmp (raw, "en") != 0)
          return line_error (error, path, line, _ ("‘%s’ must be vi, en or empty."), setting->key);
        g_free (value->value);
        value->value = g_strdup (raw);
        break;
    }

  g_free (value->origin);
  value->origin = g_strdup_printf ("%s:%u", path, line);
  return TRUE;
}

/* The counter's own policy: a user's file or --config cannot loosen it (the
 * lock-out after wrong PINs would be worth nothing if any caller could raise
 * the limit). */
static gboolean
is_system_only (const PsSetting *setting)
{
  return setting != NULL && strcmp (setting->group, "security") == 0 &&
         (strcmp (setting->key, "max-pin-failures") == 0 ||
          strcmp (setting->key, "lockout-minutes") == 0);
}

static gboolean
load_one (PsConfig *config, const char *path, gboolean must_exist, gboolean system, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local_error = NULL;

  data = ps_file_read (path, CONFIG_MAX_BYTES, &len, &local_error);
  if (data == NULL)
    {
      if (!must_exist && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("Cannot read the configuration %s: %s"),
                   path, local_error->message);
      return FALSE;
    }

  g_autoptr (GPtrArray) entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) ps_config_entry_free);
  /* A byte-order mark (Windows Notepad writes one) is no part of the text. */
  const char *text = data;
  gsize text_len = len;
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      text_len -= 3;
    }
  if (!scan_lines (path, text, text_len, entries, error))
    return FALSE;

  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  if (!g_key_file_load_from_data (key_file, text, text_len, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, "%s: %s", path, local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const PsConfigEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *raw =
          g_key_file_get_string (key_file, entry->group, entry->key, &local_error);
      if (raw == NULL)
        return line_error (error, path, entry->line, "%s", local_error->message);
      g_strstrip (raw);

      if (g_str_has_prefix (entry->group, TRACKING_FORMAT_GROUP))
        {
          if (strcmp (entry->key, "pattern") != 0)
            continue;
          const char *name = entry->group + strlen (TRACKING_FORMAT_GROUP);
          if (!ps_tracking_formats_add (config->formats, name, raw, &local_error))
            return line_error (error, path, entry->line, "%s", local_error->message);
          g_ptr_array_add (config->format_lines, g_strdup (name));
          g_ptr_array_add (config->format_lines, g_strdup (raw));
          g_ptr_array_add (config->format_lines, g_strdup_printf ("%s:%u", path, entry->line));
          continue;
        }

      const PsSetting *setting = find_setting (entry->group, entry->key);
      if (!system && is_system_only (setting))
        return line_error (error, path, entry->line,
                           _ ("‘%s’ is the counter's own policy: it is read from the system "
                              "configuration only."),
                           entry->key);
      if (!apply_setting (config, setting, raw, path, entry->line, error))
        return FALSE;
    }

  /* A format group needs its pattern. */
  g_auto (GStrv) groups = g_key_file_get_groups (key_file, NULL);
  for (char **group = groups; *group != NULL; group++)
    if (g_str_has_prefix (*group, TRACKING_FORMAT_GROUP) &&
        !g_key_file_has_key (key_file, *group, "pattern", NULL))
      {
        g_set_error (error, PS_ERROR, PS_ERROR_CONFIG, _ ("%s: group [%s] has no ‘pattern’."), path,
                     *group);
        return FALSE;
      }

  g_ptr_array_add (config->files, g_strdup (path));
  return TRUE;
}

static PsConfig *
ps_config_new (void)
{
  PsConfig *config = g_atomic_rc_box_new0 (PsConfig);
  config->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) ps_config_value_free);
  config->files = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  config->formats = ps_tracking_formats_new ();
  config->format_lines = g_ptr_array_new_with_free_func (g_free);
  set_defaults (config);
  return config;
}

PsConfig *
ps_config_load_files (const char *const *paths, GError **error)
{
  g_autoptr (PsConfig) config = ps_config_new ();

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    if (!load_one (config, paths[i], FALSE, TRUE, error))
      return NULL;
  return g_steal_pointer (&config);
}

PsConfig *
ps_config_load (const char *explicit_path, GError **error)
{
  const char *system_path = g_getenv ("PARCELSCREEN_SYSTEM_CONFIG");
  g_autofree char *default_system = g_build_filename (PS_SYSCONFDIR, CONFIG_FILE_NAME, NULL);
  g_autofree char *user_path =
      g_build_filename (g_get_user_config_dir (), "parcelscreen", CONFIG_FILE_NAME, NULL);
  g_autoptr (PsConfig) config = ps_config_new ();

  if (system_path == NULL)
    system_path = default_system;
  if (*system_path != '\0' && !load_one (config, system_path, FALSE, TRUE, error))
    return NULL;
  if (!load_one (config, user_path, FALSE, FALSE, error))
    return NULL;
  if (explicit_path != NULL && !load_one (config, explicit_path, TRUE, FALSE, error))
    return NULL;
  return g_steal_pointer (&config);
}

static PsConfigValue *
lookup (const PsConfig *config, const char *group, const char *key)
{
  g_autofree char *full = g_strdup_printf ("%s/%s", group, key);
  return g_hash_table_lookup (config->values, full);
}

const char *
ps_config_get_string (const PsConfig *config, const char *group, const char *key)
{
  g_return_val_if_fail (config != NULL, NULL);
  const PsSetting *setting = find_setting (group, key);
  g_return_val_if_fail (setting != NULL && setting->type != PS_SETTING_INT, NULL);
  return lookup (config, group, key)->value;
}

gint64
ps_config_get_int (const PsConfig *config, const char *group, const char *key)
{
  g_return_val_if_fail (config != NULL, 0);
  const PsSetting *setting = find_setting (group, key);
  g_return_val_if_fail (setting != NULL && setting->type == PS_SETTING_INT, 0);
  return lookup (config, group, key)->int_value;
}

char *
ps_config_get_origin (const PsConfig *config, const char *group, const char *key)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (find_setting (group, key) != NULL, NULL);
  const PsConfigValue *value = lookup (config, group, key);
  return g_strdup (value->origin != NULL ? value->origin : "default");
}

const char *const *
ps_config_get_files (const PsConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return (const char *const *) config->files->pdata;
}

const PsTrackingFormats *
ps_config_get_tracking_formats (const PsConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->formats;
}

char *
ps_config_describe (const PsConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  GString *out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const PsSetting *setting = &settings[i];
      const PsConfigValue *value = lookup (config, setting->group, setting->key);
      g_autofree char *origin = ps_config_get_origin (config, setting->group, setting->key);

      if (setting->type == PS_SETTING_INT)
        g_string_append_printf (out, "%s.%s = %" G_GINT64_FORMAT, setting->group, setting->key,
                                value->int_value);
      else
        g_string_append_printf (out, "%s.%s = %s", setting->group, setting->key, value->value);
      g_string_append_printf (out, "    # %s (%s)\n", _ (setting->description),
                              strcmp (origin, "default") == 0 ? _ ("default") : origin);
    }
  for (guint i = 0; i + 2 < config->format_lines->len; i += 3)
    g_string_append_printf (out, "tracking-format %s = %s    # %s\n",
                            (char *) g_ptr_array_index (config->format_lines, i),
                            (char *) g_ptr_array_index (config->format_lines, i + 1),
                            (char *) g_ptr_array_index (config->format_lines, i + 2));
  return g_string_free (out, FALSE);
}
