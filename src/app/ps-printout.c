/* ps-printout.c — receipts and records on paper and in PDF. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "parcelscreen/parcelscreen.h"
#include "ps-pdf.h"
#include "ps-printout.h"

/* A4 in points; margins of 18 mm. */

typedef enum
{
  BLOCK_NATION, /* the national motto, centred */
  BLOCK_TITLE,
  BLOCK_HEADING,
  BLOCK_TEXT,
  BLOCK_FIELD, /* label: value */
  BLOCK_SMALL,
  BLOCK_SIGNATURES, /* names separated by '\n' */
} BlockStyle;

typedef struct
{
  BlockStyle style;
  char *text;
  char *value;
} Block;

struct _PsPrintout
{
  char *title;
  gboolean training;
  GPtrArray *blocks;
  GArray *page_starts; /* index of the first block of each page */
};

static void
block_free (Block *block)
{
  g_free (block->text);
  g_free (block->value);
  g_free (block);
}

void
ps_printout_free (PsPrintout *printout)
{
  if (printout == NULL)
    return;
  g_free (printout->title);
  g_ptr_array_unref (printout->blocks);
  if (printout->page_starts != NULL)
    g_array_unref (printout->page_starts);
  g_free (printout);
}

static PsPrintout *
printout_new (const char *title, const PsPrintoutContext *context)
{
  PsPrintout *printout = g_new0 (PsPrintout, 1);
  printout->title = g_strdup (title);
  printout->training = context->training;
  printout->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  return printout;
}

G_GNUC_PRINTF (3, 4)
static void
add (PsPrintout *printout, BlockStyle style, const char *format, ...)
{
  va_list args;
  Block *block = g_new0 (Block, 1);
  va_start (args, format);
  block->text = g_strdup_vprintf (format, args);
  va_end (args);
  block->style = style;
  g_ptr_array_add (printout->blocks, block);
}

static void
field (PsPrintout *printout, const char *label, const char *value)
{
  Block *block = g_new0 (Block, 1);
  block->style = BLOCK_FIELD;
  block->text = g_strdup (label);
  block->value = g_strdup (value != NULL && *value != '\0' ? value : "—");
  g_ptr_array_add (printout->blocks, block);
}

static char *
format_time (gint64 unix_us)
{
  g_autoptr (GTimeZone) vietnam = g_time_zone_new_offset (7 * 3600);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("—");
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, vietnam);
  return g_date_time_format (local, "%H:%M, %d/%m/%Y");
}

static char *
format_vnd (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%lld", (long long) value);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, '.');
      g_string_append_c (out, digits[i]);
    }
  g_string_append (out, " đ");
  return g_string_free (out, FALSE);
}

static const char *
category_vi (const char *id)
{
  static const struct
  {
    const char *id, *vi, *en;
  } names[] = {
    { "gift", "Quà tặng", "Gift" },
    { "documents", "Tài liệu", "Documents" },
    { "commercial-sample", "Hàng mẫu thương mại", "Commercial sample" },
    { "returned-goods", "Hàng trả lại", "Returned goods" },
    { "sale-of-goods", "Hàng bán", "Sale of goods" },
    { "other", "Khác", "Other" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].id, id) == 0)
      return names[i].vi;
  return id;
}

static void
header (PsPrintout *printout, const PsPrintoutContext *context)
{
  add (printout, BLOCK_SMALL, "Bưu cục / Post office: %s — Quầy / Counter: %s",
       context->office_code != NULL && *context->office_code ? context->office_code : "—",
       context->counter_id != NULL && *context->counter_id ? context->counter_id : "—");
}

