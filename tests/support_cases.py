"""How many cases a property test tries: all of them in CI, a twentieth in the fast lane.

The lane is chosen once per run by conftest (`PARTNER_TUI_TEST_CASES`): `fast` when the
run leaves out the e2e tests (`./dev test --fast`, `pytest -m "not e2e"`), `full`
otherwise; set the variable yourself to choose (`PARTNER_TUI_TEST_CASES=full pytest -m
"not e2e"` runs every case without the end-to-end tests).
"""

from __future__ import annotations

import os

CASES_ENV = "PARTNER_TUI_TEST_CASES"
FAST_SHARE = 20  # the fast lane tries one case in this many
FAST_FLOOR = 10  # …and never fewer than this: still a property test, not an example


def fast_lane() -> bool:
    return os.environ.get(CASES_ENV) == "fast"


def cases(full: int) -> int:
    """`max_examples` for a property test that tries `full` cases in CI."""
    return max(min(full, FAST_FLOOR), full // FAST_SHARE) if fast_lane() else full
