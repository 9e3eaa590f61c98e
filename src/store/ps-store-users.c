/* ps-store-users.c — users, PINs (Argon2id via libsodium), lock-out, shifts.
 *
 * Roles are enforced here: only an administrator manages users (the first
 * administrator of a new counter excepted). A stranger cannot probe logins:
 * an unknown login, a disabled one and a wrong PIN get the same answer after
 * the same work (one Argon2 check), and unknown logins lock out as known
 * ones do. A try is counted before the slow check, in its own transaction,
 * so that tries made in parallel cannot pass the limit.
 *
 * How PINs are keyed and hashed is in ps-store-pins.c.
 */
#include "ps-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGIN_MAX_CHARS 32
#define NAME_MAX_CHARS  100

void
ps_user_info_free (PsUserInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->login);
  g_free (info->full_name);
  g_free (info);
}

/* G_DEFINE_BOXED_TYPE, written out: its type check does not pass -Wpedantic. */
GType
ps_session_get_type (void)
{
  static gsize type = 0;
  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_boxed_type_register_static (g_intern_static_string ("PsSession"),
                                                            (GBoxedCopyFunc) ps_session_copy,
                                                            (GBoxedFreeFunc) ps_session_free));
  return type;
}

PsSession *
ps_session_copy (const PsSession *session)
{
  if (session == NULL)
    return NULL;
  PsSession *copy = g_new0 (PsSession, 1);
  copy->actor = ps_actor_copy (session->actor);
  copy->shift_id = session->shift_id;
  copy->full_name = g_strdup (session->full_name);
  return copy;
}

void
ps_session_free (PsSession *session)
{
  if (session == NULL)
    return;
  ps_actor_free (session->actor);
  g_free (session->full_name);
  g_free (session);
}

static gboolean
require_admin (const PsActor *actor, GError **error)
{
  if (actor != NULL && actor->role == PS_ROLE_ADMIN)
    return TRUE;
  g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION, _ ("Only an administrator manages users."));
  return FALSE;
}

static gboolean
check_login (const char *login, GError **error)
{
  gsize len = login != NULL ? strlen (login) : 0;
  gboolean ok = len >= 2 && len <= LOGIN_MAX_CHARS;

  for (gsize i = 0; ok && i < len; i++)
    ok = g_ascii_islower (login[i]) || g_ascii_isdigit (login[i]) || strchr ("._-", login[i]);
  if (!ok)
    g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                 _ ("A login is 2 to 32 lower-case letters, digits, ‘.’, ‘_’ or ‘-’."));
  return ok;
}

gint64
ps_store_count_users (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, -1);

  sqlite3_stmt *statement = ps_store_prepare (store, "SELECT count(*) FROM users", error);
  if (statement == NULL)
    return -1;
  int rc = sqlite3_step (statement);
  gint64 count = rc == SQLITE_ROW ? sqlite3_column_int64 (statement, 0) : -1;
  sqlite3_reset (statement);
  if (rc != SQLITE_ROW)
    ps_store_fail (store, rc, error);
  return count;
}

typedef struct
{
  gint64 id;
  char *full_name;
  PsRole role;
  char *pin_hash;
  gboolean disabled;
  guint failed_attempts;
  gint64 locked_until_us;
} PsUserRow;

