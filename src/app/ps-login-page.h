/* ps-login-page.h — logging in by user and PIN, and unlocking a locked screen. */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"

G_BEGIN_DECLS

#define PS_TYPE_LOGIN_PAGE (ps_login_page_get_type ())
G_DECLARE_FINAL_TYPE (PsLoginPage, ps_login_page, PS, LOGIN_PAGE, GtkBox)

/* Signals: "logged-in" (PsSession *, transfer none), "unlocked" (),
 * "logout-requested" (). */
PsLoginPage *ps_login_page_new (PsApplication *application);

/* Locked mode for @session's user (only their PIN unlocks), or the normal
 * login with %NULL. */
void ps_login_page_set_locked (PsLoginPage *self, const PsSession *session);

G_END_DECLS
