/* ps-i18n.c — locale and message catalogue set-up for both programs. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "ps-config.h"

void
ps_i18n_init (const char *language)
{
  const char *localedir = g_getenv ("PARCELSCREEN_LOCALEDIR");
  const char *current = setlocale (LC_ALL, "");

  if (language != NULL && *language != '\0')
    {
      /* gettext ignores LANGUAGE under the plain "C" locale; C.UTF-8 is
       * always there on Debian and keeps UTF-8 output. */
      if (current == NULL || strcmp (current, "C") == 0 || strcmp (current, "POSIX") == 0)
        setlocale (LC_ALL, "C.UTF-8");
      g_setenv ("LANGUAGE", language, TRUE);
      /* Re-reading the locale makes gettext notice the new LANGUAGE. */
      setlocale (LC_MESSAGES, setlocale (LC_MESSAGES, NULL));
    }

  bindtextdomain (GETTEXT_PACKAGE,
                  localedir != NULL && *localedir != '\0' ? localedir : PS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  bind_textdomain_codeset ("iso_3166-1", "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
