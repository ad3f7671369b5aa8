"""`python -m gxcare_desktop.ui`: start the desktop app."""

import sys

from .app import main

sys.exit(main(sys.argv))
