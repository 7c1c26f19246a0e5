"""Which stored statistic of a unit a new one restates, at a cost that does not grow with the unit's history.

A unit's stored figure keys grow with every report it files.  Comparing each new statistic with
every one of them (difflib, ~0.4 ms a pair) made a load cost O(history) per row, quadratic over a
unit's life.  The `HistoryIndex` of a unit blocks its stored statements by what a restatement
keeps: the value kind (another kind never matches) and the subject's words.  A new statement
looks up only its rarest words (fewest stored statements hold them: names, places, the thing
counted), so it meets the few stored statements that share one, however long the history.

Among those candidates, rapidfuzz's Indel similarity (2·LCS / total length, in C++) bounds
difflib's ratio from above (difflib's matching blocks are one common subsequence), so only a pair
whose bound reaches the decision's floor gets difflib's exact ratio, and the decision is made on
difflib's numbers as before: the keys chosen do not change with the library.

sentence, number, measure → Statement (words compared)                 statement_words  (in the workers)
stored (key, kind, sentence, number, measure) → the index, kept in step  HistoryIndex.sync
new statements → new index → stored key                                 HistoryIndex.best_matches

Blocks are keyed by `block_of` (kind, word); keys that also carry a subject and a scope (a later
figure-key scheme) block by them instead, and `best_matches` says how each row was linked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from extractors.bodyfigures import statement_of
from extractors.figuresubjects import Subject, subject_likeness, subject_of
from extractors.numbers import number_to_float
from extractors.textkeys import skeleton

SAME_STATEMENT = 0.72  # likeness from which two statements of one unit state the same statistic
CLEARLY = 0.06  # and by how much the best must beat the next stored statistic
# A stored statement less alike than this can neither be the best nor stand within CLEARLY of it.
FLOOR = SAME_STATEMENT - CLEARLY
PROBE = 4  # the new statement's rarest stored words looked up, at least
PROBE_SHARE = 4  # and one in this many of its words: a long sentence reworded keeps few of its rarest
# A word this many stored statements hold says nothing of which one a statement restates ("hồ sơ",
# "tháng"); its block grows with history, so it is not looked up (the whole statement still is).
CROWDED = 48
_AROUND = 8  # words before a number that say what it is
_SLACK = 1e-9  # the bound is exact arithmetic's; floats may round it a hair below the ratio
# Second pass (a statement reworded beyond SAME_STATEMENT): the same thing counted, by its subject
SAME_SUBJECT = 0.8  # subject likeness from which two statistics of one kind and scope are one


@dataclass(frozen=True)
class Statement:
    """What a statistic says, as matching compares it: its kind, the sentence's words (numbers as
    '#'), and the words just before its number with its measure."""

    value_kind: str
    statement: tuple[str, ...]
    near: tuple[str, ...]


def statement_words(value_kind: str, sentence: str, value_raw: str, measure: str | None) -> Statement:
    """The words a statistic is compared by (pure: the workers compute them for new rows)."""
    pos = sentence.find(value_raw.rstrip("%"))
    before = statement_of(sentence[: max(pos, 0)]).split()[-_AROUND:]
    near = before + skeleton(measure or "").split()
    return Statement(value_kind or "", tuple(statement_of(sentence).split()), tuple(near))


def block_of(value_kind: str, word: str) -> tuple[str, str]:
    """The block a stored statement is filed under for one of its words: only the same kind matches."""
    return (value_kind, word)


def whole_block_of(value_kind: str, statement: str) -> tuple[str, str]:
    """The block of the whole statement (its words coded): a statement restated word for word,
    however common its words, meets its earlier self there."""
    return (value_kind, "\x00" + statement)


def near_block_of(value_kind: str, near: str) -> tuple[str, str]:
    """The block of the words around the number (coded): one sentence pattern said of another
    subject ("đã tiếp nhận # hồ sơ" of another field) is as alike as the restatement may be, and
    must be seen for the best to be clearly the best."""
    return (value_kind, "\x01" + near)


def _order(period_id: str | None, loaded_at: object, seq: int | None) -> tuple:
    """How recent a stored statement is, larger later: the ORDER BY of the stored statistics'
    query (period_id DESC NULLS LAST, loaded_at DESC, seq) as one comparable tuple."""
    return (period_id is not None, period_id or "", loaded_at is not None, loaded_at or 0, -(seq or 0))


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a or b else 1.0


@dataclass(frozen=True)
class _Coded:
    """A statement with each word as one character (an injective code), so that difflib and
    rapidfuzz compare strings: the same ratios as over the word lists, faster."""

    value_kind: str
    statement: str
    near: str
    subject: frozenset[str]  # the statement's words, less the number mark


@dataclass(frozen=True)
class Link:
    """How a new statistic was linked: `exact` (its key is stored), `similar` (a stored key adopted)
    or `new`; `key` is the stored key for the first two."""

    method: str
    key: str | None = None
    similarity: float | None = None  # 1 for exact; the statements' (or subjects') likeness for similar


def _value_of(raw: str) -> float | None:
    return number_to_float(raw.split("/")[0].rstrip("%")) if raw else None


def plausible(kind: str, scope: str, old: float | None, new: float | None) -> bool:
    """Whether a statistic could go from `old` to `new` between two reports: a cumulative count does
    not fall by half, a percentage does not jump by half the scale, a count does not grow twentyfold."""
    if old is None or new is None:
        return True
    if kind == "percent":
        return abs(new - old) <= 50
    if old <= 0 or new <= 0:
        return True
    if scope == "cumulative":
        return 0.5 * old <= new <= 5 * old
    return old / 20 <= new <= 20 * old


def exact_top_two(bounded: list[tuple[float, str, object]], exact) -> list[tuple[float, str]]:
    """The two best (likeness, key) of (bound, key, statement) by their exact likeness, as sorting
    every exact likeness would give them, the costly `exact` paid only while it can matter: in
    falling order of bound, until a bound is below the second best exact likeness found (each
    likeness is at most its bound, difflib's blocks being a common subsequence)."""
    bounded.sort(key=lambda t: t[0], reverse=True)
    found: list[tuple[float, str]] = []
    for bound, key, statement in bounded:
        if len(found) >= 2 and bound < found[1][0] - _SLACK:
            break
        found.append((exact(statement), key))
        found.sort(reverse=True)
    return found[:2]


class HistoryIndex:
    """One unit's stored statements, blocked by kind and word; synced with the database each load."""

    def __init__(self) -> None:
        self._source: dict[str, tuple] = {}  # key -> (kind, sentence, value_raw, measure) indexed
        self._coded: dict[str, _Coded] = {}
        self._blocks: dict[tuple[str, str], set[str]] = {}
        self._codes: dict[str, str] = {}
        self._order: dict[str, tuple] = {}  # key -> how recent its statement is (`_order`)
        self._subjects: dict[str, tuple[Subject, float | None]] = {}  # key -> subject, value
        self._subject_blocks: dict[tuple[str, str, str], set[str]] = {}  # (kind, scope, word) -> keys
        self.seen: object = None  # the state of the database the index reflects (loadfigures says which)
        self.bounds = 0  # rapidfuzz comparisons made (a test checks they do not grow with history)
        self.ratios = 0  # difflib comparisons made
        self.looked_up = 0  # new statements looked up

    def __contains__(self, key: str) -> bool:
        return key in self._coded

    def __len__(self) -> int:
        return len(self._coded)

    def _code(self, words: Iterable[str]) -> str:
        codes = self._codes
        out = []
        for w in words:
            c = codes.get(w)
            if c is None:
                # private-use planes first, then past them: any code point but surrogates will do
                n = len(codes)
                c = codes[w] = chr(0xF0000 + n if n < 0x20000 else 0x30000 + n)
            out.append(c)
        return "".join(out)

    def coded(self, s: Statement) -> _Coded:
        return _Coded(
            s.value_kind, self._code(s.statement), self._code(s.near), frozenset(s.statement) - {"#"}
        )

    def sync(self, stored: Iterable[tuple], seen: object = None) -> None:
        """Make the index hold exactly these (key, kind, sentence, value_raw, measure, period_id,
        loaded_at, seq): the latest statement of each stored key.  The ones unchanged since the
        index last held them are kept; `seen` is the database's state they reflect."""
        fresh = {
            key: ((kind or "", sentence or "", raw or "", measure), _order(*rest))
            for key, kind, sentence, raw, measure, *rest in stored
        }
        for key in [k for k, src in self._source.items() if fresh.get(k, (None,))[0] != src]:
            self._drop(key)
        for key, (src, order) in fresh.items():
            if key not in self._source:
                self._add(key, src, statement_words(*src))
            self._order[key] = order
        self.seen = seen

    def file_report(
        self,
        rows: Sequence[tuple],
        words: Sequence[Statement],
        period_id: str | None,
        loaded_at: object,
        seen: object,
    ) -> None:
        """A report's statistics just stored — (key, kind, sentence, value_raw, measure, seq), with the
        words the workers computed — filed as the database now holds them: a key's statement is its
        latest (by period, then load time, then place in the report), as `sync` reads it."""
        for (key, kind, sentence, raw, measure, seq), said in zip(rows, words, strict=True):
            order = _order(period_id, loaded_at, seq)
            if key in self._order and self._order[key] >= order:
                continue
            src = (kind or "", sentence or "", raw or "", measure)
            if self._source.get(key) != src:
                if key in self._source:
                    self._drop(key)
                self._add(key, src, said)
            self._order[key] = order
        self.seen = seen

    def _drop(self, key: str) -> None:
        c = self._coded.pop(key)
        del self._source[key]
        self._order.pop(key, None)
        for b in self._blocks_of(c):
            block = self._blocks[b]
            block.discard(key)
            if not block:
                del self._blocks[b]
        subject, _ = self._subjects.pop(key)
        for b in {(c.value_kind, subject.scope, w) for w in subject.words}:
            block = self._subject_blocks[b]
            block.discard(key)
            if not block:
                del self._subject_blocks[b]

    @staticmethod
    def _blocks_of(c: _Coded) -> list[tuple[str, str]]:
        wholes = [whole_block_of(c.value_kind, c.statement), near_block_of(c.value_kind, c.near)]
        return wholes + [block_of(c.value_kind, w) for w in c.subject]

    def _add(self, key: str, src: tuple, said: Statement) -> None:
        c = self.coded(said)
        self._source[key], self._coded[key] = src, c
        for b in self._blocks_of(c):
            self._blocks.setdefault(b, set()).add(key)
        kind, sentence, raw, measure = src
        subject = subject_of(sentence, raw, measure)
        self._subjects[key] = (subject, _value_of(raw))
        for w in subject.words:
            self._subject_blocks.setdefault((kind, subject.scope, w), set()).add(key)

    def candidates(self, c: _Coded) -> set[str]:
        """The stored keys of the same statement, and those in the blocks of its PROBE rarest words
        (held by at least one and at most CROWDED stored statements): its restatements, and few others.
        So a new row meets at most (its words / PROBE_SHARE + 1) · CROWDED stored ones, whatever
        the unit's history (a sentence is at most 600 characters)."""
        blocks = (self._blocks.get(block_of(c.value_kind, w)) for w in sorted(c.subject))
        probe = max(PROBE, len(c.subject) // PROBE_SHARE)
        held = sorted((b for b in blocks if b and len(b) <= CROWDED), key=len)[:probe]
        wholes = (
            self._blocks.get(b(c.value_kind, x), ())
            for b, x in ((whole_block_of, c.statement), (near_block_of, c.near))
        )
        # a statement stored CROWDED times over never matched one of its copies clearly: so many
        # equally alike leave none clearly the best, so they need no comparing
        return set().union(*(w for w in wholes if len(w) <= CROWDED), *held)

    def scored_matches(
        self, new: Sequence[Statement], taken: set[str] = frozenset(), exhaustive: bool = False
    ) -> dict[int, tuple[str, float]]:
        """new index → (stored key, likeness), for each new statistic whose best stored one is alike (likeness
        ≥ SAME_STATEMENT) and clearly the best (by CLEARLY over the next); each stored key taken
        once, the most alike pairs first; keys in `taken` (the report's own) are not offered.
        `exhaustive` compares every stored statement (to measure what blocking leaves out)."""
        memo: dict[tuple[str, str], float] = {}
        self.looked_up += len(new)

        def ratio(a: str, b: str) -> float:
            got = memo.get((a, b))
            if got is None:
                self.ratios += 1
                got = memo[(a, b)] = _ratio(a, b)
            return got

        pairs = []
        for i, s in enumerate(new):
            n = self.coded(s)
            pool = self._coded.keys() if exhaustive else self.candidates(n)
            scored = []
            for key in pool:
                if key in taken:
                    continue
                o = self._coded[key]
                if o.value_kind != n.value_kind:
                    continue
                self.bounds += 1
                bound = 0.5 * Indel.normalized_similarity(n.statement, o.statement) + 0.5 * (
                    Indel.normalized_similarity(n.near, o.near)
                )
                if bound < FLOOR - _SLACK:
                    continue  # below the floor its exact likeness can neither win nor be the runner-up
                scored.append((bound, key, o))
            scored = exact_top_two(
                scored, lambda o, n=n: 0.5 * ratio(n.statement, o.statement) + 0.5 * ratio(n.near, o.near)
            )
            if not scored or scored[0][0] < SAME_STATEMENT:
                continue
            runner = scored[1][0] if len(scored) > 1 else 0.0
            if scored[0][0] - runner >= CLEARLY:
                pairs.append((scored[0][0], i, scored[0][1]))
        return _greedy(pairs)

    def best_matches(
        self, new: Sequence[Statement], taken: set[str] = frozenset(), exhaustive: bool = False
    ) -> dict[int, str]:
        """new index → stored key (`scored_matches` without the likeness)."""
        return {i: key for i, (key, _) in self.scored_matches(new, taken, exhaustive).items()}

    def subject_matches(
        self, kinds: Sequence[str], new: Sequence[tuple[Subject, float | None]], taken: set[str] = frozenset()
    ) -> dict[int, tuple[str, float]]:
        """new index → (stored key, likeness) by what is counted: the stored statistic of the same kind
        and scope whose subject is alike (≥ SAME_SUBJECT) and clearly the most alike, and whose value
        the new one can follow (`plausible`).  Candidates share a subject word (its blocks)."""
        pairs = []
        for i, (kind, (subject, value)) in enumerate(zip(kinds, new, strict=True)):
            blocks = (self._subject_blocks.get((kind, subject.scope, w)) for w in set(subject.words))
            pool = set().union(*(b for b in blocks if b and len(b) <= CROWDED)) - taken
            scored = sorted(
                (
                    (subject_likeness(subject, self._subjects[key][0]), key)
                    for key in pool
                    if plausible(kind, subject.scope, self._subjects[key][1], value)
                ),
                reverse=True,
            )
            if not scored or scored[0][0] < SAME_SUBJECT:
                continue
            runner = scored[1][0] if len(scored) > 1 else 0.0
            if scored[0][0] - runner >= CLEARLY:
                pairs.append((scored[0][0], i, scored[0][1]))
        return _greedy(pairs)

    def links(
        self,
        keys: Sequence[str],
        new: Sequence[Statement],
        subjects: Sequence[tuple[Subject, float | None]] | None = None,
        follows: Sequence[bool] | None = None,
    ) -> list[Link]:
        """Each new statistic's link: exact when its own key is stored, similar when a stored key is
        adopted — by its statement (`scored_matches`), else by its subject, scope, kind and value
        (`subject_matches`, when `subjects` are given) — new otherwise.  A statistic that `follows`
        another (a percentage its ratio's key decides) is not matched on its own."""
        own = set(keys)
        todo = [i for i, k in enumerate(keys) if k not in self and not (follows and follows[i])]
        found = self.scored_matches([new[i] for i in todo], taken=own)
        out = [Link("exact", k, 1.0) if k in self else Link("new") for k in keys]
        for j, (key, score) in found.items():
            out[todo[j]] = Link("similar", key, round(score, 4))
        if subjects is not None:
            rest = [i for i in todo if out[i].method == "new"]
            taken = own | {link.key for link in out if link.key}
            by_subject = self.subject_matches(
                [new[i].value_kind for i in rest], [subjects[i] for i in rest], taken=taken
            )
            for j, (key, score) in by_subject.items():
                out[rest[j]] = Link("similar", key, round(score, 4))
        return out


def _greedy(pairs: list[tuple[float, int, str]]) -> dict[int, tuple[str, float]]:
    """Each stored key to one new statistic, the most alike pairs first."""
    done: set[str] = set()
    out: dict[int, tuple[str, float]] = {}
    for score, i, key in sorted(pairs, reverse=True):
        if key not in done:
            done.add(key)
            out[i] = (key, score)
    return out
