/* ps-hub-web.c — the police's web view: server-rendered HTML, no script.
 *
 * Secure by default: a session is a random token in a Secure, HttpOnly,
 * SameSite=Strict cookie (only its SHA-256 is stored); every form carries a
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
#include "ps-hub.h"
#include "ps-signing.h"

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

static const char *
T (const Request *request, const char *vietnamese, const char *english)
{
  return request->english ? english : vietnamese;
}

static char *
esc (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/* Appends @text escaped for HTML. */
static void
put (GString *out, const char *text)
{
  g_autofree char *escaped = esc (text);
  g_string_append (out, escaped);
}

static char *
cookie (PsHubExchange *exchange, const char *name)
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

static void
redirect (Request *request, const char *location)
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

static void
page (Request *request, guint status, const char *title, const char *body)
{
  g_autoptr (GString) nav = g_string_new (NULL);
  if (request->user_id != NULL)
    {
      g_string_append_printf (nav, "<a href=\"/reports\">%s</a>",
                              T (request, "Báo cáo", "Reports"));
      g_string_append_printf (nav, "<a href=\"/summary\">%s</a>",
                              T (request, "Tổng hợp ngày", "Day summary"));
      g_string_append_printf (nav, "<a href=\"/counters\">%s</a>", T (request, "Quầy", "Counters"));
      g_string_append (nav, "<span class=\"muted\">");
      put (nav, request->user_name);
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
  g_autofree char *escaped_title = esc (title);
  replace (html, "{{lang}}", request->english ? "en" : "vi");
  replace (html, "{{title}}", escaped_title);
  replace (html, "{{title}}", escaped_title);
  replace (html, "{{hub}}", T (request, "Công an tỉnh", "Provincial police"));
  replace (html, "{{nav}}", nav->str);
  replace (html, "{{body}}", body);
  ps_hub_exchange_answer (request->exchange, status, "text/html; charset=utf-8", html->str);
}

static void
error_page (Request *request, guint status, const char *message)
{
  g_autoptr (GString) body = g_string_new ("<p class=\"error\">");
  put (body, message);
  g_string_append (body, "</p>");
  page (request, status, T (request, "Lỗi", "Error"), body->str);
}

static void
unavailable (Request *request, const GError *error)
{
  g_message ("web: database: %s", error->message);
  error_page (request, SOUP_STATUS_SERVICE_UNAVAILABLE,
              T (request, "Cơ sở dữ liệu của trung tâm tạm thời không truy cập được. Hãy thử lại.",
                 "The hub's database cannot be reached just now. Please try again."));
  ps_hub_exchange_add_header (request->exchange, "Retry-After", "5");
}

/* Who looked at what: written before the page is shown. */
static gboolean
log_access (Request *request, const char *action, const char *counter_id, const char *report_id,
            GError **error)
{
  const char *params[] = { request->user_id, action, counter_id, report_id };
  return ps_hub_db_run (request->conn, error,
                        "INSERT INTO access_log (user_id, action, counter_id, report_id) "
                        "VALUES ($1, $2, $3, $4)",
                        4, params);
}

/* Times are shown in Vietnam's time. */
static char *
local_time (const char *utc)
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

static gboolean
valid_day (const char *day)
{
  if (day == NULL || strlen (day) != 10)
    return FALSE;
  g_autofree char *iso = g_strconcat (day, "T00:00:00Z", NULL);
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);
  return time != NULL;
}

static char *
today (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) now = g_date_time_new_now (zone);
  return g_date_time_format (now, "%Y-%m-%d");
}

static const char *
event_text (const Request *request, const char *kind)
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

static const char *
status_text (const Request *request, const char *status)
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
  g_autofree char *token = cookie (request->exchange, "ps_session");
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

static gboolean
csrf_ok (Request *request, const char *expected)
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
  g_autofree char *token = cookie (request->exchange, "ps_login_csrf");
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
      put (body, message);
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
  page (request, status, T (request, "Đăng nhập", "Log in"), body->str);
  ps_hub_exchange_add_header (request->exchange, "Set-Cookie", set);
}

