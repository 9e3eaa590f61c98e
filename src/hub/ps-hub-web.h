/* ps-hub-web.h — what the police's pages share (ps-hub-web.c): the request,
 * its language, the page frame, the helpers. Private to the hub. */
#pragma once

#include <json-glib/json-glib.h>

#include "ps-hub.h"

G_BEGIN_DECLS

#define PAGE_SIZE 50
#define LOCAL_TZ  "Asia/Ho_Chi_Minh"

typedef struct
{
  PsHubExchange *exchange;
  const PsHubConfig *config;
  PGconn *conn;
  gboolean english;
  /* The logged-in user, when there is one. */
  char *user_id;
  char *user_name;
  char *role;
  char *csrf;
  GHashTable *form; /* a POST's fields */
} Request;

/* Vietnamese first. */
static inline const char *
T (const Request *request, const char *vietnamese, const char *english)
{
  return request->english ? english : vietnamese;
}

char *web_esc (const char *text);
/** Appends @text escaped for HTML. */
void web_put (GString *out, const char *text);
char *web_cookie (PsHubExchange *exchange, const char *name);
void web_redirect (Request *request, const char *location);
/** The page frame (page.html) around @body, with the navigation. */
void web_page (Request *request, guint status, const char *title, const char *body);
void web_error_page (Request *request, guint status, const char *message);
void web_unavailable (Request *request, const GError *error);
/** Who looked at what: written before the page is shown. */
gboolean web_log_access (Request *request, const char *action, const char *counter_id,
                         const char *report_id, GError **error);
/** A UTC time as PostgreSQL prints it, in Vietnam's time. */
char *web_local_time (const char *utc);
gboolean web_valid_day (const char *day);
char *web_today (void);
const char *web_event_text (const Request *request, const char *kind);
const char *web_status_text (const Request *request, const char *status);
gboolean web_csrf_ok (Request *request, const char *expected);
/** A query parameter, NULL if empty or over 64 bytes. */
const char *web_field (Request *request, const char *name);

/** The report a page names (?counter=&id=, both numbers); otherwise answers
 * 404 itself. */
gboolean web_report_key (Request *request, const char **counter_id, const char **report_id);

void web_reports_page (Request *request);
void web_report_page (Request *request);
void web_counters_page (Request *request);
void web_summary_page (Request *request);

/* The police's instructions (ps-hub-web-answers.c). */
/** The report page's part: its instructions and the form to issue one. */
void web_report_instructions (Request *request, GString *body, const char *counter_id,
                              const char *report_id);
/** POST /instruct: issues one (commander for seize, release, close, cancel). */
void web_instruct (Request *request);
/** GET /instructions: every open one, past its deadline first. */
void web_instructions_page (Request *request);

G_END_DECLS
