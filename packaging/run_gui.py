"""Entry script of the bundled `deesc-desktop` app (PyInstaller runs it as __main__)."""

import sys

from deesc_desktop.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
