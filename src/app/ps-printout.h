/* ps-printout.h — the counter's paper: the receipt, the holding record (biên
 * bản tạm giữ) with places for signatures, and the hand-over record. Laid out
 * with Pango on cairo, so that the same pages go to a printer
 * (GtkPrintOperation) and to a PDF file. Bilingual, Vietnamese first. */
#pragma once

#include <gtk/gtk.h>

#include "parcelscreen/ps-reasons.h"
#include "ps-store.h"

G_BEGIN_DECLS

typedef struct _PsPrintout PsPrintout;

/** What the paper says about the counter. */
typedef struct
{
  const char *office_code;
  const char *counter_id;
  const char *message_vi; /* the public-awareness message */
  const char *message_en;
  gboolean training;        /* printed across every page */
  const PsReasons *reasons; /* the reasons in words (may be NULL: the codes) */
} PsPrintoutContext;

PsPrintout *ps_printout_new_receipt (const PsParcelDetail *detail,
                                     const PsPrintoutContext *context);
PsPrintout *ps_printout_new_holding_record (const PsParcelDetail *detail,
                                            const PsPrintoutContext *context);
PsPrintout *ps_printout_new_handover_record (const PsParcelDetail *detail,
                                             const PsCustodyRecord *handover,
                                             const PsPrintoutContext *context);
void ps_printout_free (PsPrintout *printout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPrintout, ps_printout_free)

/**
 * ps_printout_export_pdf:
 * Writes the printout to @path as A4 PDF: a temporary file, synced, renamed.
 */
gboolean ps_printout_export_pdf (PsPrintout *printout, const char *path, GError **error);

/**
 * ps_printout_print:
 * Opens the print dialog for @printout over @parent.
 */
gboolean ps_printout_print (PsPrintout *printout, GtkWindow *parent, GError **error);

G_END_DECLS
