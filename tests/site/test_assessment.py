"""The 自评 page in headless Chromium: answer, reload, export, import into a fresh profile, print."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import FOOD_SAFETY, ROOT, run_handbook


@pytest.fixture(scope="module")
def english_site(food_safety_site: Path, serve_dir) -> str:
    """The English fixture handbook built for real (headless Chromium has no CJK font: English text reads back)."""
    return serve_dir(food_safety_site) + "self-assessment/"


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".hb-assess[data-ready]")
    return page


def summary(page) -> dict[str, str]:
    return {name: page.locator(f".hb-assess-{name}").inner_text()
            for name in ("total", "level", "veto", "unanswered")}


def check(page, key: str):
    return page.locator(f"fieldset[data-key='{key}']")


def test_answer_reload_export_import_print(browser, english_site: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = open_page(context, english_site)
    assert summary(page) == {"total": "0 / 10", "level": "★ Needs improvement", "veto": "None", "unanswered": "3"}
    page.get_by_label("Unit").fill("Canteen")
    page.get_by_label("Date").fill("2026-09-30")
    # by keyboard: focus the first answer of CS-01.2 and press Space
    check(page, "CS-01.2").get_by_label("Met", exact=True).focus()
    page.keyboard.press("Space")
    check(page, "CS-01.1").get_by_label("Partly met").check()
    check(page, "CS-01.1").get_by_label("Points (0–3)").fill("1.5")
    check(page, "CS-02.1").get_by_label("Not applicable").check()
    assert summary(page) == {"total": "7.5 / 10", "level": "★★ Good", "veto": "None", "unanswered": "0"}
    check(page, "CS-01.1").get_by_label("Not met").check()
    assert summary(page) == {"total": "5 / 10", "level": "★ Needs improvement", "veto": "CS-01", "unanswered": "0"}
    finding = page.locator(".hb-assess-findings li[data-key='CS-01.1']")
    assert "(Not met 0/3)" in finding.inner_text()
    finding.get_by_label("Corrective action").fill("Log twice a day")
    finding.get_by_label("Responsible").fill("Kitchen lead")
    assert page.locator(".hb-assess-subtotal").inner_text() == "3 / 6"

    page.wait_for_function("() => Object.keys(localStorage).some(k => localStorage[k].includes('Kitchen lead'))")
    page.reload()
    page.wait_for_selector(".hb-assess[data-ready]")
    assert summary(page)["total"] == "5 / 10"
    assert check(page, "CS-01.1").get_by_label("Not met").is_checked()
    assert page.get_by_label("Unit").input_value() == "Canteen"
    assert page.locator(".hb-assess-findings li[data-key='CS-01.1']").get_by_label("Responsible").input_value() \
        == "Kitchen lead"
    print_head = page.locator(".hb-assess-printhead").text_content()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export answers").click()
    exported = tmp_path / "answers.json"
    download.value.save_as(exported)
    answers = json.loads(exported.read_text(encoding="utf-8"))
    assert answers == {"edition": "1.0", "unit": "Canteen", "date": "2026-09-30", "answers": {
        "CS-01.1": {"result": "unmet", "measure": "Log twice a day", "owner": "Kitchen lead"},
        "CS-01.2": {"result": "met"}, "CS-02.1": {"result": "na"}}}
    scored = run_handbook("score", str(exported), "--standards", str(FOOD_SAFETY), "--format", "json")
    assert scored.returncode == 0, scored.stderr
    assert (json.loads(scored.stdout)["total"], json.loads(scored.stdout)["stars"]) == (5, 1)

    pdf = page.pdf(format="A4")
    (tmp_path / "result.pdf").write_bytes(pdf)
    reader = PdfReader(tmp_path / "result.pdf")
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))  # ﬁ -> fi
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    assert print_head in " ".join(text.split()) and "First edition" in print_head and "Canteen" in print_head
    assert "Log twice a day" in text and "Export answers" not in text and "Partly met" not in text
    context.close()

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    other = open_page(fresh, english_site)
    assert summary(other)["total"] == "0 / 10"
    other.get_by_label("Import answers").set_input_files(str(exported))
    other.wait_for_function("() => document.querySelector('.hb-assess').dataset.total === '5'")
    assert summary(other) == {"total": "5 / 10", "level": "★ Needs improvement", "veto": "CS-01", "unanswered": "0"}
    assert other.locator(".hb-assess-printhead").text_content() == print_head  # same fingerprint
    assert other.get_by_label("Unit").input_value() == "Canteen"
    fresh.close()


def test_import_refuses_another_edition(desktop, english_site: str, tmp_path: Path) -> None:
    page = open_page(desktop, english_site)  # a refused file leaves nothing in the profile
    other = tmp_path / "old.json"
    other.write_text(json.dumps({"edition": "0.9", "unit": "", "date": "", "answers": {}}), encoding="utf-8")
    page.get_by_label("Import answers").set_input_files(str(other))
    page.wait_for_selector(".hb-assess-message:not(:empty)")
    assert "edition 0.9" in page.locator(".hb-assess-message").inner_text()
    page.close()


def test_phone_width_has_no_horizontal_scroll(browser, english_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = open_page(context, english_site)
    check(page, "CS-01.1").get_by_label("Not met").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('.hb-assess input')]
        .filter(i => !i.labels || i.labels.length === 0).map(i => i.outerHTML)""")
    assert unlabelled == []
    context.close()