static void
user_row_clear (PsUserRow *row)
{
  g_free (row->full_name);
  if (row->pin_hash != NULL)
    sodium_memzero (row->pin_hash, strlen (row->pin_hash));
  g_free (row->pin_hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsUserRow, user_row_clear)

/* Returns 1 if found, 0 if not, -1 on error. */
static int
load_user (PsStore *store, const char *login, PsUserRow *row, GError **error)
{
  sqlite3_stmt *statement = ps_store_prepare (
      store,
      "SELECT id, full_name, role, pin_hash, disabled, failed_attempts, locked_until_us "
      "FROM users WHERE login = ?",
      error);
  if (statement == NULL)
    return -1;
  ps_store_bind_text (statement, 1, login);
  int rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    {
      row->id = sqlite3_column_int64 (statement, 0);
      row->full_name = ps_store_column_dup (statement, 1);
      ps_role_from_id (ps_store_column_text (statement, 2), &row->role);
      row->pin_hash = ps_store_column_dup (statement, 3);
      row->disabled = sqlite3_column_int (statement, 4) != 0;
      row->failed_attempts = (guint) sqlite3_column_int (statement, 5);
      row->locked_until_us = sqlite3_column_int64 (statement, 6);
    }
  sqlite3_reset (statement);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  ps_store_fail (store, rc, error);
  return -1;
}

static gboolean
require_user (PsStore *store, const char *login, PsUserRow *row, GError **error)
{
  int found = load_user (store, login, row, error);
  if (found == 0)
    g_set_error (error, PS_ERROR, PS_ERROR_NOT_FOUND, _ ("There is no user ‘%s’."), login);
  return found == 1;
}

static char *
user_entity (gint64 id)
{
  return g_strdup_printf ("user:%" G_GINT64_FORMAT, id);
}

static gint64
add_user_in_transaction (PsStore *store, const PsActor *actor, const char *login, const char *name,
                         PsRole role, const char *hash, gint64 now_us, GError **error)
{
  /* The first user of a new counter is its administrator, created at first
   * run; after that only an administrator adds users. */
  gint64 n_users = ps_store_count_users (store, error);
  if (n_users < 0)
    return 0;
  if (n_users == 0 && actor == NULL && role != PS_ROLE_ADMIN)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("The first user of a counter must be an administrator."));
      return 0;
    }
  if ((n_users > 0 || actor != NULL) && !require_admin (actor, error))
    return 0;

  sqlite3_stmt *insert = ps_store_prepare (
      store,
      "INSERT INTO users (login, full_name, role, pin_hash, created_us) VALUES (?, ?, ?, ?, ?)",
      error);
  if (insert == NULL)
    return 0;
  ps_store_bind_text (insert, 1, login);
  ps_store_bind_text (insert, 2, name);
  ps_store_bind_text (insert, 3, ps_role_to_id (role));
  ps_store_bind_text (insert, 4, hash);
  sqlite3_bind_int64 (insert, 5, now_us);
  int rc = sqlite3_step (insert);
  sqlite3_reset (insert);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_DUPLICATE, _ ("The login ‘%s’ is taken."), login);
      return 0;
    }
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return 0;
    }
  gint64 id = sqlite3_last_insert_rowid (store->db);

  ps_store_cover (store, "users", id);
  g_autofree char *entity = user_entity (id);
  g_autofree char *payload =
      ps_json_object ("login", 's', login, "role", 's', ps_role_to_id (role), NULL);
  if (!ps_store_audit_append_in_transaction (store, actor, "user-add", entity, payload, now_us,
                                             error))
    return 0;
  return id;
}

gint64
ps_store_add_user (PsStore *store, const PsActor *actor, const char *login, const char *full_name,
                   PsRole role, const char *pin, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL, 0);

  if (!check_login (login, error) || !ps_check_pin (pin, error))
    return 0;
  g_autofree char *name =
      ps_text_check_field (full_name, _ ("The full name"), TRUE, NAME_MAX_CHARS, error);
  /* One line: a name with a line break would fake a row of "user list". */
  if (name != NULL && strpbrk (name, "\n\t") != NULL)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("The full name is one line, without line breaks or tabs."));
      g_clear_pointer (&name, g_free);
    }
  if (name == NULL)
    return 0;
  if (role == PS_ROLE_SYSTEM)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("A user is a clerk, a supervisor or an administrator."));
      return 0;
    }
  g_autofree char *hash = ps_store_hash_pin (store, pin, error);
  if (hash == NULL)
    return 0;

  if (!ps_store_begin (store, error))
    return 0;
  gint64 id = add_user_in_transaction (store, actor, login, name, role, hash, now_us, error);
  if (id == 0 || !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return 0;
    }
  return id;
}

