from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="module")
def _english_messages():
    """These tests state the tool's messages in English; most publish the bundled handbook, which is Chinese."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_LANG", "en")
        yield
