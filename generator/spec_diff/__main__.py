"""``python -m generator.spec_diff OLD NEW``: the same as ``python -m generator diff``."""

import sys

from .report import main

sys.exit(main(sys.argv[1:]))
