"""The build time: the edition's date, or SOURCE_DATE_EPOCH when the caller set it."""

from __future__ import annotations

import datetime

import pytest

from generator.build import clock


def test_a_second_build_in_the_same_process_follows_a_new_edition_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # `handbook serve` builds again on every save: a changed edition date must reach the sitemap.
    # Set, then cleared: monkeypatch puts back the value before (or its absence) when the test ends, so
    # the dates pinned here do not leak into later tests of this worker (the forms' dates, say).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    monkeypatch.setattr(clock, "_PINNED", [])
    clock.pin_build_time(datetime.date(2026, 1, 1))
    first = clock.os.environ["SOURCE_DATE_EPOCH"]
    clock.pin_build_time(datetime.date(2026, 3, 2))
    assert first == "1767225600"
    assert clock.os.environ["SOURCE_DATE_EPOCH"] == "1772409600"


def test_a_value_set_by_the_caller_is_kept_on_every_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(clock, "_PINNED", [])
    clock.pin_build_time(datetime.date(2026, 1, 1))
    clock.pin_build_time(datetime.date(2026, 3, 2))
    assert clock.os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
