/* ps-hub-web-pages.c — the police's pages: held parcels with their filters,
 * a report, the counters, a day's summary (ps-hub-web.c serves them). */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "ps-hub-web.h"

const char *
web_field (Request *request, const char *name)
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
  web_put (out, value);
  g_string_append (out, "\"></label>");
}

void
web_reports_page (Request *request)
{
  const char *from = web_field (request, "from");
  const char *to = web_field (request, "to");
  const char *office = web_field (request, "office");
  const char *counter = web_field (request, "counter");
  const char *status = web_field (request, "status");
  const char *reason = web_field (request, "reason");
  const char *tracking = web_field (request, "tracking");
  const char *sender = web_field (request, "sender_id");
  guint64 page_number = 1;
  const char *page_text = web_field (request, "page");
  if (page_text != NULL)
    g_ascii_string_to_unsigned (page_text, 10, 1, 100000, &page_number, NULL);
  g_autoptr (GString) body = g_string_new (NULL);
  if ((from != NULL && !web_valid_day (from)) || (to != NULL && !web_valid_day (to)))
    {
      g_string_append_printf (
          body, "<p class=\"error\">%s</p>",
          T (request, "Ngày phải có dạng NNNN-TT-NN.", "A day is written YYYY-MM-DD."));
      from = web_valid_day (from) ? from : NULL;
      to = web_valid_day (to) ? to : NULL;
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
      web_unavailable (request, error);
      return;
    }
  /* A search by a person's ID number is recorded before its answer. */
  if (sender != NULL && !web_log_access (request, "search-by-sender-id", NULL, NULL, &error))
    {
      web_unavailable (request, error);
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
                            web_status_text (request, statuses[i]));
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
      web_put (body, item->id);
      g_string_append_printf (body, "\"%s>",
                              reason != NULL && strcmp (reason, item->id) == 0 ? " selected" : "");
      web_put (body, request->english ? item->text_en : item->text_vi);
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
          g_autofree char *when = web_local_time (PQgetvalue (rows, i, 6));
          g_string_append_printf (body,
                                  "<tr><td>%s</td><td><a href=\"/report?counter=%s&amp;id=%s\">",
                                  when, PQgetvalue (rows, i, 0), PQgetvalue (rows, i, 1));
          web_put (body, PQgetvalue (rows, i, 4));
          g_string_append (body, "</a>");
          if (strcmp (PQgetvalue (rows, i, 9), "t") == 0)
            g_string_append_printf (body, " <span class=\"muted\">(%s)</span>",
                                    T (request, "mô phỏng", "simulation"));
          g_string_append (body, "</td><td>");
          web_put (body, PQgetvalue (rows, i, 2));
          g_string_append (body, " / ");
          web_put (body, PQgetvalue (rows, i, 3));
          g_string_append_printf (body, "</td><td>%s</td><td>",
                                  web_status_text (request, PQgetvalue (rows, i, 5)));
          g_autofree char *words = ps_reasons_describe (request->config->reasons, PS_REASON_HOLD,
                                                        PQgetvalue (rows, i, 7), !request->english);
          web_put (body, words);
          g_string_append (body, "</td><td>");
          web_put (body, PQgetvalue (rows, i, 8));
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
  web_page (request, SOUP_STATUS_OK, T (request, "Bưu gửi bị giữ", "Held parcels"), body->str);
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

/* The array member @name of @object, or NULL (a document is checked when it
 * comes in, but a page never trusts its shape). */
static JsonArray *
member_array (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Element @index of @array if it is an object, else NULL. */
static JsonObject *
element_object (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
row (GString *out, const char *label, const char *value)
{
  g_string_append_printf (out, "<dt>%s</dt><dd>", label);
  web_put (out, value != NULL ? value : "—");
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

gboolean
web_report_key (Request *request, const char **counter_id, const char **report_id)
{
  guint64 number = 0;
  *counter_id = web_field (request, "counter");
  *report_id = web_field (request, "id");
  if (*counter_id != NULL && *report_id != NULL &&
      g_ascii_string_to_unsigned (*counter_id, 10, 1, G_MAXINT64, &number, NULL) &&
      g_ascii_string_to_unsigned (*report_id, 10, 1, G_MAXINT64, &number, NULL))
    return TRUE;
  web_error_page (request, SOUP_STATUS_NOT_FOUND,
                  T (request, "Không có báo cáo này.", "No such report."));
  return FALSE;
}

void
web_report_page (Request *request)
{
  const char *counter_id, *report_id;
  if (!web_report_key (request, &counter_id, &report_id))
    return;
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
      web_unavailable (request, error);
      return;
    }
  if (PQntuples (found) != 1)
    {
      web_error_page (request, SOUP_STATUS_NOT_FOUND,
                      T (request, "Không có báo cáo này.", "No such report."));
      return;
    }
  /* Who looked at which report, recorded before it is shown. */
  if (!web_log_access (request, "view-report", counter_id, report_id, &error))
    {
      web_unavailable (request, error);
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
  row (body, T (request, "Trạng thái", "Status"),
       web_status_text (request, PQgetvalue (found, 0, 7)));
  g_autofree char *decided = web_local_time (member_string (parcel, "decided"));
  row (body, T (request, "Thời điểm giữ", "Held at"), decided);
  row (body, T (request, "Nhân viên", "Clerk"), member_string (parcel, "clerk_name"));
  g_autofree char *held_for = ps_reasons_describe (request->config->reasons, PS_REASON_HOLD,
                                                   PQgetvalue (found, 0, 9), !request->english);
  row (body, T (request, "Lý do giữ", "Held for"), held_for);
  row (body, T (request, "Ghi chú", "Note"), member_string (parcel, "note"));
  g_autofree char *received = web_local_time (PQgetvalue (found, 0, 6));
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
  JsonArray *inspection = member_array (parcel, "inspection");
  for (guint i = 0; inspection != NULL && i < json_array_get_length (inspection); i++)
    {
      JsonObject *answer = element_object (inspection, i);
      g_string_append (body, "<tr><td>");
      web_put (body, member_string (answer, request->english ? "text_en" : "text_vi"));
      g_string_append (body, "</td><td>");
      web_put (body, member_string (answer, "answer"));
      g_string_append (body, "</td></tr>");
    }
  g_string_append (body, "</table>");

  JsonObject *risk = member_object (parcel, "risk");
  g_string_append_printf (body, "<h2>%s</h2><ul id=\"reasons\">",
                          T (request, "Lý do rủi ro", "Risk reasons"));
  JsonArray *reasons = member_array (risk, "reasons");
  for (guint i = 0; reasons != NULL && i < json_array_get_length (reasons); i++)
    {
      g_string_append (body, "<li>");
      web_put (body, member_string (element_object (reasons, i),
                                    request->english ? "reason_en" : "reason_vi"));
      g_string_append (body, "</li>");
    }
  g_string_append (body, "</ul>");

  g_autoptr (PGresult) events = ps_hub_db_exec (
      request->conn, &error,
      "SELECT kind, time, actor, note, officer ->> 'name', officer ->> 'unit', "
      "officer ->> 'badge', instruction, override FROM custody_events WHERE counter_id = $1 "
      "AND report_id = $2 ORDER BY time, event_id",
      2, params);
  if (events == NULL)
    {
      web_unavailable (request, error);
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
      g_autofree char *when = web_local_time (PQgetvalue (events, i, 1));
      g_string_append_printf (body, "<tr><td>%s</td><td>", when);
      web_put (body, web_event_text (request, PQgetvalue (events, i, 0)));
      g_string_append (body, "</td><td>");
      web_put (body, PQgetvalue (events, i, 2));
      g_string_append (body, "</td><td>");
      web_put (body, PQgetvalue (events, i, 3));
      if (!PQgetisnull (events, i, 4))
        {
          g_string_append (body, " — ");
          web_put (body, PQgetvalue (events, i, 4));
          g_string_append (body, ", ");
          web_put (body, PQgetvalue (events, i, 5));
          g_string_append (body, ", ");
          web_put (body, PQgetvalue (events, i, 6));
        }
      if (!PQgetisnull (events, i, 7))
        {
          g_string_append_printf (body, "<br><span class=\"muted\">%s <code>",
                                  T (request, "theo chỉ thị", "under instruction"));
          web_put (body, PQgetvalue (events, i, 7));
          g_string_append (body, "</code></span>");
        }
      if (!PQgetisnull (events, i, 8))
        {
          /* Acted without an instruction: the police must see it. */
          g_string_append_printf (
              body, "<br><span class=\"flag\">%s: ",
              T (request, "KHÔNG CÓ CHỈ THỊ, lý do", "WITHOUT INSTRUCTION, reason"));
          web_put (body, PQgetvalue (events, i, 8));
          g_string_append (body, "</span>");
        }
      g_string_append (body, "</td></tr>");
    }
  g_string_append (body, "</table>");
  g_autofree char *title = g_strdup_printf (
      "%s %s", T (request, "Báo cáo", "Report"),
      member_string (parcel, "tracking") != NULL ? member_string (parcel, "tracking") : report_id);
  web_report_instructions (request, body, counter_id, report_id);
  web_page (request, SOUP_STATUS_OK, title, body->str);
}

void
web_counters_page (Request *request)
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
      web_unavailable (request, error);
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
      g_autofree char *seen = web_local_time (PQgetvalue (rows, i, 3));
      g_string_append (body, "<tr><td>");
      web_put (body, PQgetvalue (rows, i, 0));
      g_string_append (body, " / ");
      web_put (body, PQgetvalue (rows, i, 1));
      g_string_append_printf (body, "</td><td>%s</td><td>%s</td><td>",
                              strcmp (PQgetvalue (rows, i, 2), "active") == 0
                                  ? T (request, "Hoạt động", "Active")
                                  : T (request, "Đã thu hồi", "Revoked"),
                              seen);
      if (!PQgetisnull (rows, i, 4))
        g_string_append_printf (body, "%s · <code>%.12s</code>", PQgetvalue (rows, i, 4),
                                PQgetvalue (rows, i, 5));
      g_string_append_printf (body, "</td><td>%s</td><td class=\"flag\">", PQgetvalue (rows, i, 6));
      web_put (body, PQgetisnull (rows, i, 7) ? "" : PQgetvalue (rows, i, 7));
      g_string_append (body, "</td></tr>");
    }
  g_string_append (body, "</table>");
  web_page (request, SOUP_STATUS_OK, T (request, "Các quầy", "Counters"), body->str);
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
      web_put (out, label);
      g_string_append_printf (out,
                              "</text><rect x=\"220\" y=\"%d\" width=\"%d\" height=\"16\" "
                              "fill=\"#1f3b5a\"/><text x=\"%d\" y=\"%d\">%ld</text>",
                              24 * i + 5, MAX (width, 1), 226 + width, 24 * i + 18, count);
    }
  g_string_append (out, "</svg>");
}

void
web_summary_page (Request *request)
{
  g_autofree char *fallback = web_today ();
  const char *day = web_field (request, "day");
  if (day == NULL || !web_valid_day (day))
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
      web_unavailable (request, error);
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
  web_page (request, SOUP_STATUS_OK, T (request, "Tổng hợp ngày", "Day summary"), body->str);
}