/* Runs one UPDATE of a user row and audits it, in one transaction. */
static gboolean
update_user (PsStore *store, const PsActor *actor, gint64 user_id, const char *sql,
             const char *text_value, gint64 int_value, const char *action, const char *payload,
             gint64 now_us, GError **error)
{
  if (!ps_store_begin (store, error))
    return FALSE;

  sqlite3_stmt *update = ps_store_prepare (store, sql, error);
  gboolean ok = update != NULL;
  if (ok)
    {
      int index = 1;
      if (text_value != NULL)
        ps_store_bind_text (update, index++, text_value);
      else
        sqlite3_bind_int64 (update, index++, int_value);
      sqlite3_bind_int64 (update, index, user_id);
      ok = ps_store_step_done (store, update, error);
    }
  g_autofree char *entity = user_entity (user_id);
  ps_store_cover (store, "users", user_id);
  ok =
      ok &&
      ps_store_audit_append_in_transaction (store, actor, action, entity, payload, now_us, error) &&
      ps_store_commit (store, error);
  if (!ok)
    ps_store_rollback (store);
  return ok;
}

gboolean
ps_store_set_pin (PsStore *store, const PsActor *actor, const char *login, const char *pin,
                  gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && actor != NULL, FALSE);

  g_auto (PsUserRow) row = { 0 };
  if (!require_user (store, login, &row, error))
    return FALSE;
  if (actor->role != PS_ROLE_ADMIN && actor->user_id != row.id)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION,
                   _ ("Only an administrator changes another user's PIN."));
      return FALSE;
    }
  if (!ps_check_pin (pin, error))
    return FALSE;
  g_autofree char *hash = ps_store_hash_pin (store, pin, error);
  if (hash == NULL)
    return FALSE;
  return update_user (store, actor, row.id,
                      "UPDATE users SET pin_hash = ?, failed_attempts = 0, locked_until_us = 0 "
                      "WHERE id = ?",
                      hash, 0, "user-pin", "{}", now_us, error);
}

gboolean
ps_store_set_user_disabled (PsStore *store, const PsActor *actor, const char *login,
                            gboolean disabled, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  g_auto (PsUserRow) row = { 0 };
  if (!require_admin (actor, error) || !require_user (store, login, &row, error))
    return FALSE;
  if (disabled && row.id == actor->user_id)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("You cannot disable yourself; another administrator can."));
      return FALSE;
    }
  g_autofree char *payload = ps_json_object ("disabled", 'b', disabled, NULL);
  return update_user (store, actor, row.id, "UPDATE users SET disabled = ? WHERE id = ?", NULL,
                      disabled ? 1 : 0, disabled ? "user-disable" : "user-enable", payload, now_us,
                      error);
}

gboolean
ps_store_unlock_user (PsStore *store, const PsActor *actor, const char *login, gint64 now_us,
                      GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  g_auto (PsUserRow) row = { 0 };
  if (!require_admin (actor, error) || !require_user (store, login, &row, error))
    return FALSE;
  return update_user (store, actor, row.id,
                      "UPDATE users SET locked_until_us = ?, failed_attempts = 0 WHERE id = ?",
                      NULL, 0, "user-unlock", "{}", now_us, error);
}