def test_bundled_site_links_the_page(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="self-assessment/"' in home
    sheet = (built_site / "forms" / "scoring-sheet" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../self-assessment/"' in sheet
    data = json.loads((built_site / "self-assessment.json").read_text(encoding="utf-8"))
    assert data["edition"]["id"] == "2026" and data["rules"]["levels"][0]["label"] == "五星级"
    assert data["labels"]["met"] == "达标"
    page = (built_site / "self-assessment" / "index.html").read_text(encoding="utf-8")
    assert "总分 = 得分 × 100 ÷ 适用要点满分" in page and 'id="hb-assess"' in page


@pytest.fixture(scope="module")
def big_site(tmp_path_factory, serve_dir) -> str:
    """A generated edition of 60 standards in 2 chapters of ~50 checks: each chapter is some ten screens long,
    so a screen's height either side of the top (what assess.js builds ahead) never reaches the second one.
    60 standards, not 100: the checks below need the second chapter far off the screen, which 60 already
    give; more only make the build, the page and its printout dearer."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_handbook import write_handbook

    work = tmp_path_factory.mktemp("assess-big")
    standards = write_handbook(60, work / "standards")
    result = run_handbook("build", "--standards", str(standards), "--site-dir", str(work / "site"), "--no-forms")
    assert result.returncode == 0, result.stderr
    return serve_dir(work / "site") + "self-assessment/"


BUILT = "i => document.querySelectorAll('.hb-assess-checks')[i].querySelectorAll('fieldset').length"


def test_big_edition_builds_chapters_near_the_screen(browser, big_site: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = open_page(context, big_site)
    data = page.evaluate("fetch('../self-assessment.json').then(r => r.json())")
    first, second = ([c["key"] for c in chapter["checks"]] for chapter in data["chapters"][:2])
    assert page.evaluate(BUILT, 0) == len(first) and page.evaluate(BUILT, 1) == 0

    # keyboard: Tab from the last field of chapter 1 lands on the first answer of chapter 2
    check(page, first[-1]).locator(".hb-assess-note").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('fieldset').dataset.key") == second[0]
    page.keyboard.press("ArrowDown")  # the radio group: from 达标 to 部分达标
    assert page.locator(".hb-assess").get_attribute("data-total") == "0"
    assert check(page, second[0]).get_attribute("data-result") == "partial"

    # an answer far down; going back to the top takes chapter 2 down, keeping its answers
    check(page, second[-1]).locator("input[value='met']").check()
    total = summary(page)["total"]
    assert not total.startswith("0 /")
    page.locator(".hb-assess-head input").first.focus()  # to the unit's name, at the top (a focused chapter stays)
    page.wait_for_function(f"() => ({BUILT})(1) === 0")
    assert summary(page)["total"] == total
    page.locator("#hb-assess-findings").scroll_into_view_if_needed()  # the findings are built there, from the answers
    page.locator(f".hb-assess-findings li[data-key='{second[0]}']").wait_for()
    page.locator(".hb-assess-head input").first.focus()

    # printing builds every chapter: every check prints, the answered ones with their answer
    pdf = page.pdf(format="A4")
    (tmp_path / "big.pdf").write_bytes(pdf)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "big.pdf").pages)
    assert [key for key in first + second if key not in text] == []
    page.wait_for_function(f"() => ({BUILT})(1) === 0")  # and afterwards chapter 2 goes again

    page.locator(".hb-assess-checks").nth(1).scroll_into_view_if_needed()  # scrolling down builds it from the answers
    assert check(page, second[-1]).locator("input[value='met']").is_checked()
    context.close()
