/* ps-export.c — the nightly export for the police liaison officer.
 *
 * For one day (Vietnam time), every report with its parcel, inspection
 * answers, risk reasons and custody events, in three files — reports.csv
 * (UTF-8 with a byte-order mark, so that a spreadsheet shows Vietnamese
 * right), reports.json, summary.pdf — and manifest.json: the SHA-256 and size
 * of each file, the counts, and the audit-chain head at the end of that day,
 * signed with the counter's Ed25519 key in manifest.sig. Nothing in them
 * depends on when the export runs, so the same day exported twice gives the
 * same bytes. Every file is written to a temporary name, synced, renamed.
 * Optionally each data file is sealed to the liaison's public key
 * (libsodium's sealed box): FILE.sealed replaces FILE, and the manifest lists
 * what is delivered.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-data-files.h"
#include "parcelscreen/ps-error.h"
#include "ps-export.h"
#include "ps-pdf.h"
#include "parcelscreen/ps-reasons.h"
#include "ps-store-json.h"
#include "parcelscreen/ps-text.h"
#include "parcelscreen/ps-weight.h"

#define EXPORT_SCHEMA "parcelscreen.export/1"
#define DAY_LIMIT     1000000

/* ---- Files --------------------------------------------------------------------- */

static gboolean
sync_directory (const char *directory, GError **error)
{
  int fd = g_open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_IO, _ ("Cannot sync %s: %s"), directory,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Writes @data to @directory/@name, readable by the counter's user only: a
 * new temporary file of our own (never through a link planted in the
 * folder), synced, renamed over whatever had the name. */
static gboolean
write_atomically (const char *directory, const char *name, const void *data, gsize len,
                  GError **error)
{
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autoptr (GError) local_error = NULL;
  if (g_file_set_contents_full (path, data, (gssize) len,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                &local_error))
    return TRUE;
  g_set_error (error, PS_ERROR,
               g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                   ? PS_ERROR_STORAGE_FULL
                   : PS_ERROR_STORAGE_IO,
               _ ("Cannot write %s: %s"), path, local_error->message);
  return FALSE;
}

/* ---- CSV ------------------------------------------------------------------------ */

static void
csv_field (GString *out, const char *value, gboolean last)
{
  const char *text = value != NULL ? value : "";
  /* A cell a spreadsheet would take for a formula is kept as text: a leading
   * apostrophe, as the OWASP advice on CSV injection has it. */
  g_autofree char *guarded = NULL;
  if (text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    text = guarded = g_strconcat ("'", text, NULL);
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

static void
csv_int (GString *out, gint64 value)
{
  g_string_append_printf (out, "%lld,", (long long) value);
}

static const char *const csv_columns[] = {
  "report_id",        "report_status",   "tracking",
  "decided_at",       "clerk",           "sender_name",
  "sender_id_number", "sender_phone",    "sender_address",
  "recipient_name",   "recipient_phone", "recipient_address",
  "country",          "weight_grams",    "weight_source",
  "category",         "contents",        "quantity",
  "value_vnd",        "hold_reasons",    "hold_reasons_vi",
  "hold_reasons_en",  "decided_local",   "note",
  "risk_score",       "risk_reasons",    "failed_inspection_items",
  "custody_events",
};

/* A time as the liaison reads it: Vietnam's (UTC+7), to the minute. */
static char *
local_time (gint64 time_us)
{
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) utc =
      time_us > 0 ? g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, vietnam) : NULL;
  return local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M") : g_strdup ("—");
}

/* A report's status in both languages, for the liaison's summary. */
static const char *
status_words (PsReportStatus status)
{
  switch (status)
    {
      case PS_REPORT_OPEN:
        return "Mới / Open";
      case PS_REPORT_ASSESSED:
        return "Đã đánh giá / Assessed";
      case PS_REPORT_HANDED_OVER:
        return "Đã bàn giao công an / Handed over to the police";
      case PS_REPORT_RELEASED:
        return "Đã trả lại / Released";
      case PS_REPORT_CLOSED:
        return "Đã đóng / Closed";
    }
  return "—";
}

static void
csv_row (GString *out, const PsParcelDetail *detail, const PsReasons *reasons_file)
{
  g_autofree char *decided = ps_time_to_iso (detail->decided_us);
  g_autofree char *decided_local = local_time (detail->decided_us);
  g_autofree char *held_vi =
      ps_reasons_describe (reasons_file, PS_REASON_HOLD, detail->hold_reasons, TRUE);
  g_autofree char *held_en =
      ps_reasons_describe (reasons_file, PS_REASON_HOLD, detail->hold_reasons, FALSE);
  g_autofree char *grams =
      detail->has_weight ? g_strdup_printf ("%lld.%03lld", (long long) (detail->weight_mg / 1000),
                                            (long long) (detail->weight_mg % 1000))
                         : g_strdup ("");
  GString *reasons = g_string_new (NULL);
  for (guint i = 0; i < detail->hits->len; i++)
    {
      const PsRiskHit *hit = g_ptr_array_index (detail->hits, i);
      g_string_append_printf (reasons, "%s%s (+%u)", i > 0 ? "; " : "", hit->reason_vi, hit->score);
    }
  GString *failed = g_string_new (NULL);
  for (guint i = 0; i < detail->answers->len; i++)
    {
      const PsAnswerRecord *answer = g_ptr_array_index (detail->answers, i);
      if (answer->answer != answer->passes)
        g_string_append_printf (failed, "%s%s", failed->len > 0 ? "; " : "", answer->item_id);
    }
  GString *custody = g_string_new (NULL);
  for (guint i = 0; i < detail->custody->len; i++)
    {
      const PsCustodyRecord *event = g_ptr_array_index (detail->custody, i);
      g_autofree char *when = ps_time_to_iso (event->time_us);
      g_string_append_printf (custody, "%s%s %s %s", i > 0 ? "; " : "", when,
                              ps_custody_kind_to_id (event->kind), event->actor_login);
      if (event->officer_name != NULL)
        g_string_append_printf (custody, " (%s, %s, %s)", event->officer_name, event->officer_unit,
                                event->officer_badge);
    }

  csv_int (out, detail->report_id);
  csv_field (out, ps_report_status_to_id (detail->report_status), FALSE);
  csv_field (out, detail->tracking, FALSE);
  csv_field (out, decided, FALSE);
  csv_field (out, detail->clerk_login, FALSE);
  csv_field (out, detail->sender_name, FALSE);
  csv_field (out, detail->sender_id, FALSE);
  csv_field (out, detail->sender_phone, FALSE);
  csv_field (out, detail->sender_address, FALSE);
  csv_field (out, detail->recipient_name, FALSE);
  csv_field (out, detail->recipient_phone, FALSE);
  csv_field (out, detail->recipient_address, FALSE);
  csv_field (out, detail->destination_country, FALSE);
  csv_field (out, grams, FALSE);
  csv_field (out, detail->weight_source, FALSE);
  csv_field (out, detail->category, FALSE);
  csv_field (out, detail->description, FALSE);
  csv_int (out, detail->quantity);
  csv_int (out, detail->value_vnd);
  csv_field (out, detail->hold_reasons, FALSE);
  csv_field (out, held_vi, FALSE);
  csv_field (out, held_en, FALSE);
  csv_field (out, decided_local, FALSE);
  csv_field (out, detail->decision_note, FALSE);
  csv_int (out, detail->risk_score);
  csv_field (out, reasons->str, FALSE);
  csv_field (out, failed->str, FALSE);
  csv_field (out, custody->str, TRUE);
  g_string_free (reasons, TRUE);
  g_string_free (failed, TRUE);
  g_string_free (custody, TRUE);
}

/* ---- PDF -------------------------------------------------------------------------- */

/* Counts @details by status and by hold reason (words, both languages). */
static void
count_reports (GPtrArray *details, const PsReasons *reasons, GPtrArray *status_labels,
               GArray *status_counts, GPtrArray *reason_labels, GArray *reason_counts)
{
  guint by_status[PS_REPORT_CLOSED + 1] = { 0 };
  g_autoptr (GHashTable) by_reason = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < details->len; i++)
    {
      const PsParcelDetail *detail = g_ptr_array_index (details, i);
      if ((guint) detail->report_status <= PS_REPORT_CLOSED)
        by_status[detail->report_status]++;
      g_auto (GStrv) codes =
          g_strsplit (detail->hold_reasons != NULL ? detail->hold_reasons : "", ",", -1);
      for (guint c = 0; codes[c] != NULL; c++)
        {
          if (*codes[c] == '\0')
            continue;
          gpointer seen = NULL;
          if (!g_hash_table_lookup_extended (by_reason, codes[c], NULL, &seen))
            g_ptr_array_add (order, g_strdup (codes[c]));
          g_hash_table_replace (by_reason, g_strdup (codes[c]),
                                GUINT_TO_POINTER (GPOINTER_TO_UINT (seen) + 1));
        }
    }
  for (guint s = 0; s <= PS_REPORT_CLOSED; s++)
    if (by_status[s] > 0)
      {
        g_ptr_array_add (status_labels, g_strdup (status_words ((PsReportStatus) s)));
        g_array_append_val (status_counts, by_status[s]);
      }
  for (guint i = 0; i < order->len; i++)
    {
      const char *code = g_ptr_array_index (order, i);
      const PsReason *reason = ps_reasons_find (reasons, PS_REASON_HOLD, code);
      g_ptr_array_add (reason_labels, reason != NULL ? g_strdup_printf ("%s / %s", reason->text_vi,
                                                                        reason->text_en)
                                                     : g_strdup (code));
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (by_reason, code));
      g_array_append_val (reason_counts, count);
    }
}

