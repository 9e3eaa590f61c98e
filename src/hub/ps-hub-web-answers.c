/* ps-hub-web-answers.c — the police's instructions in the web view: a
 * report's instructions with their state and the form to issue one, the
 * list of every open instruction (past its deadline first, with the time
 * left), and the issuing itself (ps_hub_issue_instruction()). Seizure,
 * release, closing and withdrawal are a commander's (or an administrator's);
 * an officer acknowledges receipt, asks, and orders to keep holding. */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "parcelscreen/ps-custody.h"
#include "ps-hub-web.h"

static const char *
kind_text (const Request *request, const char *kind)
{
  static const char *const names[][3] = {
    { "received", "Đã tiếp nhận (số vụ việc)", "Received (case number)" },
    { "request_info", "Yêu cầu cung cấp thông tin", "Request for information" },
    { "keep_holding", "Tiếp tục tạm giữ", "Keep holding" },
    { "release", "Giải toả", "Release" },
    { "seize", "Thu giữ", "Seize" },
    { "close_case", "Kết thúc vụ việc", "Close the case" },
    { "watchlist", "Danh sách theo dõi", "Watch list" },
    { "cancel", "Huỷ chỉ thị", "Cancel an instruction" },
  };
  for (gsize i = 0; kind != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i][0], kind) == 0)
      return names[i][request->english ? 2 : 1];
  return kind != NULL ? kind : "—";
}

static const char *
state_text (const Request *request, const char *state)
{
  static const char *const names[][3] = {
    { "sent", "Đã gửi, quầy chưa nhận", "Sent, not yet received" },
    { "received", "Quầy đã nhận", "Received by the counter" },
    { "done", "Đã thực hiện", "Done" },
    { "cancelled", "Đã huỷ", "Cancelled" },
  };
  for (gsize i = 0; state != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i][0], state) == 0)
      return names[i][request->english ? 2 : 1];
  return state != NULL ? state : "—";
}

static gboolean
is_commander (const Request *request)
{
  return g_strcmp0 (request->role, "commander") == 0 || g_strcmp0 (request->role, "admin") == 0;
}

static gboolean
needs_commander (const char *kind)
{
  return g_strcmp0 (kind, "seize") == 0 || g_strcmp0 (kind, "release") == 0 ||
         g_strcmp0 (kind, "close_case") == 0 || g_strcmp0 (kind, "cancel") == 0;
}

/* "3 h 20 min left" or "overdue by …". */
static char *
countdown (const Request *request, gint64 seconds)
{
  gint64 left = ABS (seconds);
  g_autofree char *span =
      left >= 2 * 86400
          ? g_strdup_printf ("%" G_GINT64_FORMAT " %s", left / 86400, T (request, "ngày", "days"))
      : left >= 3600 ? g_strdup_printf ("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min",
                                        left / 3600, left % 3600 / 60)
                     : g_strdup_printf ("%" G_GINT64_FORMAT " min", left / 60);
  if (seconds >= 0)
    return request->english ? g_strdup_printf ("%s left", span) : g_strdup_printf ("còn %s", span);
  return request->english ? g_strdup_printf ("OVERDUE by %s", span)
                          : g_strdup_printf ("QUÁ HẠN %s", span);
}

