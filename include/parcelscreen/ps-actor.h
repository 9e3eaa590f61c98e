/* ps-actor.h — who does something: a user with a role, or the system. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_ROLE_CLERK,
  PS_ROLE_SUPERVISOR,
  PS_ROLE_ADMIN,
  PS_ROLE_SYSTEM,
} PsRole;

/**
 * PsActor:
 * @user_id: the user's id in the store (0 for the system)
 * @login: the user's login name
 * @role: the role the user acts in
 */
typedef struct
{
  gint64 user_id;
  char *login;
  PsRole role;
} PsActor;

PsActor *ps_actor_new (gint64 user_id, const char *login, PsRole role);
PsActor *ps_actor_copy (const PsActor *actor);
void ps_actor_free (PsActor *actor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsActor, ps_actor_free)

/** Returns: the stable identifier of @role ("supervisor"). */
const char *ps_role_to_id (PsRole role);
gboolean ps_role_from_id (const char *id, PsRole *out);
/** Returns: the translated name of @role. */
const char *ps_role_label (PsRole role);

G_END_DECLS
