"""Text checks shared by the content tests: copying, wrong claims, and safe messaging.

Each check returns the offending snippets (empty list = clean), so a failure shows exactly what
to rewrite. The checks are tested against the source article itself, which breaks several of them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).parent / "data"
SOURCE_ARTICLE = DATA / "source-article.txt"
REFERENCE_SOURCES = DATA / "reference-sources.md"
#: sources added for the clinical audit's corrections (issue 19), each with its reason
ADDED_SOURCES = DATA / "added-sources.md"

NGRAM = 8


def words(text: str) -> list[str]:
    """Lower-case words with accents, apostrophes and punctuation removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return text.split()


def ngrams(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def shared_runs(text: str, source_grams: set[tuple[str, ...]], n: int = NGRAM) -> list[str]:
    """Every run of ``n`` consecutive words in ``text`` that also occurs in the source."""
    w = words(text)
    return [
        " ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in source_grams
    ]


# --- brain stimulation is not talk therapy -------------------------------------------------------

STIM = (
    r"(?:\bECT\b|\b[rR]?TMS\b|\bVNS\b"
    r"|(?i:electroconvulsive|transcranial\s+magnetic|vagus\s+nerve\s+stim\w*))"
)
TALK = r"(?i:talk(?:ing)?\s+therap\w*|psychotherap\w*)"
NEGATION = re.compile(r"(?i)\b(?:not|never|neither|nor|unlike|rather\s+than|instead\s+of)\b|n't\b")
_TALK_THEN_STIM = re.compile(
    TALK
    + r"\s*[,:(]?\s*(?i:such\s+as|like|including|e\.g\.,?|for\s+example,?|namely|:)"
    + r"\s*[^.;\n]{0,60}?"
    + STIM
)
_TALK_LABEL = re.compile(TALK + r"\s*:\s*[^.\n]{0,120}?" + STIM)
_STIM_IS_TALK = re.compile(
    STIM
    + r"[^.;\n]{0,80}?\b(?i:is|are|was|were|as|counts?\s+as)\b\s+(?P<between>(?:\S+\s+){0,4}?)"
    + TALK
)


def sentences(text: str) -> list[str]:
    boundary = r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<=[.!?])\s+|\n+"
    return [s.strip() for s in re.split(boundary, text) if s.strip()]


def stimulation_called_talk_therapy(text: str) -> list[str]:
    """Sentences that present ECT, rTMS or VNS as a talk therapy (negated statements pass)."""
    bad = []
    for sentence in sentences(text):
        if not (re.search(STIM, sentence) and re.search(TALK, sentence)):
            continue
        if _TALK_THEN_STIM.search(sentence) or _TALK_LABEL.search(sentence):
            bad.append(sentence)
            continue
        match = _STIM_IS_TALK.search(sentence)
        if match and not NEGATION.search(match.group(0)):
            bad.append(sentence)
    return bad


def stimulation_under_talk_heading(markdown: str) -> list[str]:
    """Markdown sections headed as talk therapy or psychotherapy that list ECT, rTMS or VNS."""
    bad = []
    heading = ""
    for line in markdown.splitlines():
        if line.startswith("#"):
            heading = line
            continue
        if re.search(TALK, heading) and re.search(STIM, line):
            bad.append(f"{heading} → {line.strip()}")
    return bad


# --- numbers and phrases we must never use ------------------------------------------------------

SEVENTY_FIVE = re.compile(
    r"(?i)\b75\s*(?:%|per\s*cent|percent)|seventy[\s-]*five\s*(?:%|per\s*cent|percent)"
)

UNSAFE_PHRASES = [
    r"\bcommit(?:s|ted|ting)?\s+suicide\b",
    r"\bsuccessful\s+(?:suicide|attempt)",
    r"\bunsuccessful\s+(?:suicide|attempt)",
    r"\bfailed\s+(?:suicide\s+)?attempt",
    r"\bcompleted\s+suicide\b",
    r"\bsuicide\s+epidemic\b",
    # slogans the reference (§1.1, §5.4) asks us to avoid
    r"every\s+day\s+is\s+worth\s+fighting\s+for",
    r"think\s+of\s+how\s+brave\s+you\s+are",
    r"don'?t\s+give\s+up\s+on\s+your\s+family",
    # a fixed "you are safe" may be untrue for someone in an unsafe situation (§4.1)
    r"\byou\s+are\s+safe\b",
    r"\byou'?re\s+safe\b",
]


def unsafe_messaging(text: str) -> list[str]:
    hits = []
    for pattern in UNSAFE_PHRASES:
        hits.extend(m.group(0) for m in re.finditer(pattern, text, flags=re.IGNORECASE))
    return hits


def reference_urls() -> set[str]:
    text = REFERENCE_SOURCES.read_text(encoding="utf-8")
    urls = set()
    for url in re.findall(r"https?://\S+", text):
        url = url.rstrip(".,;")
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1]
        urls.add(url)
    return urls


def reference_dois() -> set[str]:
    text = REFERENCE_SOURCES.read_text(encoding="utf-8")
    return {d.rstrip(".,;)").lower() for d in re.findall(r"10\.\d{4,9}/[^\s;,)]+", text)}


def url_is_from_reference(url: str) -> bool:
    """The URL appears in the reference's source list, or is a doi.org link to a DOI it cites."""
    if url in reference_urls() or url in ADDED_SOURCES.read_text(encoding="utf-8").split():
        return True
    match = re.match(r"https?://(?:dx\.)?doi\.org/(10\..+)$", url)
    return bool(match) and match.group(1).lower() in reference_dois()


# --- reading level (Flesch–Kincaid grade) --------------------------------------------------------

_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """A common heuristic: vowel groups, minus a silent final e, plus -le/-les endings; ≥ 1."""
    w = word.lower().strip("'’")
    if not w:
        return 0
    if w.isdigit():
        return max(1, len(w))  # numbers are read out; a rough count is enough
    count = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if (
        w.endswith(("es", "ed"))
        and count > 1
        and not re.search(r"[aeiouy][dt]e[ds]$", w)
        and not re.search(r"(?:[cgsxz]|ch|sh)es$", w)
    ):
        count -= 1
    return max(1, count)


def fk_grade(markdown: str) -> float:
    """Flesch–Kincaid grade of an article body: headings left out, each list item a sentence,
    link targets dropped (the reader sees only the link text)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    kept = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    text = "\n".join(kept)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"[*_`]", "", text)
    found = [s for s in sentences(text) if re.search(r"[A-Za-z]", s)]
    word_list = [w for s in found for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", s)]
    parts = [p for w in word_list for p in w.split("-") if p]
    if not found or not parts:
        return 0.0
    n_words = len(parts)
    n_syllables = sum(syllables(p) for p in parts)
    return 0.39 * n_words / len(found) + 11.8 * n_syllables / n_words - 15.59
