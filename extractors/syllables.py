"""Vietnamese syllables: which spellings can be one, and which pairs the product's text uses.

Vietnamese writes one syllable a word: an onset, a rhyme and a tone, each
from a short closed list, with a few spelling rules ("k" only before e, ê,
i, y; a rhyme ending in p, t, c, ch takes only the sắc or nặng tone).  An
OCR reading that no syllable spells ("thhúi", "sô" is one, "vlệc" is not)
is a misreading; one that is a syllable but never follows its neighbour in
the language ("thể chê") is probably one.  This module knows the first by
rule and the second from text the product legitimately has: the wording of
the national forms and indices (data/domain_text.txt), every phrase of the
data files, and the official register's unit names.  It never knows a
document's own names: a name is mended syllable by syllable, by the
language, not snapped to a list.

    syllable_parts     one word → (onset, rhyme, tone), or None when no syllable spells it
    is_syllable        whether a word is one Vietnamese syllable
    texts_to_model     texts → SyllableModel (syllable and pair counts)
    model              the model of the product's own texts (built once)
    reading_score      how Vietnamese a reading is (for choosing between OCR readings)
    choose_reading     the index of the most Vietnamese of several readings
    mend_name          an OCR'd name with its impossible or improbable syllables mended
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.textkeys import fold
from extractors.vocabulary import ocr_distance

_DATA = Path(__file__).parent / "data"

_TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip
_RHYMES = frozenset(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ă ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et
    ê êu êch êm ên ênh êp êt
    i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
    yêm yên yêt yêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oc oe oen oeo oet oi om on ong op ot
    oăc oăm oăn oăng oăt ooc oong
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc ui um un ung up ut uê uêch uênh uơ uy uya uych uyên uyêt uyn uynh
    uyp uyt uyu uôc uôi uôm uôn uông uôt
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y
    """.split()
)
# after "qu" the glide is the onset's, and the rhyme may open with y ("quyết", "quỳnh")
_QU_RHYMES = frozenset(r for r in _RHYMES if r[0] not in "uoư") | frozenset("ynh yt ych yên yêt yêu".split())
_FRONT = "eêiy"  # the vowels k, gh and ngh stand before, and c, ng never do
_CHECKED = ("p", "t", "c", "ch")  # a rhyme ending in these takes only the sắc or nặng tone


def _tone_split(word: str) -> tuple[str, str] | None:
    """(the word without its tone mark, the tone); None when it carries two tone marks."""
    base, tones = [], []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS:
            tones.append(_TONE_MARKS[ch])
        else:
            base.append(ch)
    if len(tones) > 1:
        return None
    return unicodedata.normalize("NFC", "".join(base)), tones[0] if tones else "ngang"


@lru_cache(maxsize=1 << 15)
def syllable_parts(word: str) -> tuple[str, str, str] | None:
    """(onset, rhyme, tone) of a word one Vietnamese syllable spells, else None."""
    split = _tone_split(word.lower())
    if split is None or not split[0].isalpha():
        return None
    base, tone = split
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and rhyme and rhyme[0] not in "aăâeêoôơuưy":
            continue  # "gìn" is g + in
        if rhyme not in (_QU_RHYMES if onset == "qu" else _RHYMES):
            continue
        if onset in ("k", "gh", "ngh") and rhyme[0] not in _FRONT:
            continue
        if (onset in ("c", "ng") and rhyme[0] in _FRONT) or (onset == "g" and rhyme[0] in "eê"):
            continue
        if rhyme.endswith(_CHECKED) and tone not in ("sắc", "nặng"):
            continue
        return onset, rhyme, tone
    return None


def is_syllable(word: str) -> bool:
    return syllable_parts(word) is not None


