/* ps-pdf.c — A4 pages of text, drawn with cairo and Pango into a PDF kept
 * in memory (the caller writes it where it belongs). */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-error.h"
#include "ps-pdf.h"

struct _PsPdfWriter
{
  GByteArray *bytes;
  cairo_surface_t *surface;
  cairo_t *cr;
  double y; /* the cursor, from the top of the page */
};

PangoLayout *
ps_pdf_layout (cairo_t *cr, const char *font, const char *text, gboolean markup, double width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) description = pango_font_description_from_string (font);
  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

PsPdfWriter *
ps_pdf_writer_new (const char *title, const char *date)
{
  PsPdfWriter *writer = g_new0 (PsPdfWriter, 1);
  writer->bytes = g_byte_array_new ();
  writer->surface = cairo_pdf_surface_create_for_stream (append_cb, writer->bytes,
                                                         PS_PDF_PAGE_WIDTH, PS_PDF_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_CREATOR, "ParcelScreen");
  if (date != NULL)
    {
      cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
      cairo_pdf_surface_set_metadata (writer->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
  writer->cr = cairo_create (writer->surface);
  cairo_set_source_rgb (writer->cr, 0, 0, 0);
  writer->y = PS_PDF_MARGIN;
  return writer;
}

cairo_t *
ps_pdf_writer_get_cairo (PsPdfWriter *writer)
{
  return writer->cr;
}

void
ps_pdf_writer_end_page (PsPdfWriter *writer)
{
  cairo_show_page (writer->cr);
  writer->y = PS_PDF_MARGIN;
}

void
ps_pdf_writer_skip (PsPdfWriter *writer, double points)
{
  writer->y += points;
}

void
ps_pdf_writer_text (PsPdfWriter *writer, const char *font, const char *text)
{
  g_autoptr (PangoLayout) layout =
      ps_pdf_layout (writer->cr, font, text, FALSE, PS_PDF_PAGE_WIDTH - 2 * PS_PDF_MARGIN);
  int height;
  pango_layout_get_size (layout, NULL, &height);
  double h = (double) height / PANGO_SCALE;
  if (writer->y + h > PS_PDF_PAGE_HEIGHT - PS_PDF_MARGIN)
    ps_pdf_writer_end_page (writer);
  cairo_move_to (writer->cr, PS_PDF_MARGIN, writer->y);
  pango_cairo_show_layout (writer->cr, layout);
  writer->y += h + 4;
}

void
ps_pdf_writer_bars (PsPdfWriter *writer, const char *title, GPtrArray *labels, GArray *counts)
{
  ps_pdf_writer_text (writer, "Sans Bold 11", title);
  guint largest = 1;
  for (guint i = 0; i < counts->len; i++)
    largest = MAX (largest, g_array_index (counts, guint, i));
  double bar_width = PS_PDF_PAGE_WIDTH - 2 * PS_PDF_MARGIN - 40;
  for (guint i = 0; i < labels->len; i++)
    {
      guint count = g_array_index (counts, guint, i);
      ps_pdf_writer_text (writer, "Sans 9", g_ptr_array_index (labels, i));
      double y = writer->y - 3, width = MAX (bar_width * count / largest, 2);
      cairo_set_source_rgb (writer->cr, 0.70, 0.13, 0.13);
      cairo_rectangle (writer->cr, PS_PDF_MARGIN, y, width, 10);
      cairo_fill (writer->cr);
      cairo_set_source_rgb (writer->cr, 0, 0, 0);
      g_autofree char *number = g_strdup_printf ("%u", count);
      g_autoptr (PangoLayout) layout = ps_pdf_layout (writer->cr, "Sans Bold 9", number, FALSE, -1);
      cairo_move_to (writer->cr, PS_PDF_MARGIN + width + 6, y - 1);
      pango_cairo_show_layout (writer->cr, layout);
      writer->y = y + 16;
    }
  writer->y += 8;
}

GBytes *
ps_pdf_writer_finish (PsPdfWriter *writer, GError **error)
{
  cairo_show_page (writer->cr);
  cairo_destroy (writer->cr);
  cairo_surface_finish (writer->surface);
  cairo_status_t status = cairo_surface_status (writer->surface);
  cairo_surface_destroy (writer->surface);
  GBytes *pdf = g_byte_array_free_to_bytes (writer->bytes);
  g_free (writer);
  if (status == CAIRO_STATUS_SUCCESS)
    return pdf;
  g_bytes_unref (pdf);
  g_set_error (error, PS_ERROR, PS_ERROR_FAILED, _ ("The PDF could not be drawn: %s"),
               cairo_status_to_string (status));
  return NULL;
}
