/* parcelscreen-hubctl: the hub's administration (database, counters, police
 * users). Every command says what it did; a refusal exits 1, a usage error 2. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "parcelscreen/ps-error.h"
#include "ps-config.h"
#include "ps-hub.h"
#include "ps-signing.h"

static char *opt_config;
static char *opt_database;
static char *opt_key;
static char *opt_cert;
static char *opt_note;
static char *opt_name;
static char *opt_role;
static char *opt_unit;
static char *opt_badge;
static char *opt_as;
static gboolean opt_json;

static const GOptionEntry options[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, N_ ("The hub's configuration"), "FILE" },
  { "database", 'd', 0, G_OPTION_ARG_STRING, &opt_database,
    N_ ("libpq connection string (instead of the configuration's)"), "CONNINFO" },
  { "key", 0, 0, G_OPTION_ARG_STRING, &opt_key,
    N_ ("The counter's public key (base64, or a file holding it)"), "KEY" },
  { "cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_cert, N_ ("The counter's client certificate (PEM)"),
    "FILE" },
  { "note", 0, 0, G_OPTION_ARG_STRING, &opt_note, N_ ("Why a flag is acknowledged"), "TEXT" },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, N_ ("A police user's full name"), "NAME" },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, N_ ("officer, commander or admin"), "ROLE" },
  { "unit", 0, 0, G_OPTION_ARG_STRING, &opt_unit, N_ ("A police user's unit"), "UNIT" },
  { "badge", 0, 0, G_OPTION_ARG_STRING, &opt_badge, N_ ("A police user's badge number"), "NUMBER" },
  { "as", 0, 0, G_OPTION_ARG_STRING, &opt_as, N_ ("The police user who sends it"), "LOGIN" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_ ("Print JSON"), NULL },
  { NULL, 0, 0, 0, NULL, NULL, NULL },
};

static int
fail (const GError *error)
{
  fprintf (stderr, "parcelscreen-hubctl: %s\n", error->message);
  return 1;
}

static int
usage (const char *message)
{
  fprintf (stderr, "parcelscreen-hubctl: %s\n", message);
  return 2;
}

static gboolean
valid_name (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;
  if (len == 0 || len > 32)
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_' && *c != '.')
      return FALSE;
  return TRUE;
}

/* A line from standard input, for a password (never an argument: the
 * process list shows arguments). */
static char *
read_secret (void)
{
  char buffer[512];
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  char *secret = g_strdup (buffer);
  sodium_memzero (buffer, sizeof buffer);
  return secret;
}

static int
db_command (PGconn *conn, const char *what)
{
  g_autoptr (GError) error = NULL;
  if (g_strcmp0 (what, "migrate") == 0)
    {
      int from = 0, to = 0;
      if (!ps_hub_db_migrate (conn, &from, &to, &error))
        return fail (error);
      if (from == to)
        printf (_ ("The hub's database is at schema %d already.\n"), to);
      else
        printf (_ ("The hub's database moved from schema %d to %d.\n"), from, to);
      return 0;
    }
  if (g_strcmp0 (what, "status") == 0)
    {
      if (!ps_hub_db_check_version (conn, &error))
        return fail (error);
      g_autoptr (PGresult) counts = ps_hub_db_exec (
          conn, &error,
          "SELECT (SELECT count (*) FROM counters), (SELECT count (*) FROM documents), "
          "(SELECT count (*) FROM reports), (SELECT count (*) FROM custody_events)",
          0, NULL);
      if (counts == NULL)
        return fail (error);
      printf (_ ("schema %d; %s counters, %s documents, %s reports, %s custody events\n"),
              PS_HUB_SCHEMA_VERSION, PQgetvalue (counts, 0, 0), PQgetvalue (counts, 0, 1),
              PQgetvalue (counts, 0, 2), PQgetvalue (counts, 0, 3));
      return 0;
    }
  if (g_strcmp0 (what, "rebuild-projections") == 0)
    {
      if (!ps_hub_db_check_version (conn, &error))
        return fail (error);
      g_autoptr (PGresult) rebuilt = ps_hub_db_exec (
          conn, &error,
          "WITH cleared AS (DELETE FROM custody_events), gone AS (DELETE FROM reports) "
          "SELECT 1",
          0, NULL);
      g_autoptr (PGresult) replay =
          rebuilt == NULL ? NULL
                          : ps_hub_db_exec (conn, &error,
                                            "SELECT count (ps_project (id)) FROM "
                                            "(SELECT id FROM documents ORDER BY id) d",
                                            0, NULL);
      if (replay == NULL)
        return fail (error);
      printf (_ ("Replayed %s documents into the reports and custody events.\n"),
              PQgetvalue (replay, 0, 0));
      return 0;
    }
  return usage (_ ("db: migrate, status or rebuild-projections"));
}

