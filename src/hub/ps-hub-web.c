/* ps-hub-web.c — the police's web view: server-rendered HTML, no script.
 *
 * Secure by default: a session is a random token in a Secure, HttpOnly,
 * SameSite=Strict web_cookie (only its SHA-256 is stored); every form carries a
 * CSRF token (the session's; before login a double-submit cookie); every
 * answer carries a strict Content-Security-Policy; every query is
 * parameterised; every view of a report and every search by a sender's ID
 * number is written to access_log; nothing personal is logged.
 *
 * Vietnamese first: ?lang=en switches to English (and a cookie keeps it).
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "parcelscreen/ps-tracking.h"
#include "ps-hub-web.h"

char *
web_esc (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/* Appends @text escaped for HTML. */
void
web_put (GString *out, const char *text)
{
  g_autofree char *escaped = web_esc (text);
  g_string_append (out, escaped);
}

char *
web_cookie (PsHubExchange *exchange, const char *name)
{
  const char *header = ps_hub_exchange_header (exchange, "Cookie");
  if (header == NULL)
    return NULL;
  g_auto (GStrv) parts = g_strsplit (header, ";", -1);
  for (char **part = parts; *part != NULL; part++)
    {
      char *item = g_strstrip (*part);
      gsize len = strlen (name);
      if (strncmp (item, name, len) == 0 && item[len] == '=')
        return g_strdup (item + len + 1);
    }
  return NULL;
}

