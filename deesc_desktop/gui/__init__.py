"""The PySide6 desktop application: main window, pages, table models, dialogs and workers."""

from deesc_desktop.gui.refcounts import protect_singletons

# Before any PySide6 call can drop a reference to None (see refcounts.py).
protect_singletons()