@dataclass(frozen=True)
class SyllableModel:
    unigrams: Mapping[str, int]  # lower-case syllable → how often the texts print it
    bigrams: Mapping[tuple[str, str], int]  # two syllables printed side by side → how often
    by_skeleton: Mapping[str, tuple[str, ...]]  # the letters without marks → the syllables they spell
    by_deletion: Mapping[str, tuple[str, ...]]  # a skeleton with one letter taken out → its syllables

    def count(self, word: str) -> int:
        return self.unigrams.get(word, 0)

    def pair(self, left: str | None, right: str | None) -> int:
        return self.bigrams.get((left, right), 0) if left and right else 0


_WORD = re.compile(r"[^\W\d_]+")
_BREAK = re.compile(r"[,.;:()\[\]\"“”?!/]|\s[-–]\s")  # punctuation ends a run of syllables


def _deletions(skeleton: str) -> set[str]:
    return {skeleton[:k] + skeleton[k + 1 :] for k in range(len(skeleton))}


def texts_to_model(texts: Iterable[str]) -> SyllableModel:
    """Count the syllables and the pairs of neighbouring syllables of `texts`."""
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for run in _BREAK.split(unicodedata.normalize("NFC", text).lower()):
            words = [w for w in run.split() if _WORD.fullmatch(w) and is_syllable(w)]
            uni.update(words)
            bi.update(zip(words, words[1:], strict=False))
    skel: dict[str, list[str]] = {}
    dele: dict[str, list[str]] = {}
    for w in uni:
        s = fold(w)
        skel.setdefault(s, []).append(w)
        for d in _deletions(s):
            dele.setdefault(d, []).append(w)
    return SyllableModel(
        unigrams=dict(uni),
        bigrams=dict(bi),
        by_skeleton={k: tuple(v) for k, v in skel.items()},
        by_deletion={k: tuple(v) for k, v in dele.items()},
    )