static void
security_headers (PsHubExchange *exchange)
{
  ps_hub_exchange_add_header (exchange, "Content-Security-Policy",
                              "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                              "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  ps_hub_exchange_add_header (exchange, "X-Content-Type-Options", "nosniff");
  ps_hub_exchange_add_header (exchange, "X-Frame-Options", "DENY");
  ps_hub_exchange_add_header (exchange, "Referrer-Policy", "no-referrer");
  ps_hub_exchange_add_header (exchange, "Cache-Control", "no-store");
  ps_hub_exchange_add_header (exchange, "Strict-Transport-Security", "max-age=31536000");
}

void
web_redirect (Request *request, const char *location)
{
  ps_hub_exchange_answer (request->exchange, SOUP_STATUS_SEE_OTHER, "text/plain", "");
  ps_hub_exchange_add_header (request->exchange, "Location", location);
}

static char *
template_text (void)
{
  g_autoptr (GBytes) bytes = g_resources_lookup_data ("/vn/parcelscreen/hub/page.html",
                                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return g_strdup ("<!DOCTYPE html><title>{{title}}</title><h1>{{title}}</h1>{{nav}}{{body}}");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
replace (GString *text, const char *placeholder, const char *value)
{
  g_string_replace (text, placeholder, value, 1);
}

void
web_page (Request *request, guint status, const char *title, const char *body)
{
  g_autoptr (GString) nav = g_string_new (NULL);
  if (request->user_id != NULL)
    {
      g_string_append_printf (nav, "<a href=\"/reports\">%s</a>",
                              T (request, "Báo cáo", "Reports"));
      g_string_append_printf (nav, "<a href=\"/summary\">%s</a>",
                              T (request, "Tổng hợp ngày", "Day summary"));
      g_string_append_printf (nav, "<a href=\"/counters\">%s</a>", T (request, "Quầy", "Counters"));
      g_string_append_printf (nav, "<a href=\"/instructions\">%s</a>",
                              T (request, "Chỉ thị", "Instructions"));
      g_string_append (nav, "<span class=\"muted\">");
      web_put (nav, request->user_name);
      g_string_append (nav, "</span> ");
      g_string_append (nav, "<form method=\"post\" action=\"/logout\">");
      g_string_append_printf (nav, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                              request->csrf);
      g_string_append_printf (nav, "<button type=\"submit\">%s</button></form>",
                              T (request, "Đăng xuất", "Log out"));
    }
  g_string_append_printf (nav, "<a href=\"?lang=%s\">%s</a>", request->english ? "vi" : "en",
                          request->english ? "Tiếng Việt" : "English");
  g_autofree char *text = template_text ();
  g_autoptr (GString) html = g_string_new (text);
  g_autofree char *escaped_title = web_esc (title);
  replace (html, "{{lang}}", request->english ? "en" : "vi");
  replace (html, "{{title}}", escaped_title);
  replace (html, "{{title}}", escaped_title);
  replace (html, "{{hub}}", T (request, "Công an tỉnh", "Provincial police"));
  replace (html, "{{nav}}", nav->str);
  replace (html, "{{body}}", body);
  ps_hub_exchange_answer (request->exchange, status, "text/html; charset=utf-8", html->str);
}

void
web_error_page (Request *request, guint status, const char *message)
{
  g_autoptr (GString) body = g_string_new ("<p class=\"error\">");
  web_put (body, message);
  g_string_append (body, "</p>");
  web_page (request, status, T (request, "Lỗi", "Error"), body->str);
}

void
web_unavailable (Request *request, const GError *error)
{
  g_message ("web: database: %s", error->message);
  web_error_page (request, SOUP_STATUS_SERVICE_UNAVAILABLE,
                  T (request,
                     "Cơ sở dữ liệu của trung tâm tạm thời không truy cập được. Hãy thử lại.",
                     "The hub's database cannot be reached just now. Please try again."));
  ps_hub_exchange_add_header (request->exchange, "Retry-After", "5");
}

/* Who looked at what: written before the page is shown. */
gboolean
web_log_access (Request *request, const char *action, const char *counter_id, const char *report_id,
                GError **error)
{
  const char *params[] = { request->user_id, action, counter_id, report_id };
  return ps_hub_db_run (request->conn, error,
                        "INSERT INTO access_log (user_id, action, counter_id, report_id) "
                        "VALUES ($1, $2, $3, $4)",
                        4, params);
}

/* Times are shown in Vietnam's time. */
char *
web_local_time (const char *utc)
{
  if (utc == NULL || *utc == '\0')
    return g_strdup ("—");
  g_autofree char *iso = g_strdup (utc);
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);
  if (time == NULL)
    {
      g_autofree char *with_zone = g_strconcat (iso, "Z", NULL);
      time = g_date_time_new_from_iso8601 (with_zone, NULL);
    }
  if (time == NULL)
    return g_strdup (utc);
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (time, zone);
  return g_date_time_format (local, "%d/%m/%Y %H:%M:%S");
}

gboolean
web_valid_day (const char *day)
{
  if (day == NULL || strlen (day) != 10)
    return FALSE;
  g_autofree char *iso = g_strconcat (day, "T00:00:00Z", NULL);
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);
  return time != NULL;
}

char *
web_today (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) now = g_date_time_new_now (zone);
  return g_date_time_format (now, "%Y-%m-%d");
}

const char *
web_event_text (const Request *request, const char *kind)
{
  static const char *const names[][3] = {
    { "created", "Lập báo cáo, giữ bưu gửi", "Report made, parcel held" },
    { "assessment", "Giám sát viên đánh giá", "Supervisor's assessment" },
    { "handover", "Bàn giao cho công an", "Handed over to the police" },
    { "release", "Trả / cho gửi tiếp", "Released" },
    { "close", "Đóng báo cáo", "Report closed" },
  };
  for (gsize i = 0; kind != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i][0], kind) == 0)
      return names[i][request->english ? 2 : 1];
  return kind != NULL ? kind : "—";
}

const char *
web_status_text (const Request *request, const char *status)
{
  static const char *const names[][3] = {
    { "open", "Đang giữ", "Held" },
    { "assessed", "Đã đánh giá", "Assessed" },
    { "handed-over", "Đã bàn giao công an", "Handed over" },
    { "released", "Đã trả", "Released" },
    { "closed", "Đã đóng", "Closed" },
  };
  for (gsize i = 0; status != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i][0], status) == 0)
      return names[i][request->english ? 2 : 1];
  return status != NULL ? status : "—";
}

/* ---- Sessions and login -------------------------------------------------------- */

