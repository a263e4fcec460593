import sys

from redcaplint.cli import main

sys.exit(main())
