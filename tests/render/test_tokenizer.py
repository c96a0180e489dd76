"""The search's jieba tokenizers start from one loaded copy of the main dictionary per process
(render/search.py): each must still cut exactly as a jieba tokenizer loaded on its own would."""

from __future__ import annotations

import io
import os
from pathlib import Path

import jieba

from generator.render import search

SENTENCE = "支部每季度召开组织生活会，落实三会一课制度，党员按月交纳党费。"


def _alone(terms: str = "", main: str | None = None) -> jieba.Tokenizer:
    """A tokenizer that loads its own dictionary, as jieba does without us."""
    cutter = jieba.Tokenizer(main or jieba.DEFAULT_DICT)
    cutter.load_userdict(io.StringIO(terms))
    return cutter


def test_each_tokenizer_cuts_like_one_loaded_alone_and_keeps_its_terms_to_itself() -> None:
    terms = "三会一课制度 100000\n组织生活会 100000\n"
    with_terms = search.tokenizer(terms)
    without = search.tokenizer("")
    assert list(with_terms.cut(SENTENCE)) == list(_alone(terms).cut(SENTENCE))
    assert "三会一课制度" in with_terms.cut(SENTENCE)
    alone = _alone()  # loading jieba's dictionary costs a CPU-second: one copy for both comparisons
    assert list(without.cut(SENTENCE)) == list(alone.cut(SENTENCE))
    assert "三会一课制度" not in without.cut(SENTENCE)  # the first one's terms did not leak into the shared copy
    assert search.tokenizer("").total == alone.total


def test_a_changed_main_dictionary_is_loaded_again(tmp_path: Path) -> None:
    main = tmp_path / "dict.txt"
    main.write_text("支部 1000 n\n组织 1000 n\n生活会 1000 n\n", encoding="utf-8")
    first = list(search.tokenizer("", main=str(main)).cut("组织生活会"))
    assert first == list(_alone(main=str(main)).cut("组织生活会"))
    main.write_text("支部 1000 n\n组织生活会 5000 n\n", encoding="utf-8")
    later = os.stat(main).st_mtime_ns + 2_000_000_000  # a later save, even on a coarse clock
    os.utime(main, ns=(later, later))
    assert list(search.tokenizer("", main=str(main)).cut("组织生活会")) == ["组织生活会"]