static void
instruction_rows (Request *request, GString *body, PGresult *rows, gboolean with_counter)
{
  for (int i = 0; i < PQntuples (rows); i++)
    {
      /* id, seq, kind, issued, due, state, summary, seconds left, office, counter, report,
       * counter id, tracking, issuer */
      g_autofree char *issued = web_local_time (PQgetvalue (rows, i, 3));
      g_autofree char *due =
          PQgetisnull (rows, i, 4) ? g_strdup ("—") : web_local_time (PQgetvalue (rows, i, 4));
      gboolean open = strcmp (PQgetvalue (rows, i, 5), "sent") == 0 ||
                      strcmp (PQgetvalue (rows, i, 5), "received") == 0;
      g_autofree char *left =
          open && !PQgetisnull (rows, i, 7)
              ? countdown (request, g_ascii_strtoll (PQgetvalue (rows, i, 7), NULL, 10))
              : NULL;
      gboolean overdue = left != NULL && g_ascii_strtoll (PQgetvalue (rows, i, 7), NULL, 10) < 0;
      g_string_append_printf (body, "<tr%s><td>%s</td>", overdue ? " class=\"flag\"" : "",
                              PQgetvalue (rows, i, 1));
      if (with_counter)
        {
          g_string_append (body, "<td>");
          web_put (body, PQgetvalue (rows, i, 8));
          g_string_append (body, " / ");
          web_put (body, PQgetvalue (rows, i, 9));
          g_string_append (body, "</td><td>");
          if (!PQgetisnull (rows, i, 10))
            {
              g_string_append_printf (body, "<a href=\"/report?counter=%s&amp;id=%s\">",
                                      PQgetvalue (rows, i, 11), PQgetvalue (rows, i, 10));
              web_put (body, PQgetisnull (rows, i, 12) ? PQgetvalue (rows, i, 10)
                                                       : PQgetvalue (rows, i, 12));
              g_string_append (body, "</a>");
            }
          g_string_append (body, "</td>");
        }
      g_string_append_printf (body, "<td>%s</td><td>",
                              kind_text (request, PQgetvalue (rows, i, 2)));
      web_put (body, PQgetvalue (rows, i, 6));
      g_string_append_printf (body, "<br><span class=\"muted\">%s · ", issued);
      web_put (body, PQgetvalue (rows, i, 13));
      g_string_append_printf (body, " · <code>%s</code></span></td><td>%s%s%s</td><td>%s</td></tr>",
                              PQgetvalue (rows, i, 0), due, left != NULL ? "<br>" : "",
                              left != NULL ? left : "",
                              state_text (request, PQgetvalue (rows, i, 5)));
    }
}

#define INSTRUCTION_COLUMNS                                                                        \
  "SELECT i.id, i.seq, i.kind, i.issued, i.due, i.state, i.summary, "                              \
  "extract (epoch FROM i.due - now ())::bigint, c.office, c.counter, i.report_id, c.id, "          \
  "r.tracking, u.name FROM instructions i JOIN counters c ON c.id = i.counter_id "                 \
  "JOIN police_users u ON u.id = i.issued_by "                                                     \
  "LEFT JOIN reports r ON r.counter_id = i.counter_id AND r.report_id = i.report_id "

static void
form_input (GString *body, const char *label, const char *name, const char *type)
{
  g_string_append_printf (body, "<label>%s <input name=\"%s\" id=\"i-%s\" type=\"%s\"></label>",
                          label, name, name, type);
}

void
web_report_instructions (Request *request, GString *body, const char *counter_id,
                         const char *report_id)
{
  const char *params[] = { counter_id, report_id };
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) rows = ps_hub_db_exec (
      request->conn, &error,
      INSTRUCTION_COLUMNS "WHERE i.counter_id = $1 AND i.report_id = $2 ORDER BY i.seq", 2, params);
  g_string_append_printf (body, "<h2>%s</h2>", T (request, "Chỉ thị của công an", "Instructions"));
  if (rows != NULL && PQntuples (rows) > 0)
    {
      g_string_append_printf (body,
                              "<table id=\"instructions\"><tr><th>#</th><th>%s</th><th>%s</th>"
                              "<th>%s</th><th>%s</th></tr>",
                              T (request, "Loại", "Kind"), T (request, "Nội dung", "What"),
                              T (request, "Thời hạn", "Deadline"),
                              T (request, "Trạng thái", "State"));
      instruction_rows (request, body, rows, FALSE);
      g_string_append (body, "</table>");
    }
  if (request->config->police_key == NULL)
    return;
  /* The form: one kind at a time, each kind's fields beside it. */
  g_string_append_printf (body,
                          "<form class=\"filters\" id=\"instruct\" method=\"post\" "
                          "action=\"/instruct?counter=%s&amp;id=%s\">"
                          "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                          "<label>%s <select name=\"kind\" id=\"i-kind\">",
                          counter_id, report_id, request->csrf,
                          T (request, "Ra chỉ thị", "Issue an instruction"));
  static const char *const kinds[] = { "received", "request_info", "keep_holding", "release",
                                       "seize",    "close_case",   "cancel" };
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (!needs_commander (kinds[i]) || is_commander (request))
      g_string_append_printf (body, "<option value=\"%s\">%s</option>", kinds[i],
                              kind_text (request, kinds[i]));
  g_string_append (body, "</select></label>");
  form_input (body, T (request, "Số vụ việc", "Case number"), "case", "text");
  form_input (body, T (request, "Câu hỏi", "Question"), "question", "text");
  form_input (body, T (request, "Giữ đến ngày", "Hold until"), "until", "date");
  g_string_append_printf (body,
                          "<label>%s <select name=\"to\" id=\"i-to\"><option value=\"sender\">%s"
                          "</option><option value=\"delivery\">%s</option></select></label>",
                          T (request, "Giải toả", "Release"),
                          T (request, "Trả người gửi", "Return to sender"),
                          T (request, "Cho phát", "Accept for delivery"));
  form_input (body, T (request, "Số lệnh thu giữ", "Seizure order"), "order", "text");
  form_input (body, T (request, "Số phê chuẩn của VKS", "Procuracy's approval"), "approval",
              "text");
  g_string_append_printf (body,
                          "<label>%s <input type=\"checkbox\" name=\"urgent\" id=\"i-urgent\" "
                          "value=\"1\"></label>",
                          T (request, "Khẩn cấp", "Urgent"));
  form_input (body, T (request, "Lý do khẩn cấp", "Reason of urgency"), "reason", "text");
  form_input (body, T (request, "Cán bộ nhận (họ tên)", "Collecting officer"), "collector_name",
              "text");
  form_input (body, T (request, "Đơn vị", "Unit"), "collector_unit", "text");
  form_input (body, T (request, "Số hiệu", "Badge"), "collector_badge", "text");
  form_input (body, T (request, "Chỉ thị bị huỷ (mã)", "Instruction to cancel (id)"), "instruction",
              "text");
  form_input (body, T (request, "Thời hạn", "Deadline"), "due", "datetime-local");
  g_string_append_printf (body, "<button id=\"i-send\" type=\"submit\">%s</button></form>",
                          T (request, "Gửi chỉ thị", "Send"));
}