static void
parcel_fields (PsPrintout *printout, const PsParcelDetail *detail, gboolean full_identity)
{
  g_autofree char *decided = format_time (detail->decided_us);
  g_autofree char *weight = detail->has_weight ? ps_weight_format (detail->weight_mg) : NULL;
  /* The detail holds the id as stored (one a newer version wrote stays
   * readable); it is compared with the enum's own id. */
  gboolean typed = g_strcmp0 (detail->weight_source,
                              ps_enum_to_id (PS_TYPE_WEIGHT_SOURCE, PS_WEIGHT_SOURCE_MANUAL)) == 0;
  g_autofree char *weight_line =
      weight != NULL ? g_strdup_printf ("%s%s", weight, typed ? " (nhập tay / typed)" : "") : NULL;
  g_autofree char *masked =
      detail->sender_id != NULL && !full_identity ? ps_cccd_mask_id (detail->sender_id) : NULL;
  g_autofree char *value = format_vnd (detail->value_vnd);
  g_autofree char *quantity = g_strdup_printf ("%u", detail->quantity);

  field (printout, "Số hiệu bưu gửi / Tracking number", detail->tracking);
  field (printout, "Thời gian / Time", decided);
  field (printout, "Khối lượng / Weight", weight_line);
  field (printout, "Loại nội dung / Category", category_vi (detail->category));
  field (printout, "Nội dung khai báo / Declared contents", detail->description);
  field (printout, "Số lượng / Quantity", quantity);
  field (printout, "Giá trị khai báo / Declared value", value);
  field (printout, "Người gửi / Sender",
         detail->purged ? "(đã xoá / erased)" : detail->sender_name);
  field (printout, "Số định danh / ID number", full_identity ? detail->sender_id : masked);
  if (full_identity)
    {
      field (printout, "Địa chỉ người gửi / Sender's address", detail->sender_address);
      field (printout, "Điện thoại người gửi / Sender's phone", detail->sender_phone);
    }
  field (printout, "Người nhận / Recipient", detail->recipient_name);
  field (printout, "Địa chỉ nhận / Address", detail->recipient_address);
  field (printout, "Điện thoại người nhận / Phone", detail->recipient_phone);
}

static void
inspection (PsPrintout *printout, const PsParcelDetail *detail)
{
  add (printout, BLOCK_HEADING, "Kết quả kiểm tra nội dung / Content inspection");
  for (guint i = 0; i < detail->answers->len; i++)
    {
      const PsAnswerRecord *answer = g_ptr_array_index (detail->answers, i);
      const char *said = answer->answer == PS_ANSWER_YES  ? "Có / Yes"
                         : answer->answer == PS_ANSWER_NO ? "Không / No"
                                                          : "—";
      add (printout, BLOCK_TEXT, "%u. %s — %s", i + 1, answer->text_vi, said);
    }
}

PsPrintout *
ps_printout_new_receipt (const PsParcelDetail *detail, const PsPrintoutContext *context)
{
  g_return_val_if_fail (detail != NULL && context != NULL, NULL);

  PsPrintout *printout = printout_new ("BIÊN NHẬN GỬI BƯU GỬI", context);
  header (printout, context);
  add (printout, BLOCK_TITLE, "BIÊN NHẬN GỬI BƯU GỬI");
  add (printout, BLOCK_SMALL, "Receipt of acceptance");
  parcel_fields (printout, detail, FALSE);
  add (printout, BLOCK_HEADING, "Cam kết kiểm tra / Inspection statement");
  add (printout, BLOCK_TEXT,
       "Bưu gửi đã được kiểm tra nội dung trước mặt người gửi, với sự đồng ý của người gửi, "
       "và được niêm phong sau khi kiểm tra. Người gửi cam kết bưu gửi không chứa hàng cấm gửi.");
  add (printout, BLOCK_SMALL,
       "The contents were inspected in front of the sender, with the sender's consent, and the "
       "item was sealed afterwards. The sender declares that it holds no prohibited goods.");
  add (printout, BLOCK_FIELD, "%s", "Giao dịch viên / Clerk");
  Block *clerk = g_ptr_array_index (printout->blocks, printout->blocks->len - 1);
  clerk->value = g_strdup_printf ("%s (%s)", detail->clerk_name, detail->clerk_login);
  if (context->message_vi != NULL && *context->message_vi != '\0')
    add (printout, BLOCK_HEADING, "%s", context->message_vi);
  if (context->message_en != NULL && *context->message_en != '\0')
    add (printout, BLOCK_SMALL, "%s", context->message_en);
  return printout;
}

/* The hold reasons in both languages ("Nghi ma túy / Suspected drugs"), as
 * the bilingual record reads; the codes where the reasons are not known. */
static char *
hold_reasons_text (const PsParcelDetail *detail, const PsPrintoutContext *context)
{
  if (detail->hold_reasons == NULL)
    return g_strdup ("—");
  if (context->reasons == NULL)
    return g_strdup (detail->hold_reasons);
  g_autofree char *vi =
      ps_reasons_describe (context->reasons, PS_REASON_HOLD, detail->hold_reasons, TRUE);
  g_autofree char *en =
      ps_reasons_describe (context->reasons, PS_REASON_HOLD, detail->hold_reasons, FALSE);
  return g_strdup_printf ("%s / %s", vi, en);
}

