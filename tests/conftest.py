import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The course's real test data: $COURSE_SHARED_DATA, else ../shared/data beside the checkout.
SHARED_DATA = Path(os.environ.get("COURSE_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    """The real data in ../shared/data; skip with the reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (only present on the course's dev machines)")
    return SHARED_DATA
