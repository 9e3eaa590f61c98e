/* ps-device-status.c — the header's scanner and scale status.
 *
 * Shows, for each kind, the device that works, or else the one in trouble
 * and why (in the tooltip), or that none is plugged in. What is plugged in
 * is asked of the manager each time it says something changed: the
 * manager's list is the only one.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-pages.h"

#include "ps-device-status.h"

struct _PsDeviceStatus
{
  GtkBox parent_instance;

  /* Owned */
  PsDeviceManager *manager;
  char *unavailable;
  gboolean scale_present;

  /* Template widgets */
  GtkLabel *scanner_label, *scale_label;
};

G_DEFINE_FINAL_TYPE (PsDeviceStatus, ps_device_status, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_SCALE_PRESENT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
show_device (PsDeviceStatus *self, GtkLabel *label, const PsDeviceInfo *info, const char *connected,
             const char *missing)
{
  GtkWidget *widget = GTK_WIDGET (label);

  if (info == NULL)
    {
      gtk_label_set_text (label, missing);
      gtk_widget_set_tooltip_text (widget, self->unavailable != NULL
                                               ? self->unavailable
                                               : _ ("Not plugged in: the counter works by hand."));
      ps_page_set_status_class (widget, "warning");
    }
  else if (info->state == PS_DEVICE_STATE_CONNECTED)
    {
      gtk_label_set_text (label, connected);
      gtk_widget_set_tooltip_text (widget, info->name);
      ps_page_set_status_class (widget, "ok");
    }
  else
    {
      g_autofree char *text =
          info->kind == PS_DEVICE_KIND_SCALE
              ? g_strdup_printf (_ ("Scale: %s"), ps_device_state_label (info->state))
              : g_strdup_printf (_ ("Scanner: %s"), ps_device_state_label (info->state));
      gtk_label_set_text (label, text);
      gtk_widget_set_tooltip_text (widget, info->message != NULL ? info->message : info->name);
      ps_page_set_status_class (widget, "error");
    }
}

static void
update (PsDeviceStatus *self)
{
  g_autoptr (GPtrArray) devices =
      self->manager != NULL ? ps_device_manager_get_devices (self->manager) : NULL;
  const PsDeviceInfo *scale = NULL, *scanner = NULL;

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      const PsDeviceInfo *info = g_ptr_array_index (devices, i);
      const PsDeviceInfo **slot = info->kind == PS_DEVICE_KIND_SCALE ? &scale : &scanner;
      /* A connected device wins over one in trouble. */
      if (*slot == NULL || info->state == PS_DEVICE_STATE_CONNECTED)
        *slot = info;
    }
  show_device (self, self->scale_label, scale, _ ("Scale ✔"), _ ("No scale"));
  show_device (self, self->scanner_label, scanner, _ ("Scanner ✔"), _ ("No scanner"));

  gboolean present = scale != NULL && scale->state == PS_DEVICE_STATE_CONNECTED;
  if (present != self->scale_present)
    {
      self->scale_present = present;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_PRESENT]);
    }
}

static void
changed_cb (PsDeviceStatus *self)
{
  update (self);
}

void
ps_device_status_set_manager (PsDeviceStatus *self, PsDeviceManager *manager,
                              const char *unavailable)
{
  g_return_if_fail (PS_IS_DEVICE_STATUS (self));
  g_return_if_fail (self->manager == NULL);

  g_free (self->unavailable);
  self->unavailable = g_strdup (unavailable);
  if (manager != NULL)
    {
      const char *changes[] = { "device-added", "device-removed", "device-state-changed" };
      self->manager = g_object_ref (manager);
      for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
        g_signal_connect_object (manager, changes[i], G_CALLBACK (changed_cb), self,
                                 G_CONNECT_SWAPPED);
    }
  update (self);
}

gboolean
ps_device_status_get_scale_present (PsDeviceStatus *self)
{
  g_return_val_if_fail (PS_IS_DEVICE_STATUS (self), FALSE);
  return self->scale_present;
}

static void
ps_device_status_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
      case PROP_SCALE_PRESENT:
        g_value_set_boolean (value, PS_DEVICE_STATUS (object)->scale_present);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
ps_device_status_dispose (GObject *object)
{
  PsDeviceStatus *self = PS_DEVICE_STATUS (object);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->unavailable, g_free);
  G_OBJECT_CLASS (ps_device_status_parent_class)->dispose (object);
}

static void
ps_device_status_class_init (PsDeviceStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_device_status_dispose;
  object_class->get_property = ps_device_status_get_property;
  properties[PROP_SCALE_PRESENT] =
      g_param_spec_boolean ("scale-present", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-device-status.ui");
  gtk_widget_class_bind_template_child (widget_class, PsDeviceStatus, scanner_label);
  gtk_widget_class_bind_template_child (widget_class, PsDeviceStatus, scale_label);
}

static void
ps_device_status_init (PsDeviceStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
