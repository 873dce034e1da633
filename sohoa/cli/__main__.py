"""``python -m sohoa.cli``: the same as the ``sohoa`` command."""

import sys

from sohoa.cli.main import main

sys.exit(main())
