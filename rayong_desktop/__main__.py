import sys

from rayong_desktop.cli import main

sys.exit(main())