void
web_instruct (Request *request)
{
  const char *counter_id, *report_id;
  const char *kind = request->form != NULL ? g_hash_table_lookup (request->form, "kind") : NULL;
  if (!web_report_key (request, &counter_id, &report_id))
    return;
  if (needs_commander (kind) && !is_commander (request))
    {
      web_error_page (request, SOUP_STATUS_FORBIDDEN,
                      T (request, "Thu giữ, giải toả, kết thúc và huỷ chỉ thị cần quyền chỉ huy.",
                         "Seizing, releasing, closing and cancelling need a commander."));
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *id =
      ps_hub_issue_instruction (request->config, request->conn, request->user_id, counter_id,
                                report_id, kind, request->form, &error);
  if (id == NULL)
    {
      g_autofree char *message =
          request->english ? g_strdup_printf ("The instruction was not sent: %s.", error->message)
                           : g_strdup_printf ("Chưa gửi được chỉ thị: %s.", error->message);
      web_error_page (request, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  web_log_access (request, "issue-instruction", counter_id, report_id, NULL);
  g_autofree char *back = g_strdup_printf ("/report?counter=%s&id=%s", counter_id, report_id);
  web_redirect (request, back);
}

void
web_instructions_page (Request *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) rows = ps_hub_db_exec (
      request->conn, &error,
      INSTRUCTION_COLUMNS "WHERE i.state IN ('sent', 'received') "
                          "ORDER BY (i.due IS NOT NULL AND i.due < now ()) DESC, i.due NULLS LAST, "
                          "i.issued",
      0, NULL);
  if (rows == NULL)
    {
      web_unavailable (request, error);
      return;
    }
  g_autoptr (GString) body = g_string_new (NULL);
  if (PQntuples (rows) == 0)
    g_string_append_printf (body, "<p class=\"notice\">%s</p>",
                            T (request, "Không có chỉ thị nào đang mở.", "No open instruction."));
  else
    {
      g_string_append_printf (
          body,
          "<table id=\"open-instructions\"><tr><th>#</th><th>%s</th><th>%s</th><th>%s</th>"
          "<th>%s</th><th>%s</th><th>%s</th></tr>",
          T (request, "Bưu cục / quầy", "Office / counter"), T (request, "Bưu gửi", "Parcel"),
          T (request, "Loại", "Kind"), T (request, "Nội dung", "What"),
          T (request, "Thời hạn", "Deadline"), T (request, "Trạng thái", "State"));
      instruction_rows (request, body, rows, TRUE);
      g_string_append (body, "</table>");
    }
  web_page (request, SOUP_STATUS_OK, T (request, "Chỉ thị đang mở", "Open instructions"),
            body->str);
}