def _strings(value) -> Iterable[str]:
    """Every string inside a JSON value (keys starting with '_' are notes)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if not str(k).startswith("_"):
                yield str(k)
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def product_texts() -> Iterable[str]:
    """The text the product ships: the domain text, the data files' phrases, the register's names."""
    for line in (_DATA / "domain_text.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line
    for path in sorted(_DATA.glob("*.json")):
        yield from _strings(json.loads(path.read_text(encoding="utf-8")))
    try:
        from extractors import adminunits

        for unit in adminunits.register().units.values():
            yield unit.full_name
    except Exception:  # noqa: BLE001 (the register is an enrichment: without it the model is smaller, not wrong)
        return


@lru_cache(maxsize=1)
def model() -> SyllableModel:
    return texts_to_model(product_texts())


# ---------------------------------------------------------------- choosing and mending


def _core(token: str) -> tuple[str, str, str]:
    """(leading marks, the letters, trailing marks) of one token; the letters empty when the
    token is not one run of letters between punctuation."""
    m = re.fullmatch(r"([^\w]*|_+)([^\W\d_]+)([^\w]*)", token)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", "", token)


def reading_score(text: str, m: SyllableModel | None = None) -> float:
    """How Vietnamese a reading is: each word a syllable (known ones more), each known pair a
    bonus; a word no syllable spells costs.  Comparable only between readings of one crop."""
    m = m or model()
    score, prev = 0.0, None
    for token in text.split():
        _, core, _ = _core(token)
        low = core.lower()
        if not core or (core.isupper() and len(core) > 1 and not is_syllable(low)):
            prev = None  # a figure, a code ("UBND"): neither Vietnamese nor not
            continue
        if not is_syllable(low):
            score -= 2.0
        else:
            score += 0.5 + min(1.0, math.log1p(m.count(low)) / 5)
            score += min(1.0, m.pair(prev, low) / 2)
        prev = low
    return score


def choose_reading(readings: Sequence[str], m: SyllableModel | None = None) -> int:
    """The index of the most Vietnamese reading; ties go to the first (the reader's own)."""
    m = m or model()
    scores = [reading_score(r, m) for r in readings]
    return max(range(len(readings)), key=lambda k: (scores[k], -k))


_MAX_DISTANCE = 1.5  # OCR edits (a wrong mark or look-alike counts half) between a reading and a mend
_MARGIN = 1.0
_MUCH_MORE = 5


def _neighbours(low: str, m: SyllableModel) -> set[str]:
    """Known syllables a slip or two of marks and one letter away from `low`."""
    s = fold(low)
    found = set(m.by_skeleton.get(s, ()))  # marks misread
    found.update(m.by_deletion.get(s, ()))  # a letter lost
    for d in _deletions(s):
        found.update(m.by_skeleton.get(d, ()))  # a letter too many
        found.update(m.by_deletion.get(d, ()))  # a letter misread
    found.discard(low)
    return {c for c in found if ocr_distance(low, c, _MAX_DISTANCE) <= _MAX_DISTANCE}


def _right_support(cand: str, right: str | None, m: SyllableModel) -> int:
    """How often `cand` precedes the next word, or a mark-variant of it (itself misread)."""
    if not right:
        return 0
    return max(m.pair(cand, r) for r in {right, *m.by_skeleton.get(fold(right), ())})


def _mended(low: str, left: str | None, right: str | None, m: SyllableModel) -> str:
    """One word (lower case) mended in its context, or as read."""
    known = m.count(low) > 0
    valid = is_syllable(low)

    def support(cand: str) -> int:
        return m.pair(left, cand) + _right_support(cand, right, m)

    if valid and known:
        # a real syllable that (almost) never stands here, when one of its mark-variants often
        # does ("thể chê", "CHÍ SỐ")
        if not (left or right):
            return low
        variants = [c for c in m.by_skeleton.get(fold(low), ()) if c != low]
        best = max(variants, key=lambda c: (support(c), m.count(c)), default=None)
        if best and support(best) >= 2 and support(best) >= _MUCH_MORE * support(low):
            return best
        return low
    scored = []
    for cand in _neighbours(low, m):
        context = support(cand)
        dist = ocr_distance(low, cand)
        scored.append((3 * min(context, 3) + math.log1p(m.count(cand)) / 2 - 2 * dist, context, dist, cand))
    if not scored:
        return low
    scored.sort(reverse=True)
    score, context, dist, cand = scored[0]
    second = scored[1][0] if len(scored) > 1 else -math.inf
    if score - second < _MARGIN:
        return low
    if valid:  # a syllable the texts lack: mend only when the context clearly asks for the other
        return cand if context >= 2 and dist <= 1.0 else low
    return cand if context >= 1 or dist <= 0.5 else low


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_ROMAN = re.compile(r"^[IVXLC]+$")


def _not_a_word(core: str, tail: str, first: bool) -> bool:
    """A token the language does not judge: a figure, a code ("UBND"), a Roman numeral or a
    letter numbering a list ("VI.", "b)"), a lone letter."""
    if not core or len(core) == 1 or _ROMAN.match(core):
        return True
    if first and tail[:1] in (".", ")") and len(core) <= 4:
        return True
    return core.isupper() and not is_syllable(core.lower())


def mend_name(name: str, m: SyllableModel | None = None) -> str:
    """An OCR'd name with each word no syllable spells, or that the language never puts beside
    its neighbour, replaced by the known syllable nearest to it that fits, when one clearly
    does; a speck of underscore before a word is dropped.  Words of digits, codes ("UBND")
    and anything unsure stay as read."""
    m = m or model()
    tokens = name.split()
    cores = [_core(t) for t in tokens]
    out: list[str] = []
    left: str | None = None
    for k, (lead, core, tail) in enumerate(cores):
        if _not_a_word(core, tail, first=k == 0):
            out.append(tokens[k])
            left = None
            continue
        after = cores[k + 1] if k + 1 < len(cores) else ("", "", "")
        right = after[1].lower() if after[1] and not tail and not after[0] else None
        low = _mended(core.lower(), left, right, m)
        lead = lead.lstrip("_|")
        out.append(lead + (_cased(low, core) if low != core.lower() else core) + tail)
        left = low if not tail else None
    return " ".join(out)
