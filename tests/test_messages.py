"""The tool's own messages: one catalogue per language, chosen by --lang, HANDBOOK_LANG or the handbook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.messages import LANGUAGES, PLACEHOLDER, catalogue
from tests.conftest import HANDBOOK, ROOT, STANDARDS


def test_every_message_has_every_language_with_the_same_placeholders():
    english = catalogue("en")
    for language in LANGUAGES:
        other = catalogue(language)
        assert sorted(other) == sorted(english), language
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), (language, key)
            assert other[key].strip(), (language, key)


def test_command_lines_keep_their_ascii_keywords():
    # Editors and scripts match `handbook: error:` and `: ok:` in every language.
    english = catalogue("en")
    for language in LANGUAGES:
        for key, text in catalogue(language).items():
            for keyword in ("handbook: error: ", "handbook: warning: ", "handbook: internal error: ", "handbook: ",
                            ": ok: "):
                if keyword in english[key]:
                    assert keyword in text, (language, key)


def test_every_message_the_code_asks_for_exists():
    asked = set()
    for path in (ROOT / "generator").rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\bsay\(\s*["']([\w.]+)["']\s*[,)]""", code))
        # Named constructors that word a problem by its ID (and the hint by ID.hint): the ID follows the place.
        for message_id in re.findall(r"""\b(?:in_file|Problem\.yaml)\(.*?,\s*["']([\w.]+)["']""", code):
            asked |= {message_id, message_id + ".hint"}
        for message_id in re.findall(r"""\bToolError\.of\(\s*["']([\w.]+)["']""", code):
            asked |= {message_id, message_id + ".hint"}
    assert len(asked) > 100
    assert {"files.no_folder.hint", "yaml.invisible.hint", "handbook.missing.hint", "sources.no_git.hint"} <= asked
    assert sorted(asked - set(catalogue("en"))) == []


def _validate(standards: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "HANDBOOK_LANG"} | (env or {})
    return subprocess.run([*HANDBOOK, "validate", "--standards", "standards", *args], check=False, cwd=standards.parent,
                          capture_output=True, text=True, timeout=300, env=environment)


@pytest.fixture
def chinese_with_typo(tmp_path: Path) -> Path:
    """A copy of the bundled (Chinese) handbook with a misspelt key in its first standard."""
    target = tmp_path / "standards"
    shutil.copytree(STANDARDS, target)
    path = target / "chapters" / "01-organisation.yml"
    text = path.read_text(encoding="utf-8")
    assert "    frequency: standing\n" in text
    path.write_text(text.replace("    frequency: standing\n", "    frequncy: standing\n", 1), encoding="utf-8")
    return target


PLACE = "standards/chapters/01-organisation.yml:14:5: error: "
CHINESE = (PLACE + "标准 ZZSZ-01 中有未知的键 'frequncy'\n"
           "  hint: 是不是要写 'frequency'？\n"
           "handbook: 发现 1 个问题；未写入任何文件\n")
ENGLISH = (PLACE + "unknown key 'frequncy' in standard ZZSZ-01\n"
           "  hint: did you mean 'frequency'?\n"
           "handbook: 1 problem found; nothing was written\n")


def test_a_chinese_handbook_gets_chinese_messages_at_the_same_place(chinese_with_typo):
    result = _validate(chinese_with_typo)
    assert result.returncode == 1
    assert result.stderr == CHINESE


def test_lang_en_gives_english(chinese_with_typo):
    result = _validate(chinese_with_typo, "--lang", "en")
    assert (result.returncode, result.stderr) == (1, ENGLISH)


def test_handbook_lang_environment_variable(chinese_with_typo):
    assert _validate(chinese_with_typo, env={"HANDBOOK_LANG": "en"}).stderr == ENGLISH
    # The option wins over the environment.
    assert _validate(chinese_with_typo, "--lang", "zh", env={"HANDBOOK_LANG": "en"}).stderr == CHINESE


def test_english_handbook_with_lang_zh_gets_chinese(food_safety):
    path = food_safety / "chapters" / "01-storage.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    points: 6", "    points: six", 1), encoding="utf-8")
    result = _validate(food_safety, "--lang", "zh")
    assert result.stderr == (
        "standards/chapters/01-storage.yml:19:13: error: 标准 CS-01 的 standards[0].points 应当是整数，实际是文本 'six'\n"
        "  hint: 写数字，不加引号，如 points: 4\n"
        "handbook: 发现 1 个问题；未写入任何文件\n")


def test_unreadable_handbook_file_falls_back_to_english(chinese_with_typo):
    # handbook.yml itself does not parse: its language is unknown, so the messages are English.
    path = chinese_with_typo / "handbook.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  language: zh", "\tlanguage: zh", 1), encoding="utf-8")
    result = _validate(chinese_with_typo)
    assert result.returncode == 1
    assert "error: YAML syntax error: tab character used for indentation\n" in result.stderr
    assert "error: unknown key 'frequncy' in standard ZZSZ-01\n" in result.stderr
    assert result.stderr.endswith("handbook: 2 problems found; nothing was written\n")


def test_cross_file_problem_in_chinese(tmp_path):
    target = tmp_path / "standards"
    shutil.copytree(STANDARDS, target)
    path = target / "handbook.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  total: 100", "  total: 101", 1), encoding="utf-8")
    result = _validate(target)
    lines = result.stderr.splitlines()
    assert lines[0] == "standards/handbook.yml:101:10: error: 各标准分值合计 100，但 rating.total 是 101"
    assert lines[1].startswith("  hint: 改正 rating.total 或各标准的分值；各章合计：organisation ")
    assert lines[2:] == ["handbook: 发现 1 个问题；未写入任何文件"]
