"""Where an edition to compare comes from: a standards folder, a published standards.json, a git revision."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from generator.errors import ToolError
from generator.messages import say
from generator.model import Handbook
from generator.render.export import handbook_from_export
from generator.validate import load_handbook

GIT_PREFIX = "git:"
# A published standards.json is read whole: a file far larger than any real edition is refused unread.
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024


def load_edition(spec: str, *, cwd: Path | None = None, standards: str = "standards") -> Handbook:
    """The handbook an OLD/NEW argument names.

    `git:REV` reads the standards folder at that revision of the repository around cwd;
    a path ending in .json is a published snapshot; anything else is a standards folder.
    Bad YAML raises HandbookError; anything else unusable raises ToolError.
    """
    if spec.startswith(GIT_PREFIX):
        return _from_git(spec[len(GIT_PREFIX):], cwd or Path.cwd(), standards)
    path = Path(spec)
    if path.suffix == ".json":
        return load_snapshot(path)
    if not path.is_dir():
        raise ToolError.of("sources.not_found", spec=spec)
    return load_handbook(path)


def load_snapshot(path: Path) -> Handbook:
    """A published standards.json read back into a Handbook."""
    try:
        size = path.stat().st_size
        if size > MAX_SNAPSHOT_BYTES:
            raise ToolError(say("sources.too_large", path=path, size=f"{size:,}", limit=f"{MAX_SNAPSHOT_BYTES:,}"),
                            say("sources.export.hint"))
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ToolError(say("sources.no_file", path=path), say("sources.published.hint")) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ToolError(say("sources.unreadable", path=path, error=error), say("sources.published.hint")) from None
    try:
        if not isinstance(data, dict):
            raise TypeError(f"a JSON object was expected, got {type(data).__name__}")
        return handbook_from_export(data)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ToolError(say("sources.not_export", path=path, error=error), say("sources.export.hint")) from None


def _from_git(revision: str, cwd: Path, standards: str) -> Handbook:
    if not revision:
        raise ToolError.of("sources.git_no_revision")
    if revision.startswith("-") or any(c.isspace() or ord(c) < 32 for c in revision):
        raise ToolError.of("sources.git_bad_revision", revision=revision)
    top = _git(["rev-parse", "--show-toplevel"], cwd).decode().strip()
    prefix = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
    folder = f"{prefix}{standards}".strip("/")
    # Resolved first, after --end-of-options: whatever it says, git reads it as a revision, never an option.
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], Path(top),
                  hint=say("sources.git_revision.hint", revision=repr(revision))).decode().strip()
    archive = _git(["archive", "--format=tar", f"{commit}:{folder}"], Path(top),
                   hint=say("sources.git_folder.hint", revision=repr(revision), folder=folder))
    with tempfile.TemporaryDirectory(prefix="handbook-git-") as tmp:
        root = Path(tmp) / "standards"
        root.mkdir()
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
        return load_handbook(root)


def _git(args: list[str], cwd: Path, hint: str = "") -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise ToolError.of("sources.no_git") from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise ToolError(say("sources.git_failed", command=args[0],
                            error=message[-1] if message else f"exit {result.returncode}"),
                        hint or say("sources.git_repository.hint"))
    return result.stdout