static char *
read_key (const char *given, GError **error)
{
  g_autofree char *text = NULL;
  if (g_file_test (given, G_FILE_TEST_IS_REGULAR))
    {
      if (!g_file_get_contents (given, &text, NULL, error))
        return NULL;
    }
  else
    text = g_strdup (given);
  g_strstrip (text);
  gsize len = 0;
  g_free (g_base64_decode (text, &len));
  if (len != 32)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("%s is not an Ed25519 public key (the line \"parcelscreenctl keys show "
                      "--public\" prints)."),
                   given);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static int
counter_command (PGconn *conn, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *what = argc > 2 ? argv[2] : NULL;
  if (!ps_hub_db_check_version (conn, &error))
    return fail (error);
  if (g_strcmp0 (what, "list") == 0)
    {
      g_autoptr (PGresult) rows = ps_hub_db_exec (
          conn, &error,
          "SELECT c.office, c.counter, c.state, coalesce (to_char (c.last_seen, "
          "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), coalesce (h.seq::text, ''), "
          "coalesce (h.hash, ''), (SELECT count (*) FROM reports r WHERE r.counter_id = c.id AND "
          "r.day = (now () AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), "
          "(SELECT count (*) FROM counter_flags f WHERE f.counter_id = c.id AND f.acknowledged IS "
          "NULL), (SELECT count (*) FROM documents d WHERE d.counter_id = c.id) "
          "FROM counters c LEFT JOIN LATERAL (SELECT seq, hash FROM audit_heads a "
          "WHERE a.counter_id = c.id ORDER BY seq DESC LIMIT 1) h ON true ORDER BY 1, 2",
          0, NULL);
      if (rows == NULL)
        return fail (error);
      if (opt_json)
        printf ("[");
      for (int i = 0; i < PQntuples (rows); i++)
        if (opt_json)
          printf ("%s{\"office\": \"%s\", \"counter\": \"%s\", \"state\": \"%s\", "
                  "\"last_seen\": \"%s\", \"audit_seq\": \"%s\", \"audit_hash\": \"%s\", "
                  "\"reports_today\": %s, \"flags\": %s, \"documents\": %s}",
                  i > 0 ? ", " : "", PQgetvalue (rows, i, 0), PQgetvalue (rows, i, 1),
                  PQgetvalue (rows, i, 2), PQgetvalue (rows, i, 3), PQgetvalue (rows, i, 4),
                  PQgetvalue (rows, i, 5), PQgetvalue (rows, i, 6), PQgetvalue (rows, i, 7),
                  PQgetvalue (rows, i, 8));
        else
          printf ("%s/%s\t%s\t%s: %s\t%s: %s %.12s\t%s: %s\t%s: %s\n", PQgetvalue (rows, i, 0),
                  PQgetvalue (rows, i, 1), PQgetvalue (rows, i, 2), _ ("last seen"),
                  *PQgetvalue (rows, i, 3) ? PQgetvalue (rows, i, 3) : _ ("never"),
                  _ ("audit head"), PQgetvalue (rows, i, 4), PQgetvalue (rows, i, 5),
                  _ ("reports today"), PQgetvalue (rows, i, 6), _ ("flags"),
                  PQgetvalue (rows, i, 7));
      if (opt_json)
        printf ("]\n");
      return 0;
    }
  if (argc < 5 || !valid_name (argv[3]) || !valid_name (argv[4]))
    return usage (_ ("counter add|revoke|ack OFFICE COUNTER (letters, digits, - _ .)"));
  const char *office = argv[3], *counter = argv[4];
  if (g_strcmp0 (what, "add") == 0)
    {
      if (opt_key == NULL || opt_cert == NULL)
        return usage (_ ("counter add needs --key and --cert"));
      g_autofree char *key = read_key (opt_key, &error);
      if (key == NULL)
        return fail (error);
      g_autoptr (GError) tls_error = NULL;
      g_autoptr (GTlsCertificate) cert = g_tls_certificate_new_from_file (opt_cert, &tls_error);
      if (cert == NULL)
        {
          fprintf (stderr, _ ("parcelscreen-hubctl: %s is not a PEM certificate: %s\n"), opt_cert,
                   tls_error->message);
          return 1;
        }
      g_autofree char *fingerprint = ps_hub_certificate_fingerprint (cert);
      const char *params[] = { office, counter, key, fingerprint };
      g_autoptr (PGresult) added = ps_hub_db_exec (
          conn, &error,
          "INSERT INTO counters (office, counter, public_key, cert_sha256) VALUES ($1, $2, $3, $4)",
          4, params);
      if (added == NULL)
        {
          if (g_error_matches (error, PS_ERROR, PS_ERROR_DUPLICATE))
            fprintf (stderr,
                     _ ("parcelscreen-hubctl: %s/%s or this certificate is registered already.\n"),
                     office, counter);
          else
            return fail (error);
          return 1;
        }
      printf (_ ("Registered %s/%s (certificate SHA-256 %s).\n"), office, counter, fingerprint);
      return 0;
    }
  const char *params[] = { office, counter, opt_note };
  if (g_strcmp0 (what, "revoke") == 0)
    {
      g_autoptr (PGresult) done = ps_hub_db_exec (
          conn, &error,
          "UPDATE counters SET state = 'revoked', revoked = now () WHERE office = $1 AND counter = "
          "$2 AND state = 'active' RETURNING id",
          2, params);
      if (done == NULL)
        return fail (error);
      if (PQntuples (done) == 0)
        {
          fprintf (stderr, _ ("parcelscreen-hubctl: no active counter %s/%s.\n"), office, counter);
          return 1;
        }
      printf (_ ("Revoked %s/%s: its reports are refused from now on.\n"), office, counter);
      return 0;
    }
  if (g_strcmp0 (what, "ack") == 0)
    {
      if (opt_note == NULL || strlen (opt_note) < 3)
        return usage (_ ("counter ack needs --note saying what was checked"));
      g_autoptr (PGresult) done = ps_hub_db_exec (
          conn, &error,
          "UPDATE counter_flags SET acknowledged = now (), ack_note = $3 WHERE acknowledged IS "
          "NULL "
          "AND counter_id = (SELECT id FROM counters WHERE office = $1 AND counter = $2) "
          "RETURNING id",
          3, params);
      if (done == NULL)
        return fail (error);
      printf (_ ("Acknowledged %d flag(s) of %s/%s.\n"), PQntuples (done), office, counter);
      return 0;
    }
  return usage (_ ("counter: add, list, revoke or ack"));
}