static void
login (Request *request)
{
  g_autofree char *expected = cookie (request->exchange, "ps_login_csrf");
  if (!csrf_ok (request, expected))
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
      unavailable (request, error);
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
      unavailable (request, error);
      return;
    }
  request->user_id = g_strdup (user_id);
  log_access (request, "login", NULL, NULL, NULL);
  g_autofree char *set =
      g_strdup_printf ("ps_session=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%u",
                       token, request->config->session_minutes * 60);
  redirect (request, "/reports");
  ps_hub_exchange_add_header (request->exchange, "Set-Cookie", set);
}

static void
logout (Request *request)
{
  g_autofree char *token = cookie (request->exchange, "ps_session");
  g_autofree char *digest = ps_hub_sha256_hex (token, strlen (token));
  const char *params[] = { digest };
  ps_hub_db_run (request->conn, NULL, "DELETE FROM web_sessions WHERE token_sha256 = $1", 1,
                 params);
  log_access (request, "logout", NULL, NULL, NULL);
  redirect (request, "/login");
  ps_hub_exchange_add_header (request->exchange, "Set-Cookie",
                              "ps_session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

/* ---- Pages ------------------------------------------------------------------------ */

static const char *
field (Request *request, const char *name)
{
  const char *value = ps_hub_exchange_query (request->exchange, name);
  return value != NULL && *value != '\0' && strlen (value) <= 64 ? value : NULL;
}

static void
filter_input (GString *out, const char *label, const char *name, const char *value,
              const char *type)
{
  g_string_append_printf (out, "<label>%s <input name=\"%s\" id=\"f-%s\" type=\"%s\" value=\"",
                          label, name, name, type);
  put (out, value);
  g_string_append (out, "\"></label>");
}

static void
reports_page (Request *request)
{
  const char *from = field (request, "from");
  const char *to = field (request, "to");
  const char *office = field (request, "office");
  const char *counter = field (request, "counter");
  const char *status = field (request, "status");
  const char *reason = field (request, "reason");
  const char *tracking = field (request, "tracking");
  const char *sender = field (request, "sender_id");
  guint64 page_number = 1;
  const char *page_text = field (request, "page");
  if (page_text != NULL)
    g_ascii_string_to_unsigned (page_text, 10, 1, 100000, &page_number, NULL);
  g_autoptr (GString) body = g_string_new (NULL);
  if ((from != NULL && !valid_day (from)) || (to != NULL && !valid_day (to)))
    {
      g_string_append_printf (
          body, "<p class=\"error\">%s</p>",
          T (request, "Ngày phải có dạng NNNN-TT-NN.", "A day is written YYYY-MM-DD."));
      from = valid_day (from) ? from : NULL;
      to = valid_day (to) ? to : NULL;
    }
  g_autofree char *offset = g_strdup_printf ("%" G_GUINT64_FORMAT, (page_number - 1) * PAGE_SIZE);
  g_autofree char *upper = tracking != NULL ? g_ascii_strup (tracking, -1) : NULL;
  const char *params[] = { from, to, office, counter, status, reason, upper, sender, offset };
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) rows = ps_hub_db_exec (
      request->conn, &error,
      "SELECT r.counter_id, r.report_id, c.office, c.counter, r.tracking, r.status, r.decided, "
      "array_to_string (r.hold_reasons, ','), r.risk_score, r.simulation "
      "FROM reports r JOIN counters c ON c.id = r.counter_id "
      "WHERE ($1::date IS NULL OR r.day >= $1::date) AND ($2::date IS NULL OR r.day <= $2::date) "
      "AND ($3::text IS NULL OR c.office = $3) AND ($4::text IS NULL OR c.counter = $4) "
      "AND ($5::text IS NULL OR r.status = $5) AND ($6::text IS NULL OR $6 = ANY (r.hold_reasons)) "
      "AND ($7::text IS NULL OR r.tracking = $7) AND ($8::text IS NULL OR r.sender_id_number = $8) "
      "ORDER BY r.decided DESC NULLS LAST, r.counter_id, r.report_id DESC "
      "LIMIT " G_STRINGIFY (PAGE_SIZE) " + 1 OFFSET $9::bigint",
      9, params);
  if (rows == NULL)
    {
      unavailable (request, error);
      return;
    }
  /* A search by a person's ID number is recorded before its answer. */
  if (sender != NULL && !log_access (request, "search-by-sender-id", NULL, NULL, &error))
    {
      unavailable (request, error);
      return;
    }

  g_string_append (body, "<form class=\"filters\" method=\"get\" action=\"/reports\">");
  filter_input (body, T (request, "Từ ngày", "From"), "from", from, "date");
  filter_input (body, T (request, "Đến ngày", "To"), "to", to, "date");
  filter_input (body, T (request, "Bưu cục", "Office"), "office", office, "text");
  filter_input (body, T (request, "Quầy", "Counter"), "counter", counter, "text");
  g_string_append_printf (body, "<label>%s <select name=\"status\" id=\"f-status\">",
                          T (request, "Trạng thái", "Status"));
  g_string_append_printf (body, "<option value=\"\">%s</option>", T (request, "Tất cả", "All"));
  static const char *const statuses[] = { "open", "assessed", "handed-over", "released", "closed" };
  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_string_append_printf (body, "<option value=\"%s\"%s>%s</option>", statuses[i],
                            status != NULL && strcmp (status, statuses[i]) == 0 ? " selected" : "",
                            status_text (request, statuses[i]));
  g_string_append (body, "</select></label>");
  g_string_append_printf (body, "<label>%s <select name=\"reason\" id=\"f-reason\">",
                          T (request, "Lý do giữ", "Hold reason"));
  g_string_append_printf (body, "<option value=\"\">%s</option>", T (request, "Tất cả", "All"));
  for (guint i = 0; i < ps_reasons_get_n (request->config->reasons); i++)
    {
      const PsReason *item = ps_reasons_get (request->config->reasons, i);
      if (item->kind != PS_REASON_HOLD)
        continue;
      g_string_append_printf (body, "<option value=\"");
      put (body, item->id);
      g_string_append_printf (body, "\"%s>",
                              reason != NULL && strcmp (reason, item->id) == 0 ? " selected" : "");
      put (body, request->english ? item->text_en : item->text_vi);
      g_string_append (body, "</option>");
    }
  g_string_append (body, "</select></label>");
  filter_input (body, T (request, "Số hiệu bưu gửi", "Tracking number"), "tracking", tracking,
                "text");
  filter_input (body, T (request, "Số CCCD người gửi", "Sender's ID number"), "sender_id", sender,
                "text");
  g_string_append_printf (body, "<button id=\"filter\" type=\"submit\">%s</button></form>",
                          T (request, "Lọc", "Filter"));

  int n = PQntuples (rows);
  if (n == 0)
    g_string_append_printf (body, "<p class=\"notice\">%s</p>",
                            T (request, "Không có báo cáo nào khớp.", "No report matches."));
  else
    {
      g_string_append_printf (
          body,
          "<table id=\"reports\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
          "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
          T (request, "Thời điểm giữ", "Held at"), T (request, "Số hiệu", "Tracking"),
          T (request, "Bưu cục / quầy", "Office / counter"), T (request, "Trạng thái", "Status"),
          T (request, "Lý do", "Reasons"), T (request, "Điểm", "Score"));
      for (int i = 0; i < MIN (n, PAGE_SIZE); i++)
        {
          g_autofree char *when = local_time (PQgetvalue (rows, i, 6));
          g_string_append_printf (body,
                                  "<tr><td>%s</td><td><a href=\"/report?counter=%s&amp;id=%s\">",
                                  when, PQgetvalue (rows, i, 0), PQgetvalue (rows, i, 1));
          put (body, PQgetvalue (rows, i, 4));
          g_string_append (body, "</a>");
          if (strcmp (PQgetvalue (rows, i, 9), "t") == 0)
            g_string_append_printf (body, " <span class=\"muted\">(%s)</span>",
                                    T (request, "mô phỏng", "simulation"));
          g_string_append (body, "</td><td>");
          put (body, PQgetvalue (rows, i, 2));
          g_string_append (body, " / ");
          put (body, PQgetvalue (rows, i, 3));
          g_string_append_printf (body, "</td><td>%s</td><td>",
                                  status_text (request, PQgetvalue (rows, i, 5)));
          g_autofree char *words = ps_reasons_describe (request->config->reasons, PS_REASON_HOLD,
                                                        PQgetvalue (rows, i, 7), !request->english);
          put (body, words);
          g_string_append (body, "</td><td>");
          put (body, PQgetvalue (rows, i, 8));
          g_string_append (body, "</td></tr>");
        }
      g_string_append (body, "</tbody></table>");
    }
  /* Paging keeps the filters. */
  g_autoptr (GString) query = g_string_new (NULL);
  const char *names[] = { "from",   "to",     "office",   "counter",
                          "status", "reason", "tracking", "sender_id" };
  const char *values[] = { from, to, office, counter, status, reason, tracking, sender };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL)
      {
        g_autofree char *escaped = g_uri_escape_string (values[i], NULL, FALSE);
        g_string_append_printf (query, "&amp;%s=%s", names[i], escaped);
      }
  g_string_append (body, "<p class=\"pages\">");
  if (page_number > 1)
    g_string_append_printf (
        body, "<a id=\"previous\" href=\"/reports?page=%" G_GUINT64_FORMAT "%s\">← %s</a>",
        page_number - 1, query->str, T (request, "Trang trước", "Previous"));
  g_string_append_printf (body, "%s %" G_GUINT64_FORMAT, T (request, "Trang", "Page"), page_number);
  if (n > PAGE_SIZE)
    g_string_append_printf (
        body, " <a id=\"next\" href=\"/reports?page=%" G_GUINT64_FORMAT "%s\">%s →</a>",
        page_number + 1, query->str, T (request, "Trang sau", "Next"));
  g_string_append (body, "</p>");
  page (request, SOUP_STATUS_OK, T (request, "Bưu gửi bị giữ", "Held parcels"), body->str);
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static JsonObject *
member_object (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
row (GString *out, const char *label, const char *value)
{
  g_string_append_printf (out, "<dt>%s</dt><dd>", label);
  put (out, value != NULL ? value : "—");
  g_string_append (out, "</dd>");
}

static void
person (Request *request, GString *out, JsonObject *who, gboolean sender)
{
  g_string_append (out, "<dl>");
  row (out, T (request, "Họ tên", "Name"), member_string (who, "name"));
  if (sender)
    row (out, T (request, "Số CCCD", "ID number"), member_string (who, "id_number"));
  row (out, T (request, "Địa chỉ", "Address"), member_string (who, "address"));
  row (out, T (request, "Điện thoại", "Phone"), member_string (who, "phone"));
  if (!sender)
    row (out, T (request, "Nước", "Country"), member_string (who, "country"));
  g_string_append (out, "</dl>");
}

static void
report_page (Request *request)
{
  const char *counter_id = field (request, "counter");
  const char *report_id = field (request, "id");
  guint64 number = 0;
  if (counter_id == NULL || report_id == NULL ||
      !g_ascii_string_to_unsigned (counter_id, 10, 1, G_MAXINT64, &number, NULL) ||
      !g_ascii_string_to_unsigned (report_id, 10, 1, G_MAXINT64, &number, NULL))
    {
      error_page (request, SOUP_STATUS_NOT_FOUND,
                  T (request, "Không có báo cáo này.", "No such report."));
      return;
    }
  const char *params[] = { counter_id, report_id };
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) found = ps_hub_db_exec (
      request->conn, &error,
      "SELECT c.office, c.counter, c.public_key, d.body, d.signature, d.reference, d.received, "
      "r.status, d.signer_key, array_to_string (r.hold_reasons, ',') FROM reports r JOIN counters "
      "c ON c.id = r.counter_id "
      "JOIN documents d ON d.id = r.document_id WHERE r.counter_id = $1 AND r.report_id = $2",
      2, params);
  if (found == NULL)
    {
      unavailable (request, error);
      return;
    }
  if (PQntuples (found) != 1)
    {
      error_page (request, SOUP_STATUS_NOT_FOUND,
                  T (request, "Không có báo cáo này.", "No such report."));
      return;
    }
  /* Who looked at which report, recorded before it is shown. */
  if (!log_access (request, "view-report", counter_id, report_id, &error))
    {
      unavailable (request, error);
      return;
    }

  size_t len = 0;
  unsigned char *raw = PQunescapeBytea ((const unsigned char *) PQgetvalue (found, 0, 3), &len);
  gsize key_len = 0;
  g_autofree guchar *key = g_base64_decode (PQgetvalue (found, 0, 2), &key_len);
  gboolean verified =
      raw != NULL && key_len == 32 && ps_signature_verify (key, raw, len, PQgetvalue (found, 0, 4));
  g_autofree char *key_print = key_len == 32 ? ps_hub_sha256_hex (key, key_len) : g_strdup ("?");
  g_autoptr (JsonParser) parser = json_parser_new ();
  gboolean parsed =
      raw != NULL && json_parser_load_from_data (parser, (const char *) raw, (gssize) len, NULL);
  PQfreemem (raw);
  JsonObject *doc = parsed && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
                        ? json_node_get_object (json_parser_get_root (parser))
                        : NULL;
  JsonObject *parcel = member_object (doc, "parcel");

  g_autoptr (GString) body = g_string_new (NULL);
  if (verified)
    g_string_append_printf (body, "<p id=\"signature\" class=\"ok\">✓ %s <code>%.16s</code></p>",
                            T (request, "Chữ ký đã được xác minh bằng khoá của quầy",
                               "Signature verified with the counter's key"),
                            key_print);
  else
    g_string_append_printf (body, "<p id=\"signature\" class=\"bad\">✗ %s</p>",
                            T (request, "Chữ ký KHÔNG khớp với khoá đã đăng ký của quầy",
                               "The signature does NOT match the counter's registered key"));
  if (doc != NULL && json_object_has_member (doc, "simulation"))
    g_string_append_printf (body, "<p class=\"notice\">%s</p>",
                            T (request, "Dữ liệu mô phỏng, không phải báo cáo thật.",
                               "Simulated data, not a real report."));
  g_string_append (body, "<dl>");
  row (body, T (request, "Số hiệu bưu gửi", "Tracking number"), member_string (parcel, "tracking"));
  g_autofree char *where =
      g_strdup_printf ("%s / %s", PQgetvalue (found, 0, 0), PQgetvalue (found, 0, 1));
  row (body, T (request, "Bưu cục / quầy", "Office / counter"), where);
  row (body, T (request, "Trạng thái", "Status"), status_text (request, PQgetvalue (found, 0, 7)));
  g_autofree char *decided = local_time (member_string (parcel, "decided"));
  row (body, T (request, "Thời điểm giữ", "Held at"), decided);
  row (body, T (request, "Nhân viên", "Clerk"), member_string (parcel, "clerk_name"));
  g_autofree char *held_for = ps_reasons_describe (request->config->reasons, PS_REASON_HOLD,
                                                   PQgetvalue (found, 0, 9), !request->english);
  row (body, T (request, "Lý do giữ", "Held for"), held_for);
  row (body, T (request, "Ghi chú", "Note"), member_string (parcel, "note"));
  g_autofree char *received = local_time (PQgetvalue (found, 0, 6));
  row (body, T (request, "Trung tâm nhận lúc", "Received by the hub"), received);
  row (body, T (request, "Mã tham chiếu", "Reference"), PQgetvalue (found, 0, 5));
  g_string_append (body, "</dl>");

  g_string_append_printf (body, "<h2>%s</h2>", T (request, "Người gửi", "Sender"));
  person (request, body, member_object (parcel, "sender"), TRUE);
  g_string_append_printf (body, "<h2>%s</h2>", T (request, "Người nhận", "Recipient"));
  person (request, body, member_object (parcel, "recipient"), FALSE);

  JsonObject *declaration = member_object (parcel, "declaration");
  g_string_append_printf (body, "<h2>%s</h2><dl>", T (request, "Khai báo", "Declaration"));
  row (body, T (request, "Loại", "Category"), member_string (declaration, "category"));
  row (body, T (request, "Nội dung", "Description"), member_string (declaration, "description"));
  g_string_append (body, "</dl>");

  g_string_append_printf (body,
                          "<h2>%s</h2><table id=\"inspection\"><tr><th>%s</th><th>%s</th></tr>",
                          T (request, "Kiểm tra nội dung", "Inspection"),
                          T (request, "Câu hỏi", "Question"), T (request, "Trả lời", "Answer"));
  JsonNode *inspection = parcel != NULL ? json_object_get_member (parcel, "inspection") : NULL;
  if (inspection != NULL && JSON_NODE_HOLDS_ARRAY (inspection))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (inspection)); i++)
      {
        JsonNode *item = json_array_get_element (json_node_get_array (inspection), i);
        JsonObject *answer = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
        g_string_append (body, "<tr><td>");
        put (body, member_string (answer, request->english ? "text_en" : "text_vi"));
        g_string_append (body, "</td><td>");
        put (body, member_string (answer, "answer"));
        g_string_append (body, "</td></tr>");
      }
  g_string_append (body, "</table>");

  JsonObject *risk = member_object (parcel, "risk");
  g_string_append_printf (body, "<h2>%s</h2><ul id=\"reasons\">",
                          T (request, "Lý do rủi ro", "Risk reasons"));
  JsonNode *reasons = risk != NULL ? json_object_get_member (risk, "reasons") : NULL;
  if (reasons != NULL && JSON_NODE_HOLDS_ARRAY (reasons))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (reasons)); i++)
      {
        JsonNode *item = json_array_get_element (json_node_get_array (reasons), i);
        JsonObject *reason = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
        g_string_append (body, "<li>");
        put (body, member_string (reason, request->english ? "reason_en" : "reason_vi"));
        g_string_append (body, "</li>");
      }
  g_string_append (body, "</ul>");

  g_autoptr (PGresult) events = ps_hub_db_exec (
      request->conn, &error,
      "SELECT kind, time, actor, note, officer ->> 'name', officer ->> 'unit', officer ->> 'badge' "
      "FROM custody_events WHERE counter_id = $1 AND report_id = $2 ORDER BY time, event_id",
      2, params);
  if (events == NULL)
    {
      unavailable (request, error);
      return;
    }
  g_string_append_printf (body,
                          "<h2>%s</h2><table id=\"custody\"><tr><th>%s</th><th>%s</th><th>%s</th>"
                          "<th>%s</th></tr>",
                          T (request, "Chuỗi lưu giữ", "Custody events"),
                          T (request, "Thời điểm", "Time"), T (request, "Sự kiện", "Event"),
                          T (request, "Người thực hiện", "By"), T (request, "Ghi chú", "Note"));
  for (int i = 0; i < PQntuples (events); i++)
    {
      g_autofree char *when = local_time (PQgetvalue (events, i, 1));
      g_string_append_printf (body, "<tr><td>%s</td><td>", when);
      put (body, event_text (request, PQgetvalue (events, i, 0)));
      g_string_append (body, "</td><td>");
      put (body, PQgetvalue (events, i, 2));
      g_string_append (body, "</td><td>");
      put (body, PQgetvalue (events, i, 3));
      if (!PQgetisnull (events, i, 4))
        {
          g_string_append (body, " — ");
          put (body, PQgetvalue (events, i, 4));
          g_string_append (body, ", ");
          put (body, PQgetvalue (events, i, 5));
          g_string_append (body, ", ");
          put (body, PQgetvalue (events, i, 6));
        }
      g_string_append (body, "</td></tr>");
    }
  g_string_append (body, "</table>");
  g_autofree char *title = g_strdup_printf (
      "%s %s", T (request, "Báo cáo", "Report"),
      member_string (parcel, "tracking") != NULL ? member_string (parcel, "tracking") : report_id);
  page (request, SOUP_STATUS_OK, title, body->str);
}

