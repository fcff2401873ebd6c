"""Entry script of the bundled `deesc` command (PyInstaller runs it as __main__)."""

import sys

from deesc_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
