"""Shared test settings.

Hypothesis runs derandomised (the same examples on every machine and run) so a
CI failure can be reproduced locally; set HYPOTHESIS_PROFILE=explore for fresh
random examples while developing.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
