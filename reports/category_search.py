"""Finding a category the way people ask for it: the picker's short list of common problems, and
a search over codes, the standard's names, everyday words (路灯不亮, 井盖没了, 垃圾没人收), their
pinyin (ludeng, ld) and English words.

Scores (higher first): an exact code or name 100; the query inside a name, label or everyday
word 80; a name or word inside the query scaled by how much of the query it covers; otherwise the
share of the query's character pairs found in the text (so 井盖丢失 also finds every 井盖 entry),
half-weighted for the 大类's name. Pinyin and English words match as prefixes and substrings.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from pypinyin import lazy_pinyin

from reports.models import Category
from reports.seed import read_common_problems

MAX_RESULTS = 20
MIN_SCORE = 15
WORDS = re.compile(r"[\s,，、;；/]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Problem:
    """One line of the picker's short list."""

    code: str
    label: str
    label_en: str

    def label_for(self, language: str) -> str:
        return self.label_en if language.startswith("en") and self.label_en else self.label


@lru_cache(maxsize=1)
def common_problems() -> tuple[Problem, ...]:
    return tuple(
        Problem(row["code"], row["label"], row["label_en"]) for row in read_common_problems()
    )


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    """(full, initials) of the Chinese in `text`, e.g. 路灯 → ("ludeng", "ld")."""
    syllables = [s for s in lazy_pinyin(text) if s.isascii() and s.isalpha()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _han_score(query: str, text: str) -> float:
    if not text:
        return 0
    if query == text:
        return 100
    if query in text:
        return 80
    if len(text) >= 2 and text in query:
        return 40 + 40 * len(text) / len(query)
    wanted = _pairs(query)
    return 60 * len(wanted & _pairs(text)) / len(wanted)


def _ascii_score(query: str, text: str) -> float:
    full, initials = _pinyin(text)
    lowered = text.lower()
    best = 0.0
    if full.startswith(query) or initials == query:
        best = 70
    elif query in full or (len(query) >= 2 and initials.startswith(query)):
        best = 45
    for word in WORDS.split(lowered):
        if word.isascii() and word:
            if word == query:
                best = max(best, 75)
            elif word.startswith(query) and len(query) >= 2:
                best = max(best, 60)
    if len(query) >= 3 and query in lowered:
        best = max(best, 55)
    return best


def _texts(category: Category, labels: dict[str, list[Problem]]) -> list[tuple[str, float]]:
    """(text, weight) to match a category by."""
    texts = [(category.name, 1.0)]
    for problem in labels.get(category.code, ()):
        texts += [(problem.label, 1.0), (problem.label_en, 1.0)]
    texts += [(word, 0.95) for word in WORDS.split(category.synonyms) if word]
    if category.parent is not None:
        texts.append((category.parent.name, 0.5))
    return texts


def search(query: str, *, language: str = "", limit: int = MAX_RESULTS) -> list[dict]:
    """Reportable categories matching `query`, best first; the common problems for no query."""
    language = language or translation.get_language() or ""
    query = (query or "").strip().lower()[:50]
    categories = list(Category.objects.reportable().select_related("parent"))
    labels: dict[str, list[Problem]] = {}
    for problem in common_problems():
        labels.setdefault(problem.code, []).append(problem)
    by_code = {c.code: c for c in categories}
    if not query:
        return [
            result(by_code[p.code], p.label_for(language))
            for p in common_problems()
            if p.code in by_code
        ][:limit]
    scored = []
    for category in categories:
        if query.isdigit():
            score = (
                100 if category.code == query else (90 if category.code.startswith(query) else 0)
            )
        else:
            match = _han_score if HAN.search(query) else _ascii_score
            score = max(
                (match(query, text.lower()) * weight for text, weight in _texts(category, labels)),
                default=0,
            )
        if score >= MIN_SCORE:
            scored.append((score, category))
    scored.sort(key=lambda sc: (-sc[0], sc[1].code not in labels, sc[1].code))
    return [
        result(
            category,
            labels[category.code][0].label_for(language) if category.code in labels else "",
        )
        for _score, category in scored[:limit]
    ]


def result(category: Category, label: str = "") -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "label": label or category.name,
        "group": category.parent.name if category.parent else "",
        "catalogue": category.catalogue,
        "local": category.is_local,
    }