GPtrArray *
ps_store_list_users (PsStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  sqlite3_stmt *statement = ps_store_prepare (
      store,
      "SELECT id, login, full_name, role, disabled, failed_attempts, locked_until_us, created_us "
      "FROM users ORDER BY login",
      error);
  if (statement == NULL)
    return NULL;

  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_user_info_free);
  int rc;
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PsUserInfo *info = g_new0 (PsUserInfo, 1);
      info->id = sqlite3_column_int64 (statement, 0);
      info->login = ps_store_column_dup (statement, 1);
      info->full_name = ps_store_column_dup (statement, 2);
      ps_role_from_id (ps_store_column_text (statement, 3), &info->role);
      info->disabled = sqlite3_column_int (statement, 4) != 0;
      info->failed_attempts = (guint) sqlite3_column_int (statement, 5);
      info->locked_until_us = sqlite3_column_int64 (statement, 6);
      info->created_us = sqlite3_column_int64 (statement, 7);
      g_ptr_array_add (users, info);
    }
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      ps_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static void
set_locked_error (gint64 locked_until_us, gint64 now_us, GError **error)
{
  gint64 minutes = (locked_until_us - now_us + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC);
  g_set_error (error, PS_ERROR, PS_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs: this user is locked for %d more minute.",
                            "Too many wrong PINs: this user is locked for %d more minutes.",
                            (gulong) minutes),
               (int) minutes);
}

/* The failure count and lock of @login: the user's row, or for a login that
 * does not exist its row in login_attempts. */
static gboolean
load_attempts (PsStore *store, const char *login, guint *failures, gint64 *locked_until_us,
               GError **error)
{
  sqlite3_stmt *select = ps_store_prepare (
      store, "SELECT failed_attempts, locked_until_us FROM login_attempts WHERE login = ?", error);
  if (select == NULL)
    return FALSE;
  ps_store_bind_text (select, 1, login);
  int rc = sqlite3_step (select);
  *failures = rc == SQLITE_ROW ? (guint) sqlite3_column_int (select, 0) : 0;
  *locked_until_us = rc == SQLITE_ROW ? sqlite3_column_int64 (select, 1) : 0;
  sqlite3_reset (select);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || ps_store_fail (store, rc, error);
}

