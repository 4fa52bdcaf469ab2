"""Every main page of the seeded demo speaks one language: no English in a Vietnamese page, no
Vietnamese in an English page, for each role. One browser context per role, both languages.

What a page shows from the database (names of facilities and organisations, people, notes, comments:
what someone typed) is left out, as are codes in <code>, titles of cited works in <cite>, and text
marked with its own language (`lang="…"`) or as not to be translated (`translate="no"`).
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.db import models

from tests.browser.pages import each_main_page

# The visible text of the page (and the words of its controls), outside what is excluded above.
TEXTS = """() => {
  const skip = 'code, script, style, cite, [translate=no], [hidden], template';
  const lang = document.documentElement.lang;
  const other = (el) => { const own = el.closest('[lang]'); return own && own.lang !== lang; };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (text && !el.closest(skip) && !other(el)) out.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], input[type=submit]')) {
    if (el.closest(skip) || other(el)) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'value'])
      if (el.getAttribute(name) && (name !== 'value' || el.type === 'submit')) out.push(el.getAttribute(name));
  }
  return out;
}"""

# Common English words of the interface that are not also Vietnamese syllables written without marks
# ("an", "to", "no", "in", "do", "can"… are left out for that reason).
_ENGLISH_WORDS = """the and for with from that this these those your you our not are was were been has have had
    will would should must only more less when where which what who whose how why all any
    each every other some none yes save edit delete remove back next previous submit cancel send
    results result assessment assessments facility facilities framework frameworks requirement
    requirements met unknown estimate cost payback month months year years day days hour hours week
    weeks minutes answer answers answered question questions topic topics evidence status draft
    submitted verified pending returned action actions finding findings score level levels compliance
    rate share shared request requests requested grant grants buyer buyers supplier suppliers sector
    province region aggregates indicators public download export upload training trainings solution
    solutions priority priorities benchmark benchmarks improvement history version verifier verifiers
    organisation organisation's people invite invited member members due overdue comment comments note
    notes file date period start end major minor critical zero tolerance factory authority search
    filter sort name role viewer editor owner page pages total average median open close closed new
    add view show hide log password username account sign out forgot reset labour code law decree art
    article section source sources typical payback months workers worker wage wages overtime safety
    health fire chemicals water waste energy air emissions wastewater dormitory dormitories contract
    contracts insurance because about after before since until while against between within without
    under over into onto also still yet just very most least first last latest earlier garment footwear textile leather"""
ENGLISH = set(_ENGLISH_WORDS.split())
# The letters only Vietnamese uses, among the Latin ones.
VIETNAMESE = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# A code where a word belongs, in either language: zero_tolerance, vn-labour-code-2019.
RAW_CODE = re.compile(r"(?<![\w/.@-])(?:[a-z]+_[a-z_]+|[a-z0-9]+(?:-[a-z0-9]+){2,})(?![\w/.@-])")
# Names of programmes and products, the same in both languages.
PROPER = ("Open Supply Hub", "Roadmap to Zero", "Clean by Design", "Better Work", "Common Ground")
# Vietnamese inside English on purpose: a legal code (TT-BLĐTBXH), a point of an article ((đ)),
# and the official Vietnamese term given in brackets after the English one.
VIETNAMESE_IN_ENGLISH = re.compile(r"\b[A-Z0-9/-]*Đ[A-ZĐ0-9/-]*\b|\(đ\)|\([^()]*\)")


def typed_by_people() -> list[str]:
    """Every free text stored in the database (names, notes, comments, titles): what people typed,
    longest first so a longer name is removed before a shorter one inside it. Codes with choices
    are not free text and stay checked."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.primary_key
        ]
        for name in fields:
            found.update(v for v in model.objects.values_list(name, flat=True).distinct() if v and len(v) > 2)
    return sorted(found, key=len, reverse=True)


def _without(text: str, typed: list[str]) -> str:
    for value in (*typed, *PROPER):
        if value in text:
            text = text.replace(value, " ")
    return text


def wrong_language(texts: list[str], lang: str, typed: list[str]) -> list[str]:
    wrong = []
    for text in texts:
        rest = _without(text, typed)
        if RAW_CODE.search(rest):
            wrong.append(f"{text[:100]!r} (code {RAW_CODE.search(rest).group()})")  # type: ignore[union-attr]
        elif lang == "vi":
            words = [w for w in WORD.findall(rest) if w.lower() in ENGLISH]
            if words:
                wrong.append(f"{text[:100]!r} ({', '.join(words[:3])})")
        elif VIETNAMESE.search(VIETNAMESE_IN_ENGLISH.sub(" ", rest)):
            wrong.append(repr(text[:100]))
    return wrong


def test_every_main_page_speaks_the_reader_s_language(
    live_server: Any, browser: Any, demo_pages: None
) -> None:
    typed = typed_by_people()
    found: list[str] = []
    seen = 0
    for visit in each_main_page(browser, live_server.url, 1200, 900):
        assert visit.status == 200, (visit.role, visit.url)
        seen += 1
        where = f"{visit.role} {visit.lang} {visit.url}"
        found += [f"{where}: {w}" for w in wrong_language(visit.page.evaluate(TEXTS), visit.lang, typed)]
    assert seen >= 80
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_check_finds_english_in_vietnamese_and_vietnamese_in_english() -> None:
    assert wrong_language(["Kỳ đánh giá", "Lưu"], "vi", []) == []
    assert wrong_language(["Nguồn: cost: estimate"], "vi", []) != []
    assert wrong_language(["Save the answers"], "en", []) == []
    assert wrong_language(["vn-labour-code-2019: 86 %"], "en", []) != []
    assert wrong_language(["Severity: zero_tolerance"], "en", []) != []
    assert wrong_language(["Thành phố Hải Phòng · footwear"], "vi", []) != []
    assert wrong_language(["Bộ luật Lao động 2019"], "en", []) != []
    assert (
        wrong_language(["Fire safety approval (thẩm duyệt về PCCC), Circular 25/2022/TT-BLĐTBXH"], "en", [])
        == []
    )
    assert wrong_language(["Công ty May Hạnh Phúc: 3 findings"], "vi", ["Công ty May Hạnh Phúc"]) != []
    assert wrong_language(["Công ty May Hạnh Phúc"], "en", ["Công ty May Hạnh Phúc"]) == []
