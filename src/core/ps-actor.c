/* ps-actor.c — users acting in a role, and the system. */
#include "ps-core-private.h"

#include <string.h>

static const char *const role_labels[] = {
  [PS_ROLE_CLERK] = N_ ("Clerk"),
  [PS_ROLE_SUPERVISOR] = N_ ("Supervisor"),
  [PS_ROLE_ADMIN] = N_ ("Administrator"),
  [PS_ROLE_SYSTEM] = N_ ("System"),
};

PsActor *
ps_actor_new (gint64 user_id, const char *login, PsRole role)
{
  g_return_val_if_fail (login != NULL, NULL);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_labels), NULL);

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
  return ps_enum_to_id (PS_TYPE_ROLE, role);
}

gboolean
ps_role_from_id (const char *id, PsRole *out)
{
  g_return_val_if_fail (id != NULL, FALSE);
  int value = ps_enum_from_id (PS_TYPE_ROLE, id);
  if (value >= 0 && out != NULL)
    *out = (PsRole) value;
  return value >= 0;
}

const char *
ps_role_label (PsRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_labels), NULL);
  return _ (role_labels[role]);
}
