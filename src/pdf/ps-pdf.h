/* ps-pdf.h — A4 pages of text, the one page layout of the printouts
 * (receipt, holding and hand-over records) and of the nightly export's
 * summary: the page size and margins, how a paragraph is laid out, and a
 * PDF written in memory. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define PS_PDF_PAGE_WIDTH  595.28 /* A4, in points */
#define PS_PDF_PAGE_HEIGHT 841.89
#define PS_PDF_MARGIN      48.0

/**
 * ps_pdf_layout:
 * @font: a Pango font description ("Sans Bold 11")
 * @text: plain text, or Pango markup with @markup
 * @width: the width to wrap at, in points, or -1 not to wrap
 *
 * Returns: (transfer full): the paragraph laid out for @cr
 */
PangoLayout *ps_pdf_layout (cairo_t *cr, const char *font, const char *text, gboolean markup,
                            double width);

/** PsPdfWriter: a PDF being drawn in memory, page by page. */
typedef struct _PsPdfWriter PsPdfWriter;

/**
 * ps_pdf_writer_new:
 * @title: the document's title (metadata)
 * @date: (nullable): its date (ISO 8601), so that the same input gives the
 *   same bytes; %NULL: the time of writing
 */
PsPdfWriter *ps_pdf_writer_new (const char *title, const char *date);
/* The page's cairo context, its origin at the page's top-left corner. */
cairo_t *ps_pdf_writer_get_cairo (PsPdfWriter *writer);
/* A paragraph at the cursor, within the margins; on the next page if it
 * does not fit on this one. */
void ps_pdf_writer_text (PsPdfWriter *writer, const char *font, const char *text);
/* A horizontal bar per label (the label above it), scaled to the largest
 * count, the count at its end. */
void ps_pdf_writer_bars (PsPdfWriter *writer, const char *title, GPtrArray *labels, GArray *counts);
void ps_pdf_writer_skip (PsPdfWriter *writer, double points);
/* Ends the page; the cursor goes to the top of the next. */
void ps_pdf_writer_end_page (PsPdfWriter *writer);
/**
 * ps_pdf_writer_finish:
 * Ends the last page and the document, and frees @writer.
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *ps_pdf_writer_finish (PsPdfWriter *writer, GError **error);

G_END_DECLS