static void
counters_page (Request *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) rows = ps_hub_db_exec (
      request->conn, &error,
      "SELECT c.office, c.counter, c.state, c.last_seen, h.seq, h.hash, "
      "(SELECT count (*) FROM reports r WHERE r.counter_id = c.id AND r.day = "
      "  (now () AT TIME ZONE '" LOCAL_TZ "')::date), "
      "(SELECT string_agg (f.detail, '; ') FROM counter_flags f WHERE f.counter_id = c.id "
      "  AND f.acknowledged IS NULL) "
      "FROM counters c LEFT JOIN LATERAL (SELECT seq, hash FROM audit_heads a "
      "  WHERE a.counter_id = c.id ORDER BY seq DESC LIMIT 1) h ON true "
      "ORDER BY c.office, c.counter",
      0, NULL);
  if (rows == NULL)
    {
      unavailable (request, error);
      return;
    }
  g_autoptr (GString) body = g_string_new (NULL);
  g_string_append_printf (
      body,
      "<table id=\"counters\"><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
      "<th>%s</th><th>%s</th></tr>",
      T (request, "Bưu cục / quầy", "Office / counter"), T (request, "Trạng thái", "State"),
      T (request, "Liên lạc gần nhất", "Last seen"), T (request, "Đầu chuỗi nhật ký", "Audit head"),
      T (request, "Báo cáo hôm nay", "Reports today"), T (request, "Cảnh báo", "Flags"));
  for (int i = 0; i < PQntuples (rows); i++)
    {
      g_autofree char *seen = local_time (PQgetvalue (rows, i, 3));
      g_string_append (body, "<tr><td>");
      put (body, PQgetvalue (rows, i, 0));
      g_string_append (body, " / ");
      put (body, PQgetvalue (rows, i, 1));
      g_string_append_printf (body, "</td><td>%s</td><td>%s</td><td>",
                              strcmp (PQgetvalue (rows, i, 2), "active") == 0
                                  ? T (request, "Hoạt động", "Active")
                                  : T (request, "Đã thu hồi", "Revoked"),
                              seen);
      if (!PQgetisnull (rows, i, 4))
        g_string_append_printf (body, "%s · <code>%.12s</code>", PQgetvalue (rows, i, 4),
                                PQgetvalue (rows, i, 5));
      g_string_append_printf (body, "</td><td>%s</td><td class=\"flag\">", PQgetvalue (rows, i, 6));
      put (body, PQgetisnull (rows, i, 7) ? "" : PQgetvalue (rows, i, 7));
      g_string_append (body, "</td></tr>");
    }
  g_string_append (body, "</table>");
  page (request, SOUP_STATUS_OK, T (request, "Các quầy", "Counters"), body->str);
}

