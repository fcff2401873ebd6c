"""`python -m deesc_desktop.cli`: the same as the `deesc` command."""

import sys

from deesc_desktop.cli import main

sys.exit(main())