static gboolean
load_session (Request *request)
{
  g_autofree char *token = web_cookie (request->exchange, "ps_session");
  if (token == NULL || strlen (token) < 20)
    return FALSE;
  g_autofree char *digest = ps_hub_sha256_hex (token, strlen (token));
  const char *params[] = { digest };
  g_autoptr (PGresult) result = ps_hub_db_exec (
      request->conn, NULL,
      "SELECT u.id, u.name, u.role, s.csrf FROM web_sessions s JOIN police_users u "
      "ON u.id = s.user_id WHERE s.token_sha256 = $1 AND s.expires > now () AND NOT u.disabled",
      1, params);
  if (result == NULL || PQntuples (result) != 1)
    return FALSE;
  request->user_id = g_strdup (PQgetvalue (result, 0, 0));
  request->user_name = g_strdup (PQgetvalue (result, 0, 1));
  request->role = g_strdup (PQgetvalue (result, 0, 2));
  request->csrf = g_strdup (PQgetvalue (result, 0, 3));
  return TRUE;
}

gboolean
web_csrf_ok (Request *request, const char *expected)
{
  const char *given = request->form != NULL ? g_hash_table_lookup (request->form, "csrf") : NULL;
  return expected != NULL && given != NULL && strlen (expected) == strlen (given) &&
         strlen (given) >= 20 && sodium_memcmp (expected, given, strlen (given)) == 0;
}

static void
login_page (Request *request, guint status, const char *message)
{
  /* One token per browser until it logs in: a second tab, or a request the
   * browser makes on its own (a favicon led here), must not invalidate the
   * form already shown. */
  g_autofree char *token = web_cookie (request->exchange, "ps_login_csrf");
  if (token == NULL || strlen (token) < 20 || strlen (token) > 64 ||
      strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
          strlen (token))
    {
      g_free (token);
      token = ps_hub_random_token (24);
    }
  g_autofree char *set = g_strdup_printf (
      "ps_login_csrf=%s; Path=/login; Secure; HttpOnly; SameSite=Strict; Max-Age=3600", token);
  g_autoptr (GString) body = g_string_new (NULL);
  if (message != NULL)
    {
      g_string_append (body, "<p class=\"error\" role=\"alert\">");
      web_put (body, message);
      g_string_append (body, "</p>");
    }
  g_string_append_printf (body,
                          "<form class=\"login\" method=\"post\" action=\"/login\">"
                          "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                          "<label>%s <input id=\"login\" name=\"login\" autocomplete=\"username\" "
                          "required></label>"
                          "<label>%s <input id=\"password\" name=\"password\" type=\"password\" "
                          "autocomplete=\"current-password\" required></label>"
                          "<button id=\"submit\" type=\"submit\">%s</button></form>",
                          token, T (request, "Tên đăng nhập", "Login"),
                          T (request, "Mật khẩu", "Password"), T (request, "Đăng nhập", "Log in"));
  web_page (request, status, T (request, "Đăng nhập", "Log in"), body->str);
  ps_hub_exchange_add_header (request->exchange, "Set-Cookie", set);
}

