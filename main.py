"""Start the Rayong Fight Covid desk: `python main.py` opens the window, `python main.py --help`."""

import sys

from rayong_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
