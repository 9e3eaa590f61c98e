/* ps-declaration-section.c — the declaration: category (as on CN 22/23),
 * description, quantity and value in đồng. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ps-declaration-section.h"
#include "ps-pages.h"

struct _PsDeclarationSection
{
  GtkFrame parent_instance;

  /* Owned */
  PsAcceptance *acceptance;

  /* Template widgets */
  GtkComboBoxText *category_combo;
  GtkEntry *description_entry, *value_entry;
  GtkSpinButton *quantity_spin;
  GtkLabel *declaration_error;
  GtkButton *declaration_button;
};

static void ps_declaration_section_iface_init (PsCounterSectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsDeclarationSection, ps_declaration_section, GTK_TYPE_FRAME,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_COUNTER_SECTION,
                                                      ps_declaration_section_iface_init))

static void
refuse_field (PsDeclarationSection *self, GtkWidget *field, const char *message)
{
  ps_page_set_error (self->declaration_error, message);
  gtk_widget_grab_focus (field);
}

static void
declaration_clicked_cb (PsDeclarationSection *self)
{
  g_autoptr (GError) error = NULL;
  const char *category_id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->category_combo));
  g_autofree char *description = ps_page_entry_text (self->description_entry);
  g_autofree char *value_text = ps_page_entry_text (self->value_entry);
  PsCategory category;
  gint64 value = 0;

  if (self->acceptance == NULL)
    return;
  if (category_id == NULL || !ps_category_from_id (category_id, &category))
    {
      refuse_field (self, GTK_WIDGET (self->category_combo),
                    _ ("Choose the category of the contents."));
      return;
    }
  if (*value_text != '\0' && !ps_money_parse_vnd (value_text, &value, &error))
    {
      refuse_field (self, GTK_WIDGET (self->value_entry), error->message);
      return;
    }
  guint quantity = (guint) gtk_spin_button_get_value_as_int (self->quantity_spin);
  if (!ps_acceptance_set_declaration (self->acceptance, category, description, quantity, value,
                                      g_get_real_time (), &error))
    {
      ps_page_set_error (self->declaration_error, error->message);
      return;
    }
  ps_page_set_error (self->declaration_error, NULL);
  ps_counter_section_completed (PS_COUNTER_SECTION (self));
}

GtkWidget *
ps_declaration_section_get_first_field (PsDeclarationSection *self)
{
  g_return_val_if_fail (PS_IS_DECLARATION_SECTION (self), NULL);
  if (gtk_combo_box_get_active (GTK_COMBO_BOX (self->category_combo)) < 0)
    return GTK_WIDGET (self->category_combo);
  return GTK_WIDGET (self->description_entry);
}

static void
set_acceptance (PsCounterSection *section, PsAcceptance *acceptance)
{
  PsDeclarationSection *self = PS_DECLARATION_SECTION (section);

  g_set_object (&self->acceptance, acceptance);
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->category_combo), -1);
  gtk_entry_set_text (self->description_entry, "");
  gtk_entry_set_text (self->value_entry, "");
  gtk_spin_button_set_value (self->quantity_spin, 1);
  ps_page_set_error (self->declaration_error, NULL);
}

static void
ps_declaration_section_iface_init (PsCounterSectionInterface *iface)
{
  iface->set_acceptance = set_acceptance;
}

static void
ps_declaration_section_dispose (GObject *object)
{
  g_clear_object (&PS_DECLARATION_SECTION (object)->acceptance);
  G_OBJECT_CLASS (ps_declaration_section_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PsDeclarationSection, name)

static void
ps_declaration_section_class_init (PsDeclarationSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_declaration_section_dispose;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/vn/parcelscreen/Counter/ps-declaration-section.ui");
  BIND (category_combo);
  BIND (description_entry);
  BIND (value_entry);
  BIND (quantity_spin);
  BIND (declaration_error);
  BIND (declaration_button);
  gtk_widget_class_bind_template_callback (widget_class, declaration_clicked_cb);
}

static void
ps_declaration_section_init (PsDeclarationSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (int category = 0; category < PS_CATEGORY_COUNT; category++)
    gtk_combo_box_text_append (self->category_combo, ps_category_to_id ((PsCategory) category),
                               ps_category_label ((PsCategory) category));
}
