/* ps-device-status.h — the header's scanner and scale status. */
#pragma once

#include <gtk/gtk.h>

#include "ps-devices.h"

G_BEGIN_DECLS

#define PS_TYPE_DEVICE_STATUS (ps_device_status_get_type ())
G_DECLARE_FINAL_TYPE (PsDeviceStatus, ps_device_status, PS, DEVICE_STATUS, GtkBox)

/**
 * ps_device_status_set_manager:
 * @manager: (nullable): the device manager, or %NULL if USB could not start
 * @unavailable: (nullable): why there is no manager, for the tooltips
 *
 * The status follows the manager's devices from then on. Its
 * "scale-present" property says whether a scale is connected and works.
 */
void ps_device_status_set_manager (PsDeviceStatus *self, PsDeviceManager *manager,
                                   const char *unavailable);
gboolean ps_device_status_get_scale_present (PsDeviceStatus *self);

G_END_DECLS
