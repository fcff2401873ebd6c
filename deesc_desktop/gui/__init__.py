"""The PySide6 desktop application: main window, pages, table models, dialogs and workers."""