static void
login (Request *request)
{
  g_autofree char *expected = web_cookie (request->exchange, "ps_login_csrf");
  if (!web_csrf_ok (request, expected))
    {
      login_page (request, SOUP_STATUS_FORBIDDEN,
                  T (request, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy đăng nhập lại.",
                     "The form expired or is not valid. Please log in again."));
      return;
    }
  const char *name = g_hash_table_lookup (request->form, "login");
  const char *password = g_hash_table_lookup (request->form, "password");
  const char *wrong = T (request, "Sai tên đăng nhập hoặc mật khẩu.", "Wrong login or password.");
  if (name == NULL || password == NULL || strlen (name) > 64 || strlen (password) > 256)
    {
      login_page (request, SOUP_STATUS_UNAUTHORIZED, wrong);
      return;
    }
  g_autoptr (GError) error = NULL;
  const char *by_login[] = { name };
  /* The try is counted before the slow hash, in one statement (atomic with
   * other hubs' tries). */
  g_autoptr (PGresult) user = ps_hub_db_exec (
      request->conn, &error,
      "UPDATE police_users SET failures = failures + 1 WHERE login = $1 RETURNING id, "
      "password_hash, disabled, locked_until IS NOT NULL AND locked_until > now (), failures",
      1, by_login);
  if (user == NULL)
    {
      web_unavailable (request, error);
      return;
    }
  gboolean found = PQntuples (user) == 1;
  /* The same work whether the login exists or not. */
  static gsize once;
  static char *dummy;
  if (g_once_init_enter (&once))
    {
      dummy = ps_hub_password_hash ("not a password", NULL);
      g_once_init_leave (&once, 1);
    }
  gboolean good = ps_hub_password_verify (found ? PQgetvalue (user, 0, 1) : dummy, password);
  if (!found || !good || strcmp (PQgetvalue (user, 0, 2), "t") == 0 ||
      strcmp (PQgetvalue (user, 0, 3), "t") == 0)
    {
      if (found && !good)
        {
          g_autofree char *limit = g_strdup_printf ("%u", request->config->lock_failures);
          g_autofree char *minutes = g_strdup_printf ("%u", request->config->lock_minutes);
          const char *params[] = { PQgetvalue (user, 0, 0), limit, minutes };
          ps_hub_db_run (
              request->conn, NULL,
              "UPDATE police_users SET locked_until = now () + make_interval (mins => $3::int), "
              "failures = 0 WHERE id = $1 AND failures >= $2::int",
              3, params);
        }
      gboolean locked = found && good && strcmp (PQgetvalue (user, 0, 3), "t") == 0;
      login_page (request, SOUP_STATUS_UNAUTHORIZED,
                  locked ? T (request, "Tài khoản tạm khoá vì nhập sai nhiều lần. Hãy thử lại sau.",
                              "This account is locked after too many wrong tries. Try again "
                              "later.")
                         : wrong);
      return;
    }
  const char *user_id = PQgetvalue (user, 0, 0);
  g_autofree char *token = ps_hub_random_token (32);
  g_autofree char *digest = ps_hub_sha256_hex (token, strlen (token));
  g_autofree char *csrf = ps_hub_random_token (24);
  g_autofree char *minutes = g_strdup_printf ("%u", request->config->session_minutes);
  const char *session[] = { digest, user_id, csrf, minutes };
  g_autoptr (PGresult) created = ps_hub_db_exec (
      request->conn, &error,
      "WITH reset AS (UPDATE police_users SET failures = 0, locked_until = NULL WHERE id = $2) "
      "INSERT INTO web_sessions (token_sha256, user_id, csrf, expires) "
      "VALUES ($1, $2, $3, now () + make_interval (mins => $4::int))",
      4, session);
  if (created == NULL)
    {
      web_unavailable (request, error);
      return;
    }
  request->user_id = g_strdup (user_id);
  web_log_access (request, "login", NULL, NULL, NULL);
  g_autofree char *set =
      g_strdup_printf ("ps_session=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%u",
                       token, request->config->session_minutes * 60);
  web_redirect (request, "/reports");
  ps_hub_exchange_add_header (request->exchange, "Set-Cookie", set);
}