/* The liaison's summary: a first page with the day's counts by status and by
 * reason (bars), then one block per report, times in Vietnam's. */
static GBytes *
summary_pdf (const char *day, const PsCounterIdentity *counter, GPtrArray *details,
             const PsReasons *reasons, GError **error)
{
  g_autofree char *title =
      g_strdup_printf ("ParcelScreen %s %s/%s", day, counter->office_code, counter->counter_id);
  /* The day itself, not the time of the export: the same day, the same bytes. */
  g_autofree char *date = g_strdup_printf ("%sT23:59:59+07:00", day);
  PsPdfWriter *page = ps_pdf_writer_new (title, date);

  /* "dd/mm/yyyy", as the heading reads. */
  g_autofree char *shown_day = g_strdup_printf ("%.2s/%.2s/%.4s", day + 8, day + 5, day);
  g_autofree char *heading = g_strdup_printf (
      "BÁO CÁO BƯU GỬI TẠM GIỮ NGÀY %s\nHeld-parcel reports of %s", shown_day, shown_day);
  ps_pdf_writer_text (page, "Sans Bold 14", heading);
  g_autofree char *who = g_strdup_printf (
      "Bưu cục / post office %s — quầy / counter %s\nGiờ Việt Nam (UTC+7) / Vietnam time\n"
      "Tổng số báo cáo / reports: %u",
      counter->office_code, counter->counter_id, details->len);
  ps_pdf_writer_text (page, "Sans 10", who);
  ps_pdf_writer_skip (page, 10);

  g_autoptr (GPtrArray) status_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) reason_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) status_counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) reason_counts = g_array_new (FALSE, FALSE, sizeof (guint));
  count_reports (details, reasons, status_labels, status_counts, reason_labels, reason_counts);
  if (details->len == 0)
    ps_pdf_writer_text (page, "Sans 11", "Không có bưu gửi nào bị tạm giữ. / No parcel was held.");
  else
    {
      ps_pdf_writer_bars (page, "Theo tình trạng / by status", status_labels, status_counts);
      ps_pdf_writer_bars (page, "Theo lý do / by reason", reason_labels, reason_counts);
    }

  for (guint i = 0; i < details->len; i++)
    {
      if (i == 0)
        ps_pdf_writer_end_page (page);
      const PsParcelDetail *detail = g_ptr_array_index (details, i);
      g_autofree char *decided = local_time (detail->decided_us);
      g_autofree char *weight =
          detail->has_weight ? ps_weight_format (detail->weight_mg) : g_strdup ("—");
      g_autofree char *held_vi =
          ps_reasons_describe (reasons, PS_REASON_HOLD, detail->hold_reasons, TRUE);
      g_autofree char *held_en =
          ps_reasons_describe (reasons, PS_REASON_HOLD, detail->hold_reasons, FALSE);
      GString *text = g_string_new (NULL);
      g_string_append_printf (text, "%u. %s — %s — %s\n", i + 1, detail->tracking,
                              status_words (detail->report_status), decided);
      g_string_append_printf (text, "Lý do / reasons: %s / %s; điểm rủi ro / risk %u\n",
                              *held_vi != '\0' ? held_vi : "—", *held_en != '\0' ? held_en : "—",
                              detail->risk_score);
      g_string_append_printf (text, "Người gửi / sender: %s, %s\n",
                              detail->sender_name != NULL ? detail->sender_name : "—",
                              detail->sender_id != NULL ? detail->sender_id : "—");
      g_string_append_printf (text, "Người nhận / recipient: %s, %s\n",
                              detail->recipient_name != NULL ? detail->recipient_name : "—",
                              detail->recipient_address != NULL ? detail->recipient_address : "—");
      g_string_append_printf (text, "Khối lượng / weight: %s; khai báo / declared: %s\n", weight,
                              detail->description != NULL ? detail->description : "—");
      for (guint j = 0; j < detail->custody->len; j++)
        {
          const PsCustodyRecord *event = g_ptr_array_index (detail->custody, j);
          g_autofree char *when = local_time (event->time_us);
          g_string_append_printf (text, "  · %s %s (%s)%s%s\n", when,
                                  ps_custody_kind_to_id (event->kind), event->actor_login,
                                  event->officer_name != NULL ? " — " : "",
                                  event->officer_name != NULL ? event->officer_name : "");
        }
      ps_pdf_writer_text (page, "Sans 9", g_strstrip (text->str));
      g_string_free (text, TRUE);
      ps_pdf_writer_skip (page, 8);
    }
  return ps_pdf_writer_finish (page, error);
}