static gboolean
save_attempts (PsStore *store, gboolean found, gint64 user_id, const char *login, guint failures,
               gint64 locked_until_us, GError **error)
{
  sqlite3_stmt *update = ps_store_prepare (
      store,
      found ? "UPDATE users SET failed_attempts = ?1, locked_until_us = ?2 WHERE id = ?3"
            : "INSERT INTO login_attempts (login, failed_attempts, locked_until_us) "
              "VALUES (?4, ?1, ?2) ON CONFLICT (login) DO UPDATE SET "
              "failed_attempts = ?1, locked_until_us = ?2",
      error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int (update, 1, (int) failures);
  sqlite3_bind_int64 (update, 2, locked_until_us);
  if (found)
    sqlite3_bind_int64 (update, 3, user_id);
  else
    ps_store_bind_text (update, 4, login);
  return ps_store_step_done (store, update, error);
}

/* Checks login and PIN; counts failures; audits. On success returns the user
 * (counters reset) inside an open transaction that the caller commits.
 *
 * 1. A short write transaction takes the try: refused at once if the login
 *    is locked or as many tries as the policy allows are already under way;
 *    otherwise the failure count goes up before the check.
 * 2. One Argon2 check, whatever the login (a dummy one when it is unknown,
 *    locked or out of tries), outside any transaction.
 * 3. The outcome: a good PIN resets the count; the try that reaches the limit
 *    locks the login. Unknown, disabled and wrong get the same answer. */
static gboolean
authenticate (PsStore *store, const char *login, const char *pin, const PsLockoutPolicy *policy,
              gint64 now_us, PsUserRow *row, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *entity = NULL;
  login = login != NULL ? login : "";
  if (!ps_store_ensure_pin_key (store, error) || !ps_store_begin (store, error))
    return FALSE;
  int found = load_user (store, login, row, error);
  guint failures = 0;
  gint64 locked_until = 0;
  if (found == 1)
    {
      failures = row->failed_attempts;
      locked_until = row->locked_until_us;
    }
  else if (found < 0 || !load_attempts (store, login, &failures, &locked_until, error))
    goto failed;
  gboolean took = locked_until <= now_us && failures < policy->max_failures;
  if (took && !save_attempts (store, found == 1, row->id, login, failures + 1, locked_until, error))
    goto failed;
  if (!ps_store_commit (store, error))
    return FALSE;

  gboolean pin_ok = FALSE;
  if (took && found == 1)
    pin_ok = ps_store_verify_pin (store, row->pin_hash, pin);
  else
    ps_store_verify_dummy (store, pin);

  if (!ps_store_begin (store, error))
    return FALSE;
  entity = found == 1 ? user_entity (row->id) : g_strdup ("user:unknown");
  if (!took)
    {
      set_locked_error (locked_until > now_us ? locked_until : now_us + policy->lockout_us, now_us,
                        &local_error);
      g_autofree char *payload = ps_json_object ("locked", 'b', TRUE, NULL);
      if (!ps_store_audit_append_in_transaction (store, NULL, "login-refused", entity, payload,
                                                 now_us, error))
        goto failed;
    }
  else if (!pin_ok)
    {
      gboolean lock = failures + 1 >= policy->max_failures;
      if (lock)
        {
          set_locked_error (now_us + policy->lockout_us, now_us, &local_error);
          if (!save_attempts (store, found == 1, row->id, login, 0, now_us + policy->lockout_us,
                              error))
            goto failed;
        }
      else
        g_set_error (&local_error, PS_ERROR, PS_ERROR_AUTH, _ ("Unknown user or wrong PIN."));
      g_autofree char *payload = ps_json_object ("locked", 'b', lock, NULL);
      if (!ps_store_audit_append_in_transaction (store, NULL, "login-failed", entity, payload,
                                                 now_us, error))
        goto failed;
    }
  else
    {
      if (!save_attempts (store, TRUE, row->id, login, 0, 0, error))
        goto failed;
      /* A PIN from before the PIN key is keyed now that it is known good. */
      if (!ps_store_pin_hash_is_keyed (row->pin_hash))
        {
          g_autofree char *keyed = ps_store_hash_pin (store, pin, error);
          sqlite3_stmt *rehash =
              keyed != NULL
                  ? ps_store_prepare (store, "UPDATE users SET pin_hash = ? WHERE id = ?", error)
                  : NULL;
          if (rehash == NULL)
            goto failed;
          ps_store_bind_text (rehash, 1, keyed);
          sqlite3_bind_int64 (rehash, 2, row->id);
          ps_store_cover (store, "users", row->id);
          if (!ps_store_step_done (store, rehash, error) ||
              !ps_store_audit_append_in_transaction (store, NULL, "pin-keyed", entity, "{}", now_us,
                                                     error))
            goto failed;
        }
      if (!row->disabled)
        return TRUE;
      /* Only someone who knows the PIN learns that the login is disabled. */
      g_set_error (&local_error, PS_ERROR, PS_ERROR_LOCKED,
                   _ ("This user is disabled; ask the administrator."));
      g_autofree char *payload = ps_json_object ("disabled", 'b', TRUE, NULL);
      if (!ps_store_audit_append_in_transaction (store, NULL, "login-refused", entity, payload,
                                                 now_us, error))
        goto failed;
    }

  /* Refused: keep the failure count and the audit entry, report the refusal. */
  if (!ps_store_commit (store, error))
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;

failed:
  ps_store_rollback (store);
  return FALSE;
}

/* Opens a shift for @actor and audits the login, inside the transaction. */
static gint64
open_shift (PsStore *store, const PsActor *actor, gint64 now_us, GError **error)
{
  sqlite3_stmt *shift =
      ps_store_prepare (store, "INSERT INTO shifts (user_id, started_us) VALUES (?, ?)", error);
  if (shift == NULL)
    return 0;
  sqlite3_bind_int64 (shift, 1, actor->user_id);
  sqlite3_bind_int64 (shift, 2, now_us);
  if (!ps_store_step_done (store, shift, error))
    return 0;
  gint64 shift_id = sqlite3_last_insert_rowid (store->db);

  g_autofree char *entity = user_entity (actor->user_id);
  g_autofree char *payload = ps_json_object ("shift", 'i', shift_id, NULL);
  if (!ps_store_audit_append_in_transaction (store, actor, "login", entity, payload, now_us, error))
    return 0;
  return shift_id;
}

PsSession *
ps_store_login (PsStore *store, const char *login, const char *pin, const PsLockoutPolicy *policy,
                gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && policy != NULL, NULL);

  g_auto (PsUserRow) row = { 0 };
  if (!authenticate (store, login, pin, policy, now_us, &row, error))
    return NULL;

  g_autoptr (PsActor) actor = ps_actor_new (row.id, login, row.role);
  gint64 shift_id = open_shift (store, actor, now_us, error);
  if (shift_id == 0 || !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return NULL;
    }

  PsSession *session = g_new0 (PsSession, 1);
  session->actor = g_steal_pointer (&actor);
  session->shift_id = shift_id;
  session->full_name = g_strdup (row.full_name);
  return session;
}

