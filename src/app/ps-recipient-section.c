/* ps-recipient-section.c — the recipient: name, address, phone, country. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-pages.h"
#include "ps-recipient-section.h"

struct _PsRecipientSection
{
  GtkFrame parent_instance;

  /* Owned */
  PsAcceptance *acceptance;

  /* Template widgets */
  GtkEntry *recipient_name_entry, *recipient_address_entry, *recipient_phone_entry,
      *recipient_country_entry;
  GtkLabel *recipient_error;
  GtkButton *recipient_button;
};

static void ps_recipient_section_iface_init (PsCounterSectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsRecipientSection, ps_recipient_section, GTK_TYPE_FRAME,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_COUNTER_SECTION,
                                                      ps_recipient_section_iface_init))

static void
recipient_clicked_cb (PsRecipientSection *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = ps_page_entry_text (self->recipient_name_entry);
  g_autofree char *address = ps_page_entry_text (self->recipient_address_entry);
  g_autofree char *phone = ps_page_entry_text (self->recipient_phone_entry);
  g_autofree char *country_text = ps_page_entry_text (self->recipient_country_entry);
  g_autofree char *country = g_ascii_strup (country_text, -1);

  if (self->acceptance == NULL)
    return;
  gboolean ok = ps_acceptance_set_recipient (self->acceptance, name, address, phone, country,
                                             g_get_real_time (), &error);
  ps_page_set_error (self->recipient_error, ok ? NULL : error->message);
  if (ok)
    ps_counter_section_completed (PS_COUNTER_SECTION (self));
}

static void
set_acceptance (PsCounterSection *section, PsAcceptance *acceptance)
{
  PsRecipientSection *self = PS_RECIPIENT_SECTION (section);

  g_set_object (&self->acceptance, acceptance);
  gtk_entry_set_text (self->recipient_name_entry, "");
  gtk_entry_set_text (self->recipient_address_entry, "");
  gtk_entry_set_text (self->recipient_phone_entry, "");
  gtk_entry_set_text (self->recipient_country_entry, "VN");
  ps_page_set_error (self->recipient_error, NULL);
}

static void
ps_recipient_section_iface_init (PsCounterSectionInterface *iface)
{
  iface->set_acceptance = set_acceptance;
}

static void
ps_recipient_section_dispose (GObject *object)
{
  g_clear_object (&PS_RECIPIENT_SECTION (object)->acceptance);
  G_OBJECT_CLASS (ps_recipient_section_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsRecipientSection, name)

static void
ps_recipient_section_class_init (PsRecipientSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_recipient_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/parcelscreen/Counter/ps-recipient-section.ui");
  BIND (recipient_name_entry);
  BIND (recipient_address_entry);
  BIND (recipient_phone_entry);
  BIND (recipient_country_entry);
  BIND (recipient_error);
  BIND (recipient_button);
  gtk_widget_class_bind_template_callback (widget_class, recipient_clicked_cb);
}

static void
ps_recipient_section_init (PsRecipientSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