/* A horizontal bar chart, drawn as SVG markup (no script, no inline style). */
static void
bar_chart (GString *out, const char *id, PGresult *rows, const Request *reasons_for)
{
  int n = PQntuples (rows);
  long most = 1;
  for (int i = 0; i < n; i++)
    most = MAX (most, atol (PQgetvalue (rows, i, 1)));
  g_string_append_printf (out,
                          "<svg id=\"%s\" role=\"img\" width=\"640\" height=\"%d\" "
                          "xmlns=\"http://www.w3.org/2000/svg\">",
                          id, 24 * n + 8);
  for (int i = 0; i < n; i++)
    {
      long count = atol (PQgetvalue (rows, i, 1));
      int width = (int) (360 * count / most);
      g_string_append_printf (out, "<text x=\"0\" y=\"%d\">", 24 * i + 18);
      g_autofree char *label =
          reasons_for != NULL ? ps_reasons_describe (reasons_for->config->reasons, PS_REASON_HOLD,
                                                     PQgetvalue (rows, i, 0), !reasons_for->english)
                              : g_strdup (PQgetvalue (rows, i, 0));
      put (out, label);
      g_string_append_printf (out,
                              "</text><rect x=\"220\" y=\"%d\" width=\"%d\" height=\"16\" "
                              "fill=\"#1f3b5a\"/><text x=\"%d\" y=\"%d\">%ld</text>",
                              24 * i + 5, MAX (width, 1), 226 + width, 24 * i + 18, count);
    }
  g_string_append (out, "</svg>");
}