/* ---- The export ------------------------------------------------------------------- */

static gboolean
valid_day (const char *day, gint64 *end_us)
{
  /* Exactly YYYY-MM-DD: no spaces, no signs, no short fields. */
  static const char pattern[] = "dddd-dd-dd";
  if (day == NULL || strlen (day) != strlen (pattern))
    return FALSE;
  for (guint i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (day[i]) : day[i] != pattern[i])
      return FALSE;
  int year = atoi (day), month = atoi (day + 5), date = atoi (day + 8);
  if (year < 2000 || year > 2999)
    return FALSE;
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) start = g_date_time_new (vietnam, year, month, date, 0, 0, 0);
  g_autoptr (GDateTime) end = start != NULL ? g_date_time_add_days (start, 1) : NULL;
  if (end == NULL)
    return FALSE;
  *end_us = g_date_time_to_unix (end) * G_USEC_PER_SEC;
  return TRUE;
}

/* An office code or counter number that can name a folder: letters, digits,
 * '-' and '_', not starting with a punctuation mark ("/" and ".." never
 * take an export outside its folder). */
static gboolean
valid_name_part (const char *text)
{
  if (text == NULL || !g_ascii_isalnum (text[0]) || strlen (text) > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
add_file (JsonBuilder *builder, const char *name, const void *data, gsize len)
{
  g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, digest);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) len);
  json_builder_end_object (builder);
}

