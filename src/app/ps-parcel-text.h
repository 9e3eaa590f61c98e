/* ps-parcel-text.h — one decided parcel in words, for the supervisor and history screens. */
#pragma once

#include "parcelscreen/ps-reasons.h"
#include "ps-store.h"

G_BEGIN_DECLS

/* Returns: (transfer full): Pango markup describing @detail. */
char *ps_parcel_detail_describe (const PsParcelDetail *detail, const PsReasons *reasons,
                                 gboolean with_report);

G_END_DECLS