static void
summary_page (Request *request)
{
  g_autofree char *fallback = today ();
  const char *day = field (request, "day");
  if (day == NULL || !valid_day (day))
    day = fallback;
  const char *params[] = { day };
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) reasons =
      ps_hub_db_exec (request->conn, &error,
                      "SELECT reason, count (*) FROM reports, unnest (hold_reasons) AS reason "
                      "WHERE day = $1::date GROUP BY reason ORDER BY 2 DESC, 1",
                      1, params);
  g_autoptr (PGresult) offices =
      reasons == NULL
          ? NULL
          : ps_hub_db_exec (
                request->conn, &error,
                "SELECT c.office, count (*) FROM reports r JOIN counters c ON c.id = r.counter_id "
                "WHERE r.day = $1::date GROUP BY c.office ORDER BY 2 DESC, 1",
                1, params);
  if (offices == NULL)
    {
      unavailable (request, error);
      return;
    }
  long total = 0;
  for (int i = 0; i < PQntuples (offices); i++)
    total += atol (PQgetvalue (offices, i, 1));
  g_autoptr (GString) body = g_string_new (NULL);
  g_string_append_printf (
      body,
      "<form class=\"filters\" method=\"get\" action=\"/summary\">"
      "<label>%s <input type=\"date\" name=\"day\" id=\"f-day\" value=\"%s\"></label>"
      "<button type=\"submit\">%s</button></form>",
      T (request, "Ngày", "Day"), day, T (request, "Xem", "Show"));
  g_string_append_printf (body, "<p id=\"total\">%s: <strong>%ld</strong></p>",
                          T (request, "Số bưu gửi bị giữ", "Held parcels"), total);
  g_string_append_printf (body, "<h2>%s</h2>", T (request, "Theo lý do", "By reason"));
  bar_chart (body, "by-reason", reasons, request);
  g_string_append_printf (body, "<h2>%s</h2>", T (request, "Theo bưu cục", "By office"));
  bar_chart (body, "by-office", offices, NULL);
  page (request, SOUP_STATUS_OK, T (request, "Tổng hợp ngày", "Day summary"), body->str);
}

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
  g_autofree char *lang_cookie = cookie (exchange, "ps_lang");
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
        error_page (&request, SOUP_STATUS_FORBIDDEN,
                    T (&request, "Phiên đăng nhập đã hết. Hãy đăng nhập lại.",
                       "Your session has ended. Please log in again."));
      else
        redirect (&request, "/login");
      goto out;
    }
  if (post && !csrf_ok (&request, request.csrf))
    {
      g_message ("web: a form without a valid CSRF token was refused");
      error_page (&request, SOUP_STATUS_FORBIDDEN,
                  T (&request, "Biểu mẫu không hợp lệ (mã chống giả mạo sai).",
                     "The form is not valid (its anti-forgery token is wrong)."));
      goto out;
    }
  if (post && strcmp (exchange->path, "/logout") == 0)
    logout (&request);
  else if (!post && strcmp (exchange->path, "/") == 0)
    redirect (&request, "/reports");
  else if (!post && strcmp (exchange->path, "/reports") == 0)
    reports_page (&request);
  else if (!post && strcmp (exchange->path, "/report") == 0)
    report_page (&request);
  else if (!post && strcmp (exchange->path, "/counters") == 0)
    counters_page (&request);
  else if (!post && strcmp (exchange->path, "/summary") == 0)
    summary_page (&request);
  else
    error_page (&request, SOUP_STATUS_NOT_FOUND,
                T (&request, "Không có trang này.", "No such page."));

out:
  g_free (request.user_id);
  g_free (request.user_name);
  g_free (request.role);
  g_free (request.csrf);
  g_clear_pointer (&request.form, g_hash_table_unref);
}
