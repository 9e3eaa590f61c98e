/* ps-actor.c — users acting in a role, and the system. */
#include "ps-core-private.h"

#include <string.h>

static const struct
{
  const char *id;
  const char *label;
} roles[] = {
  [PS_ROLE_CLERK] = { "clerk", N_ ("Clerk") },
  [PS_ROLE_SUPERVISOR] = { "supervisor", N_ ("Supervisor") },
  [PS_ROLE_ADMIN] = { "admin", N_ ("Administrator") },
  [PS_ROLE_SYSTEM] = { "system", N_ ("System") },
};

PsActor *
ps_actor_new (gint64 user_id, const char *login, PsRole role)
{
  g_return_val_if_fail (login != NULL, NULL);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (roles), NULL);

  PsActor *actor = g_new0 (PsActor, 1);
  actor->user_id = user_id;
  actor->login = g_strdup (login);
  actor->role = role;
  return actor;
}

PsActor *
ps_actor_copy (const PsActor *actor)
{
  g_return_val_if_fail (actor != NULL, NULL);
  return ps_actor_new (actor->user_id, actor->login, actor->role);
}

void
ps_actor_free (PsActor *actor)
{
  if (actor == NULL)
    return;
  g_free (actor->login);
  g_free (actor);
}

const char *
ps_role_to_id (PsRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (roles), NULL);
  return roles[role].id;
}

gboolean
ps_role_from_id (const char *id, PsRole *out)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (strcmp (roles[i].id, id) == 0)
      {
        if (out != NULL)
          *out = (PsRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ps_role_label (PsRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (roles), NULL);
  return _ (roles[role].label);
}