static int
user_command (PGconn *conn, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *what = argc > 2 ? argv[2] : NULL;
  if (!ps_hub_db_check_version (conn, &error))
    return fail (error);
  if (argc < 4 || !valid_name (argv[3]))
    return usage (_ ("user add|disable|passwd LOGIN"));
  const char *login = argv[3];
  if (g_strcmp0 (what, "add") == 0 || g_strcmp0 (what, "passwd") == 0)
    {
      gboolean add = g_strcmp0 (what, "add") == 0;
      if (add && (opt_name == NULL || opt_role == NULL ||
                  (strcmp (opt_role, "officer") != 0 && strcmp (opt_role, "commander") != 0 &&
                   strcmp (opt_role, "admin") != 0)))
        return usage (_ ("user add needs --name and --role officer|commander|admin"));
      if (isatty (STDIN_FILENO))
        fprintf (stderr, _ ("Password (at least 10 characters): "));
      g_autofree char *password = read_secret ();
      if (password == NULL || g_utf8_strlen (password, -1) < 10)
        {
          fprintf (stderr, _ ("parcelscreen-hubctl: a password needs at least 10 characters.\n"));
          return 1;
        }
      g_autofree char *hash = ps_hub_password_hash (password, &error);
      sodium_memzero (password, strlen (password));
      if (hash == NULL)
        return fail (error);
      const char *params[] = { login,
                               hash,
                               opt_name,
                               opt_role,
                               opt_unit != NULL ? opt_unit : "",
                               opt_badge != NULL ? opt_badge : "" };
      g_autoptr (PGresult) done =
          add ? ps_hub_db_exec (conn, &error,
                                "INSERT INTO police_users (login, password_hash, name, role, unit, "
                                "badge) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                6, params)
              : ps_hub_db_exec (conn, &error,
                                "UPDATE police_users SET password_hash = $2, failures = 0, "
                                "locked_until = NULL WHERE login = $1 RETURNING id",
                                2, params);
      if (done == NULL)
        {
          if (g_error_matches (error, PS_ERROR, PS_ERROR_DUPLICATE))
            {
              fprintf (stderr, _ ("parcelscreen-hubctl: the login %s exists already.\n"), login);
              return 1;
            }
          return fail (error);
        }
      if (PQntuples (done) == 0)
        {
          fprintf (stderr, _ ("parcelscreen-hubctl: no user %s.\n"), login);
          return 1;
        }
      printf (add ? _ ("Added %s.\n") : _ ("Changed the password of %s.\n"), login);
      return 0;
    }
  if (g_strcmp0 (what, "disable") == 0)
    {
      const char *params[] = { login };
      g_autoptr (PGresult) done = ps_hub_db_exec (
          conn, &error,
          "WITH u AS (UPDATE police_users SET disabled = true WHERE login = $1 RETURNING id), "
          "s AS (DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM u)) SELECT id FROM u",
          1, params);
      if (done == NULL)
        return fail (error);
      if (PQntuples (done) == 0)
        {
          fprintf (stderr, _ ("parcelscreen-hubctl: no user %s.\n"), login);
          return 1;
        }
      printf (_ ("Disabled %s and ended its sessions.\n"), login);
      return 0;
    }
  return usage (_ ("user: add, disable or passwd"));
}

/* A watch list signed by the police (FILE and FILE.sig, as "parcelscreenctl
 * keys sign" writes them) sent as a "watchlist" instruction to one counter,
 * or to every active one. */
static int
watchlist_command (PGconn *conn, const PsHubConfig *config, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  if (argc < 4 || g_strcmp0 (argv[2], "send") != 0 || opt_as == NULL || config == NULL)
    return usage (_ ("watchlist send FILE [OFFICE COUNTER] --as LOGIN (with --config)"));
  gsize len = 0, signature_len = 0;
  g_autofree char *list = NULL, *signature = NULL;
  g_autofree char *signature_path = g_strconcat (argv[3], ".sig", NULL);
  if (!g_file_get_contents (argv[3], &list, &len, &error) ||
      !g_file_get_contents (signature_path, &signature, &signature_len, &error))
    return fail (error);
  g_strstrip (signature);
  if (!ps_hub_db_check_version (conn, &error))
    return fail (error);
  const char *params[] = { opt_as, argc > 5 ? argv[4] : NULL, argc > 5 ? argv[5] : NULL };
  g_autoptr (PGresult) targets = ps_hub_db_exec (
      conn, &error,
      "SELECT c.id, c.office || '/' || c.counter, u.id FROM counters c JOIN police_users u ON "
      "u.login = $1 AND NOT u.disabled WHERE c.state = 'active' AND ($2::text IS NULL OR "
      "(c.office = $2 AND c.counter = $3)) ORDER BY c.id",
      3, params);
  if (targets == NULL)
    return fail (error);
  if (PQntuples (targets) == 0)
    {
      fprintf (stderr, _ ("parcelscreen-hubctl: no such active counter, or no user %s.\n"), opt_as);
      return 1;
    }
  g_autoptr (GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (fields, "list", list);
  g_hash_table_insert (fields, "list_signature", signature);
  for (int i = 0; i < PQntuples (targets); i++)
    {
      g_autofree char *id =
          ps_hub_issue_instruction (config, conn, PQgetvalue (targets, i, 2),
                                    PQgetvalue (targets, i, 0), NULL, "watchlist", fields, &error);
      if (id == NULL)
        return fail (error);
      printf (_ ("Sent the watch list to %s (instruction %s).\n"), PQgetvalue (targets, i, 1), id);
    }
  return 0;
}

/* The police's signing key: made once, its public part given to every
 * counter ([relay] police-key). Needs no database. */
static int
keys_command (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *what = argc > 2 ? argv[2] : NULL;
  const char *path = argc > 3 ? argv[3] : NULL;
  if (path == NULL)
    return usage (_ ("keys generate|show FILE"));
  if (g_strcmp0 (what, "generate") == 0)
    {
      if (!ps_signing_key_generate (path, &error))
        return fail (error);
      printf (_ ("The police's signing key is in %s (readable by you only).\n"), path);
      return 0;
    }
  if (g_strcmp0 (what, "show") == 0)
    {
      g_autoptr (PsSigningKey) key = ps_signing_key_load (path, &error);
      if (key == NULL)
        return fail (error);
      printf ("%s\n", ps_signing_key_public (key));
      return 0;
    }
  return usage (_ ("keys generate|show FILE"));
}

int
main (int argc, char **argv)
{
  ps_i18n_init (NULL);

  g_autoptr (GOptionContext) context = g_option_context_new (_ ("COMMAND …"));
  g_option_context_set_summary (
      context,
      _ ("Commands:\n"
         "  db migrate | status | rebuild-projections\n"
         "  counter add OFFICE COUNTER --key KEY --cert CERT.pem\n"
         "  counter list [--json]\n"
         "  counter revoke OFFICE COUNTER\n"
         "  counter ack OFFICE COUNTER --note TEXT\n"
         "  user add LOGIN --name NAME --role officer|commander|admin  (password on stdin)\n"
         "  user passwd LOGIN  (password on stdin)\n"
         "  user disable LOGIN"));
  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (error->message);
  if (argc < 2)
    return usage (_ ("which command? (--help lists them)"));

  if (strcmp (argv[1], "keys") == 0)
    return keys_command (argc, argv);
  g_autofree char *conninfo = NULL;
  g_autoptr (PsHubConfig) config = NULL;
  if (opt_database != NULL)
    conninfo = g_strdup (opt_database);
  if (opt_config != NULL || opt_database == NULL)
    {
      config = ps_hub_config_load (
          opt_config != NULL ? opt_config : "/etc/parcelscreen-hub/hub.conf", &error);
      if (config == NULL)
        return fail (error);
      if (conninfo == NULL)
        conninfo = g_strdup (config->conninfo);
    }
  g_autoptr (PGconn) conn = ps_hub_db_connect (conninfo, &error);
  if (conn == NULL)
    return fail (error);
  if (strcmp (argv[1], "db") == 0)
    return db_command (conn, argc > 2 ? argv[2] : NULL);
  if (strcmp (argv[1], "counter") == 0)
    return counter_command (conn, argc, argv);
  if (strcmp (argv[1], "user") == 0)
    return user_command (conn, argc, argv);
  if (strcmp (argv[1], "watchlist") == 0)
    return watchlist_command (conn, config, argc, argv);
  return usage (_ ("which command? (--help lists them)"));
}