PsPrintout *
ps_printout_new_holding_record (const PsParcelDetail *detail, const PsPrintoutContext *context)
{
  g_return_val_if_fail (detail != NULL && context != NULL, NULL);

  PsPrintout *printout = printout_new ("BIÊN BẢN TẠM GIỮ BƯU GỬI", context);
  g_autofree char *when = format_time (detail->decided_us);
  add (printout, BLOCK_NATION, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc");
  header (printout, context);
  add (printout, BLOCK_TITLE, "BIÊN BẢN TẠM GIỮ BƯU GỬI");
  add (printout, BLOCK_SMALL, "Record of a held postal item — report no. %lld",
       (long long) detail->report_id);
  add (printout, BLOCK_TEXT,
       "Hồi %s, tại bưu cục %s, quầy %s, giao dịch viên %s đã kiểm tra nội dung bưu gửi dưới "
       "đây trước mặt người gửi và tạm giữ bưu gửi theo Điều 14 Luật Bưu chính.",
       when, context->office_code != NULL ? context->office_code : "—",
       context->counter_id != NULL ? context->counter_id : "—", detail->clerk_name);
  parcel_fields (printout, detail, TRUE);
  inspection (printout, detail);
  add (printout, BLOCK_HEADING, "Lý do tạm giữ / Reasons for holding");
  g_autofree char *reasons = hold_reasons_text (detail, context);
  add (printout, BLOCK_TEXT, "%s", reasons);
  if (detail->decision_note != NULL)
    add (printout, BLOCK_TEXT, "Ghi chú / Note: %s", detail->decision_note);
  if (detail->hits->len > 0)
    {
      add (printout, BLOCK_HEADING, "Chỉ báo rủi ro / Risk indicators (%u/%u)", detail->risk_score,
           detail->risk_threshold);
      for (guint i = 0; i < detail->hits->len; i++)
        {
          const PsRiskHit *hit = g_ptr_array_index (detail->hits, i);
          add (printout, BLOCK_TEXT, "• %s (%u)", hit->reason_vi, hit->score);
        }
    }
  add (printout, BLOCK_TEXT,
       "Biên bản được lập thành 03 bản, mỗi bên giữ 01 bản, đã đọc lại cho những người có mặt "
       "cùng nghe và ký tên.");
  add (printout, BLOCK_SIGNATURES,
       "GIAO DỊCH VIÊN\nClerk\nNGƯỜI GỬI\nSender\nNGƯỜI CHỨNG KIẾN\nWitness");
  return printout;
}

PsPrintout *
ps_printout_new_handover_record (const PsParcelDetail *detail, const PsCustodyRecord *handover,
                                 const PsPrintoutContext *context)
{
  g_return_val_if_fail (detail != NULL && handover != NULL && context != NULL, NULL);

  PsPrintout *printout = printout_new ("BIÊN BẢN BÀN GIAO BƯU GỬI", context);
  g_autofree char *when = format_time (handover->handover_us);
  add (printout, BLOCK_NATION, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc");
  header (printout, context);
  add (printout, BLOCK_TITLE, "BIÊN BẢN BÀN GIAO BƯU GỬI");
  add (printout, BLOCK_SMALL, "Record of hand-over to the police — report no. %lld",
       (long long) detail->report_id);
  add (printout, BLOCK_TEXT,
       "Hồi %s, bưu cục %s bàn giao cho cơ quan công an bưu gửi bị tạm giữ dưới đây.", when,
       context->office_code != NULL ? context->office_code : "—");
  add (printout, BLOCK_HEADING, "Bên giao / Handed over by");
  field (printout, "Giám sát viên / Supervisor", handover->actor_login);
  add (printout, BLOCK_HEADING, "Bên nhận / Received by");
  field (printout, "Họ tên / Name", handover->officer_name);
  field (printout, "Đơn vị / Unit", handover->officer_unit);
  field (printout, "Số hiệu / Badge", handover->officer_badge);
  /* On what authority: the police's seizure order, or the supervisor's
   * override and its reason. */
  const PsInstructionRecord *order = NULL;
  for (guint i = 0; handover->instruction_id != NULL && detail->instructions != NULL &&
                    i < detail->instructions->len;
       i++)
    if (g_strcmp0 (((PsInstructionRecord *) detail->instructions->pdata[i])->id,
                   handover->instruction_id) == 0)
      order = detail->instructions->pdata[i];
  if (order != NULL || handover->override_reason != NULL)
    add (printout, BLOCK_HEADING, "Căn cứ / Authority");
  if (order != NULL)
    {
      g_autofree char *number = ps_instruction_detail (order, "order");
      g_autofree char *approval = ps_instruction_detail (order, "approval");
      field (printout, "Lệnh thu giữ số / Seizure order no.", number);
      field (printout, "Phê chuẩn của VKS / Procuracy's approval",
             approval != NULL ? approval
                              : "Khẩn cấp, chờ phê chuẩn trong 24 giờ / urgent, "
                                "approval due within 24 hours");
      field (printout, "Chỉ thị / Instruction", order->id);
    }
  if (handover->override_reason != NULL)
    field (printout, "Không có chỉ thị, lý do / Without instruction, reason",
           handover->override_reason);
  add (printout, BLOCK_HEADING, "Bưu gửi / Item");
  parcel_fields (printout, detail, TRUE);
  g_autofree char *reasons = hold_reasons_text (detail, context);
  add (printout, BLOCK_TEXT, "Lý do tạm giữ / Reasons for holding: %s", reasons);
  add (printout, BLOCK_SIGNATURES, "BÊN GIAO\nHanded over by\nBÊN NHẬN\nReceived by");
  return printout;
}

/* ---- Layout ------------------------------------------------------------------------- */

static const char *
font_of (BlockStyle style)
{
  switch (style)
    {
      case BLOCK_NATION:
        return "Sans Bold 10";
      case BLOCK_TITLE:
        return "Sans Bold 16";
      case BLOCK_HEADING:
        return "Sans Bold 11";
      case BLOCK_TEXT:
      case BLOCK_FIELD:
        return "Sans 10";
      case BLOCK_SMALL:
        return "Sans Italic 8";
      case BLOCK_SIGNATURES:
        return "Sans Bold 9";
    }
  return "Sans 10";
}

static PangoLayout *
layout_block (cairo_t *cr, const Block *block, double width)
{
  PangoLayout *layout;

  if (block->style == BLOCK_FIELD)
    {
      g_autofree char *label = g_markup_escape_text (block->text, -1);
      g_autofree char *value = g_markup_escape_text (block->value, -1);
      g_autofree char *markup =
          g_strdup_printf ("<span foreground=\"#555555\">%s:</span> %s", label, value);
      layout = ps_pdf_layout (cr, font_of (block->style), markup, TRUE, width);
    }
  else
    layout = ps_pdf_layout (cr, font_of (block->style), block->text, FALSE, width);

  if (block->style == BLOCK_NATION || block->style == BLOCK_TITLE)
    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

static double
space_after (BlockStyle style)
{
  return style == BLOCK_TITLE || style == BLOCK_NATION ? 14.0 : style == BLOCK_HEADING ? 6.0 : 4.0;
}

static double
block_height (cairo_t *cr, const Block *block, double width)
{
  if (block->style == BLOCK_SIGNATURES)
    return 110.0;
  g_autoptr (PangoLayout) layout = layout_block (cr, block, width);
  int height;
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE + space_after (block->style);
}

static void
paginate (PsPrintout *printout, cairo_t *cr, double width, double height)
{
  if (printout->page_starts != NULL)
    g_array_unref (printout->page_starts);
  printout->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint first = 0;
  g_array_append_val (printout->page_starts, first);

  double y = 0;
  for (guint i = 0; i < printout->blocks->len; i++)
    {
      double h = block_height (cr, g_ptr_array_index (printout->blocks, i), width);
      if (y + h > height && y > 0)
        {
          g_array_append_val (printout->page_starts, i);
          y = 0;
        }
      y += h;
    }
}

static void
draw_signatures (cairo_t *cr, const Block *block, double x, double y, double width)
{
  g_auto (GStrv) names = g_strsplit (block->text, "\n", -1);
  guint n = g_strv_length (names) / 2;
  double column = width / MAX (n, 1);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s\n(ký, ghi rõ họ tên / sign and print name)",
                                               names[2 * i], names[2 * i + 1]);
      g_autoptr (PangoLayout) layout = ps_pdf_layout (cr, "Sans 8", text, FALSE, column);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      cairo_move_to (cr, x + i * column, y);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
draw_page (PsPrintout *printout, cairo_t *cr, double width, double height, guint page)
{
  guint first = g_array_index (printout->page_starts, guint, page);
  guint end = page + 1 < printout->page_starts->len
                  ? g_array_index (printout->page_starts, guint, page + 1)
                  : printout->blocks->len;
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = first; i < end; i++)
    {
      const Block *block = g_ptr_array_index (printout->blocks, i);
      if (block->style == BLOCK_SIGNATURES)
        {
          draw_signatures (cr, block, 0, y + 10, width);
          y += 110;
          continue;
        }
      g_autoptr (PangoLayout) layout = layout_block (cr, block, width);
      cairo_move_to (cr, 0, y);
      pango_cairo_show_layout (cr, layout);
      y += block_height (cr, block, width);
    }

  if (printout->training)
    {
      /* Never mistaken for a real document. */
      g_autoptr (PangoLayout) mark = pango_cairo_create_layout (cr);
      g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans Bold 44");
      pango_layout_set_font_description (mark, font);
      pango_layout_set_text (mark, "ĐÀO TẠO — TRAINING", -1);
      cairo_save (cr);
      cairo_set_source_rgba (cr, 0.8, 0, 0, 0.25);
      cairo_translate (cr, width / 2, height / 2);
      cairo_rotate (cr, -0.6);
      int w, h;
      pango_layout_get_pixel_size (mark, &w, &h);
      cairo_move_to (cr, -w / 2.0, -h / 2.0);
      pango_cairo_show_layout (cr, mark);
      cairo_restore (cr);

      /* The same in plain words under the page body, where a photocopy or a
       * text extraction keeps it. */
      g_autoptr (PangoLayout) line = pango_cairo_create_layout (cr);
      g_autoptr (PangoFontDescription) small = pango_font_description_from_string ("Sans Bold 9");
      pango_layout_set_font_description (line, small);
      pango_layout_set_text (line, "ĐÀO TẠO — TRAINING — không có giá trị pháp lý / no legal value",
                             -1);
      cairo_move_to (cr, 0, height + 12);
      pango_cairo_show_layout (cr, line);
    }
}

gboolean
ps_printout_export_pdf (PsPrintout *printout, const char *path, GError **error)
{
  g_return_val_if_fail (printout != NULL && path != NULL, FALSE);

  /* Drawn in memory, then written as a new file of our own (never through a
   * link planted in the folder), readable by the counter's user only: the
   * records name the sender. */
  PsPdfWriter *writer = ps_pdf_writer_new (printout->title, NULL);
  cairo_t *cr = ps_pdf_writer_get_cairo (writer);
  double width = PS_PDF_PAGE_WIDTH - 2 * PS_PDF_MARGIN;
  double height = PS_PDF_PAGE_HEIGHT - 2 * PS_PDF_MARGIN;
  paginate (printout, cr, width, height);
  for (guint page = 0; page < printout->page_starts->len; page++)
    {
      if (page > 0)
        ps_pdf_writer_end_page (writer);
      cairo_save (cr);
      cairo_translate (cr, PS_PDF_MARGIN, PS_PDF_MARGIN);
      draw_page (printout, cr, width, height, page);
      cairo_restore (cr);
    }
  g_autoptr (GBytes) pdf = ps_pdf_writer_finish (writer, error);
  if (pdf == NULL)
    {
      g_prefix_error (error, _ ("Cannot write %s: "), path);
      return FALSE;
    }

  g_autoptr (GError) local_error = NULL;
  if (!g_file_set_contents_full (
          path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf),
          G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &local_error))
    {
      g_set_error (error, PS_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                       ? PS_ERROR_STORAGE_FULL
                       : PS_ERROR_FAILED,
                   _ ("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
begin_print_cb (GtkPrintOperation *operation, GtkPrintContext *context, PsPrintout *printout)
{
  paginate (printout, gtk_print_context_get_cairo_context (context),
            gtk_print_context_get_width (context), gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, (int) printout->page_starts->len);
}

static void
draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page,
              PsPrintout *printout)
{
  (void) operation;
  draw_page (printout, gtk_print_context_get_cairo_context (context),
             gtk_print_context_get_width (context), gtk_print_context_get_height (context),
             (guint) page);
}

gboolean
ps_printout_print (PsPrintout *printout, GtkWindow *parent, GError **error)
{
  g_return_val_if_fail (printout != NULL, FALSE);

  g_autoptr (GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_job_name (operation, printout->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), printout);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), printout);

  GtkPrintOperationResult result =
      gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
