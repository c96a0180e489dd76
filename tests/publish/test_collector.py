"""`handbook build` sets what it has loaded aside from the cyclic collector's full passes for the build only:
after it, having succeeded or failed, every object is the collector's again (no process keeps them aside)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from generator.errors import ToolError
from tests.render.test_cache import _project


@pytest.mark.parametrize("fails", [False, True], ids=["built", "failed"])
def test_what_the_build_set_aside_is_given_back_at_its_end(fails: bool, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.exceptions import Abort

    from generator.publish.build import build_site_dir

    project = _project(tmp_path, 3)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    aside: list[int] = []

    def build(config: object) -> None:  # MkDocs' part is not what this test is about
        aside.append(gc.get_freeze_count())
        if fails:
            raise Abort("failed")

    monkeypatch.setattr(mkdocs_build, "build", build)
    before = gc.get_freeze_count()
    if fails:
        with pytest.raises(ToolError):
            build_site_dir(config_file=project / "mkdocs.yml", standards=project / "standards",
                           site_dir=project / "site", forms=False)
    else:
        assert build_site_dir(config_file=project / "mkdocs.yml", standards=project / "standards",
                              site_dir=project / "site", forms=False)
    assert aside and aside[0] > before  # the loaded handbook and the code were set aside during the build
    assert gc.get_freeze_count() == before
