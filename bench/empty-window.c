/* empty-window.c — the baseline of the start-up benchmark: the smallest GTK 3
 * program that puts a window with a label on screen, then exits. */
#include <gtk/gtk.h>

static gboolean
drawn_cb (GtkWidget *widget, cairo_t *cr, gpointer data)
{
  (void) widget;
  (void) cr;
  (void) data;
  g_print ("ready\n");
  gtk_main_quit ();
  return GDK_EVENT_PROPAGATE;
}

int
main (int argc, char **argv)
{
  gtk_init (&argc, &argv);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *label = gtk_label_new ("ParcelScreen");
  gtk_container_add (GTK_CONTAINER (window), label);
  g_signal_connect_after (label, "draw", G_CALLBACK (drawn_cb), NULL);
  gtk_widget_show_all (window);
  gtk_main ();
  return 0;
}
