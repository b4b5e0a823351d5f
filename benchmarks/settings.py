"""The bench's settings: the production settings (portal.settings, configured by the environment
that benchmarks/environment.py sets) with two additions that change nothing else:

- ROOT_URLCONF adds /bench/trivial, the baseline view (benchmarks/urls.py); the portal's own URL
  configuration stays without it.
- The cache keys carry the run's id, so that two runs sharing Redis db 2 never read each other's.
"""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
CACHES["default"]["KEY_PREFIX"] = f"bench-{os.environ.get('BENCH_RUN_ID', 'default')}"  # noqa: F405
