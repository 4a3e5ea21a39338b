"""The bundle's entry point (PyInstaller runs this script): the same as the ``annotator`` command."""

import sys

from annotator.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
