/* ps-device-info.c — what is known of one device: a value type that travels
 * from the device thread to the main context and through signals. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "parcelscreen/ps-enums.h"
#include "ps-devices.h"

/* G_DEFINE_BOXED_TYPE, written out: its type check does not pass -Wpedantic. */
GType
ps_device_info_get_type (void)
{
  static gsize type = 0;
  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_boxed_type_register_static (g_intern_static_string ("PsDeviceInfo"),
                                                            (GBoxedCopyFunc) ps_device_info_copy,
                                                            (GBoxedFreeFunc) ps_device_info_free));
  return type;
}

PsDeviceInfo *
ps_device_info_copy (const PsDeviceInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  PsDeviceInfo *copy = g_memdup2 (info, sizeof *info);
  copy->id = g_strdup (info->id);
  copy->name = g_strdup (info->name);
  copy->driver = g_strdup (info->driver);
  copy->message = g_strdup (info->message);
  return copy;
}

void
ps_device_info_free (PsDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->driver);
  g_free (info->message);
  g_free (info);
}

G_DEFINE_ENUM_TYPE (PsDeviceKind, ps_device_kind,
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_KIND_SCALE, "scale"),
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_KIND_SCANNER, "scanner"))

G_DEFINE_ENUM_TYPE (PsDeviceState, ps_device_state,
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_STATE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_STATE_NO_PERMISSION, "no-permission"),
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_STATE_BUSY, "busy"),
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_STATE_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (PS_DEVICE_STATE_REMOVED, "removed"))

const char *
ps_device_kind_to_id (PsDeviceKind kind)
{
  return ps_enum_to_id (PS_TYPE_DEVICE_KIND, kind);
}

const char *
ps_device_state_to_id (PsDeviceState state)
{
  return ps_enum_to_id (PS_TYPE_DEVICE_STATE, state);
}

const char *
ps_device_state_label (PsDeviceState state)
{
  switch (state)
    {
      case PS_DEVICE_STATE_CONNECTED:
        return _ ("Connected");
      case PS_DEVICE_STATE_NO_PERMISSION:
        return _ ("No permission");
      case PS_DEVICE_STATE_BUSY:
        return _ ("In use by another program");
      case PS_DEVICE_STATE_ERROR:
        return _ ("Error");
      case PS_DEVICE_STATE_REMOVED:
        return _ ("Unplugged");
    }
  g_return_val_if_reached (NULL);
}