static void
logout (Request *request)
{
  g_autofree char *token = web_cookie (request->exchange, "ps_session");
  g_autofree char *digest = ps_hub_sha256_hex (token, strlen (token));
  const char *params[] = { digest };
  ps_hub_db_run (request->conn, NULL, "DELETE FROM web_sessions WHERE token_sha256 = $1", 1,
                 params);
  web_log_access (request, "logout", NULL, NULL, NULL);
  web_redirect (request, "/login");
  ps_hub_exchange_add_header (request->exchange, "Set-Cookie",
                              "ps_session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

/* ---- Pages ------------------------------------------------------------------------ */

static void
stylesheet (Request *request)
{
  g_autoptr (GBytes) bytes = g_resources_lookup_data ("/vn/parcelscreen/hub/style.css",
                                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *text = bytes != NULL
                              ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                              : g_strdup ("");
  ps_hub_exchange_answer (request->exchange, SOUP_STATUS_OK, "text/css; charset=utf-8", text);
  ps_hub_exchange_add_header (request->exchange, "Cache-Control", "max-age=3600");
}

void
ps_hub_web_handle (const PsHubConfig *config, PsHubExchange *exchange, PGconn *conn)
{
  Request request = { exchange, config, conn, FALSE, NULL, NULL, NULL, NULL, NULL };
  const char *lang = ps_hub_exchange_query (exchange, "lang");
  g_autofree char *lang_cookie = web_cookie (exchange, "ps_lang");
  if (lang != NULL && (strcmp (lang, "en") == 0 || strcmp (lang, "vi") == 0))
    {
      request.english = strcmp (lang, "en") == 0;
      g_autofree char *set =
          g_strdup_printf ("ps_lang=%s; Path=/; Secure; SameSite=Strict; Max-Age=31536000", lang);
      ps_hub_exchange_add_header (exchange, "Set-Cookie", set);
    }
  else
    request.english = lang_cookie != NULL && strcmp (lang_cookie, "en") == 0;
  if (strcmp (exchange->path, "/static/style.css") == 0)
    {
      stylesheet (&request);
      return;
    }
  if (strcmp (exchange->path, "/favicon.ico") == 0)
    {
      ps_hub_exchange_answer (exchange, SOUP_STATUS_NOT_FOUND, "text/plain", "");
      return;
    }
  security_headers (exchange);
  gboolean post = strcmp (exchange->method, "POST") == 0;
  if (post)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (exchange->body, &len);
      g_autofree char *text = g_strndup (data != NULL ? data : "", MIN (len, 64 * 1024));
      request.form = soup_form_decode (text);
    }
  else if (strcmp (exchange->method, "GET") != 0 && strcmp (exchange->method, "HEAD") != 0)
    {
      ps_hub_exchange_answer (exchange, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "");
      goto out;
    }

  if (strcmp (exchange->path, "/login") == 0)
    {
      if (post)
        login (&request);
      else
        login_page (&request, SOUP_STATUS_OK, NULL);
      goto out;
    }
  if (!load_session (&request))
    {
      /* Nothing but the login page without a session. */
      if (post)
        web_error_page (&request, SOUP_STATUS_FORBIDDEN,
                        T (&request, "Phiên đăng nhập đã hết. Hãy đăng nhập lại.",
                           "Your session has ended. Please log in again."));
      else
        web_redirect (&request, "/login");
      goto out;
    }
  if (post && !web_csrf_ok (&request, request.csrf))
    {
      g_message ("web: a form without a valid CSRF token was refused");
      web_error_page (&request, SOUP_STATUS_FORBIDDEN,
                      T (&request, "Biểu mẫu không hợp lệ (mã chống giả mạo sai).",
                         "The form is not valid (its anti-forgery token is wrong)."));
      goto out;
    }
  if (post && strcmp (exchange->path, "/logout") == 0)
    logout (&request);
  else if (!post && strcmp (exchange->path, "/") == 0)
    web_redirect (&request, "/reports");
  else if (!post && strcmp (exchange->path, "/reports") == 0)
    web_reports_page (&request);
  else if (!post && strcmp (exchange->path, "/report") == 0)
    web_report_page (&request);
  else if (!post && strcmp (exchange->path, "/counters") == 0)
    web_counters_page (&request);
  else if (!post && strcmp (exchange->path, "/summary") == 0)
    web_summary_page (&request);
  else if (!post && strcmp (exchange->path, "/instructions") == 0)
    web_instructions_page (&request);
  else if (post && strcmp (exchange->path, "/instruct") == 0)
    web_instruct (&request);
  else
    web_error_page (&request, SOUP_STATUS_NOT_FOUND,
                    T (&request, "Không có trang này.", "No such page."));

out:
  g_free (request.user_id);
  g_free (request.user_name);
  g_free (request.role);
  g_free (request.csrf);
  g_clear_pointer (&request.form, g_hash_table_unref);
}
