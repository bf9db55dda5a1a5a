"""Settings for the test suite: the production settings with test conveniences switched on."""

import os

os.environ.setdefault("KAMPUNGKB_TESTING", "1")

from kampungkb.config.settings import *  # noqa: F403