static char *
to_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  g_autofree char *text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

char *
ps_export_day (PsStore *store, const char *day, const char *out_dir, const PsSigningKey *key,
               const PsCounterIdentity *counter, const PsReasons *reasons, const char *seal_to,
               GError **error)
{
  g_return_val_if_fail (store != NULL && out_dir != NULL && key != NULL && counter != NULL, NULL);
  g_return_val_if_fail (reasons != NULL, NULL);

  gint64 end_us;
  if (!valid_day (day, &end_us))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                   _ ("‘%s’ is not a day; write it as 2026-11-28."), day != NULL ? day : "");
      return NULL;
    }
  if (ps_store_is_training (store))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_NOT_ALLOWED,
                   _ ("This is a training database: nothing from it is ever exported."));
      return NULL;
    }
  guint8 liaison[crypto_box_PUBLICKEYBYTES];
  if (seal_to != NULL)
    {
      guint8 signing_public[32];
      if (sodium_init () < 0 || !ps_public_key_load (seal_to, signing_public, error))
        return NULL;
      if (crypto_sign_ed25519_pk_to_curve25519 (liaison, signing_public) != 0)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_INVALID_INPUT,
                       _ ("%s cannot be used to seal files."), seal_to);
          return NULL;
        }
    }

  /* The day's reports, in order, read in one transaction: a consistent view. */
  if (!ps_store_begin_batch (store, error))
    return NULL;
  g_autoptr (GPtrArray) parcels = ps_store_list_day (store, day, DAY_LIMIT, 0, error);
  g_autoptr (GPtrArray) details =
      g_ptr_array_new_with_free_func ((GDestroyNotify) ps_parcel_detail_free);
  gint64 seq = 0;
  g_autofree char *head = NULL;
  gboolean ok = parcels != NULL;
  for (guint i = 0; ok && i < parcels->len; i++)
    {
      const PsParcelSummary *parcel = g_ptr_array_index (parcels, i);
      if (parcel->report_id == 0)
        continue;
      PsParcelDetail *detail = ps_store_get_parcel (store, parcel->parcel_id, error);
      ok = detail != NULL;
      if (ok)
        g_ptr_array_add (details, detail);
    }
  ok = ok && ps_store_audit_head_before (store, end_us, &seq, &head, error);
  g_autoptr (GError) end_error = NULL;
  ps_store_end_batch (store, ok ? error : &end_error);
  if (!ok)
    return NULL;

  /* JSON */
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, EXPORT_SCHEMA);
  json_builder_set_member_name (builder, "day");
  json_builder_add_string_value (builder, day);
  json_builder_set_member_name (builder, "office");
  json_builder_add_string_value (builder, counter->office_code);
  json_builder_set_member_name (builder, "counter");
  json_builder_add_string_value (builder, counter->counter_id);
  json_builder_set_member_name (builder, "reports");
  json_builder_begin_array (builder);
  for (guint i = 0; i < details->len; i++)
    {
      const PsParcelDetail *detail = g_ptr_array_index (details, i);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "report_id");
      json_builder_add_int_value (builder, detail->report_id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, ps_report_status_to_id (detail->report_status));
      /* The codes, and the words a person reads. */
      json_builder_set_member_name (builder, "hold_reasons");
      json_builder_begin_array (builder);
      g_auto (GStrv) codes =
          g_strsplit (detail->hold_reasons != NULL ? detail->hold_reasons : "", ",", -1);
      for (guint c = 0; codes[c] != NULL; c++)
        {
          if (*codes[c] == '\0')
            continue;
          const PsReason *reason = ps_reasons_find (reasons, PS_REASON_HOLD, codes[c]);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, codes[c]);
          json_builder_set_member_name (builder, "vi");
          json_builder_add_string_value (builder, reason != NULL ? reason->text_vi : codes[c]);
          json_builder_set_member_name (builder, "en");
          json_builder_add_string_value (builder, reason != NULL ? reason->text_en : codes[c]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "parcel");
      ps_parcel_detail_to_json (builder, detail);
      json_builder_set_member_name (builder, "custody");
      json_builder_begin_array (builder);
      for (guint j = 0; j < detail->custody->len; j++)
        {
          const PsCustodyRecord *event = g_ptr_array_index (detail->custody, j);
          g_autofree char *when = ps_time_to_iso (event->time_us);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, ps_custody_kind_to_id (event->kind));
          json_builder_set_member_name (builder, "time");
          json_builder_add_string_value (builder, when);
          json_builder_set_member_name (builder, "actor");
          json_builder_add_string_value (builder, event->actor_login);
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, event->note != NULL ? event->note : "");
          if (event->officer_name != NULL)
            {
              g_autofree char *handed = ps_time_to_iso (event->handover_us);
              json_builder_set_member_name (builder, "officer");
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, event->officer_name);
              json_builder_set_member_name (builder, "unit");
              json_builder_add_string_value (builder, event->officer_unit);
              json_builder_set_member_name (builder, "badge");
              json_builder_add_string_value (builder, event->officer_badge);
              json_builder_set_member_name (builder, "time");
              json_builder_add_string_value (builder, handed);
              json_builder_end_object (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  g_autofree char *json = to_json (builder);

  /* CSV */
  GString *csv = g_string_new ("\xEF\xBB\xBF");
  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    csv_field (csv, csv_columns[i], i + 1 == G_N_ELEMENTS (csv_columns));
  for (guint i = 0; i < details->len; i++)
    csv_row (csv, g_ptr_array_index (details, i), reasons);
  g_autofree char *csv_text = g_string_free (csv, FALSE);

  g_autoptr (GBytes) pdf = summary_pdf (day, counter, details, reasons, error);
  if (pdf == NULL)
    return NULL;

  /* The folder, then the files, then the signed manifest last. */
  if (!valid_name_part (counter->office_code) || !valid_name_part (counter->counter_id))
    {
      g_set_error (error, PS_ERROR, PS_ERROR_CONFIG,
                   _ ("The office code and counter number ([counter] office-code, counter-id) "
                      "must be set, of letters, digits, ‘-’ and ‘_’, to name an export."));
      return NULL;
    }
  g_autofree char *folder_name =
      g_strdup_printf ("parcelscreen-%s-%s-%s", counter->office_code, counter->counter_id, day);
  g_autofree char *folder = g_build_filename (out_dir, folder_name, NULL);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_IO, _ ("Cannot create the folder %s: %s"),
                   folder, g_strerror (errno));
      return NULL;
    }
  struct
  {
    const char *name;
    const void *data;
    gsize len;
  } files[] = {
    { "reports.csv", csv_text, strlen (csv_text) },
    { "reports.json", json, strlen (json) },
    { "summary.pdf", g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf) },
  };

  g_autoptr (JsonBuilder) manifest = json_builder_new ();
  json_builder_begin_object (manifest);
  json_builder_set_member_name (manifest, "schema");
  json_builder_add_string_value (manifest, EXPORT_SCHEMA);
  json_builder_set_member_name (manifest, "day");
  json_builder_add_string_value (manifest, day);
  json_builder_set_member_name (manifest, "office");
  json_builder_add_string_value (manifest, counter->office_code);
  json_builder_set_member_name (manifest, "counter");
  json_builder_add_string_value (manifest, counter->counter_id);
  json_builder_set_member_name (manifest, "public_key");
  json_builder_add_string_value (manifest, ps_signing_key_public (key));
  json_builder_set_member_name (manifest, "sealed");
  json_builder_add_boolean_value (manifest, seal_to != NULL);
  json_builder_set_member_name (manifest, "reports");
  json_builder_add_int_value (manifest, details->len);
  json_builder_set_member_name (manifest, "audit_head");
  json_builder_begin_object (manifest);
  json_builder_set_member_name (manifest, "seq");
  json_builder_add_int_value (manifest, seq);
  json_builder_set_member_name (manifest, "hash");
  json_builder_add_string_value (manifest, head);
  json_builder_end_object (manifest);
  json_builder_set_member_name (manifest, "files");
  json_builder_begin_array (manifest);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      if (seal_to == NULL)
        {
          if (!write_atomically (folder, files[i].name, files[i].data, files[i].len, error))
            return NULL;
          add_file (manifest, files[i].name, files[i].data, files[i].len);
          continue;
        }
      gsize sealed_len = files[i].len + crypto_box_SEALBYTES;
      g_autofree guint8 *sealed = g_malloc (sealed_len);
      crypto_box_seal (sealed, files[i].data, files[i].len, liaison);
      g_autofree char *name = g_strdup_printf ("%s.sealed", files[i].name);
      if (!write_atomically (folder, name, sealed, sealed_len, error))
        return NULL;
      add_file (manifest, name, sealed, sealed_len);
    }
  json_builder_end_array (manifest);
  json_builder_end_object (manifest);
  g_autofree char *manifest_text = to_json (manifest);
  g_autofree char *signature = ps_signing_key_sign (key, manifest_text, strlen (manifest_text));
  g_autofree char *signature_line = g_strconcat (signature, "\n", NULL);
  if (!write_atomically (folder, "manifest.json", manifest_text, strlen (manifest_text), error) ||
      !write_atomically (folder, "manifest.sig", signature_line, strlen (signature_line), error))
    return NULL;
  /* An earlier export of the day in the other form (plain, or sealed) would
   * be left beside this one: the plaintext of a sealed re-export above all. */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *other = seal_to != NULL
                                   ? g_build_filename (folder, files[i].name, NULL)
                                   : g_strdup_printf ("%s/%s.sealed", folder, files[i].name);
      if (g_unlink (other) != 0 && errno != ENOENT)
        {
          g_set_error (error, PS_ERROR, PS_ERROR_STORAGE_IO, _ ("Cannot remove %s: %s"), other,
                       g_strerror (errno));
          return NULL;
        }
    }
  if (!sync_directory (folder, error))
    return NULL;
  g_autofree char *manifest_sha256 =
      g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest_text, -1);
  if (!ps_store_record_export (store, day, folder, manifest_sha256, seq, head, details->len,
                               g_get_real_time (), error))
    return NULL;
  return g_steal_pointer (&folder);
}
