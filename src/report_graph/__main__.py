"""``python -m report_graph`` is the ``report-graph`` command."""
import sys

from .cli import main

sys.exit(main())