/* Authenticates and audits an approval or a command-line action of @login,
 * requiring @role unless it is PS_ROLE_SYSTEM (any role). */
static PsActor *
authenticate_as (PsStore *store, const char *login, const char *pin, PsRole role,
                 const PsLockoutPolicy *policy, gint64 now_us, GError **error)
{
  g_auto (PsUserRow) row = { 0 };
  if (!authenticate (store, login, pin, policy, now_us, &row, error))
    return NULL;

  if (role != PS_ROLE_SYSTEM && row.role != role)
    {
      ps_store_rollback (store);
      g_set_error (error, PS_ERROR, PS_ERROR_PERMISSION, _ ("‘%s’ is not a %s."), login,
                   ps_role_label (role));
      return NULL;
    }

  g_autoptr (PsActor) actor = ps_actor_new (row.id, login, row.role);
  g_autofree char *entity = user_entity (row.id);
  g_autofree char *payload = ps_json_object ("role", 's', ps_role_to_id (row.role), NULL);
  if (!ps_store_audit_append_in_transaction (store, actor, "authenticate", entity, payload, now_us,
                                             error) ||
      !ps_store_commit (store, error))
    {
      ps_store_rollback (store);
      return NULL;
    }
  return g_steal_pointer (&actor);
}

PsActor *
ps_store_authenticate (PsStore *store, const char *login, const char *pin,
                       const PsLockoutPolicy *policy, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && policy != NULL, NULL);
  return authenticate_as (store, login, pin, PS_ROLE_SYSTEM, policy, now_us, error);
}

PsActor *
ps_store_authorize (PsStore *store, const char *login, const char *pin, PsRole role,
                    const PsLockoutPolicy *policy, gint64 now_us, GError **error)
{
  g_return_val_if_fail (store != NULL && policy != NULL, NULL);
  g_return_val_if_fail (role != PS_ROLE_SYSTEM, NULL);
  return authenticate_as (store, login, pin, role, policy, now_us, error);
}

gboolean
ps_store_logout (PsStore *store, const PsSession *session, const char *reason, gint64 now_us,
                 GError **error)
{
  g_return_val_if_fail (store != NULL && session != NULL, FALSE);

  if (!ps_store_begin (store, error))
    return FALSE;
  sqlite3_stmt *update = ps_store_prepare (
      store, "UPDATE shifts SET ended_us = ?, end_reason = ? WHERE id = ? AND ended_us IS NULL",
      error);
  gboolean ok = update != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (update, 1, now_us);
      ps_store_bind_text (update, 2, reason);
      sqlite3_bind_int64 (update, 3, session->shift_id);
      ok = ps_store_step_done (store, update, error);
    }
  g_autofree char *entity = user_entity (session->actor->user_id);
  g_autofree char *payload =
      ps_json_object ("shift", 'i', session->shift_id, "reason", 's', reason, NULL);
  ok = ok &&
       ps_store_audit_append_in_transaction (store, session->actor, "logout", entity, payload,
                                             now_us, error) &&
       ps_store_commit (store, error);
  if (!ok)
    ps_store_rollback (store);
  return ok;
}
