"""Who said each quotation: the attributing words around it, resolved to an official.

Tried in order, the first that applies wins (docs/drafting.md): words after the closing mark
("…,” said X", "…,” X told reporters"), a dash line ("— X, Title"), words before it in the same
sentence ("X called it “…”", "According to X, … “…”", "X was candid: “…”"), an introducing line
ending in a colon, an earlier quotation of the same paragraph, the previous speaker when a
paragraph continues a quotation, and otherwise nobody (`attribution: none`), never a guess.
"""

import bisect
import re
from dataclasses import dataclass

from briefing.drafting.directory import Person
from briefing.drafting.lexicon import ABBREVIATIONS, ANONYMOUS_NOUNS, PRONOUNS, REPORTING_VERBS, TITLE_WORDS
from briefing.drafting.people import Mention, MentionFinder
from briefing.drafting.quotes import Passage, paragraphs

_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")
_OBJECT_VERBS = frozenset(
    ["told", "tells", "called", "calls", "described", "describes", "asked", "asks", "urged", "urges"]
)
_ASIDE_START = re.compile(r",\s+(?:who|whose|which|known|a|an|the|one|also|then|speaking|now)\b")


@dataclass
class Attribution:
    """The speaker of a quotation and the evidence for it."""

    speaker: Person | None
    method: str  # name | title | pronoun | continuation | none
    text: str = ""
    start: int | None = None
    confidence: float = 0.5
    mention: Mention | None = None


def sentence_start(body: str, position: int, floor: int) -> int:
    """Where the sentence holding ``position`` starts (not before ``floor``)."""
    i = position - 1
    while i > floor:
        if body[i] in ".!?" and body[i + 1 : i + 2].isspace() and not _abbreviation_before(body, i):
            return i + 1 + (len(body[i + 1 : position]) - len(body[i + 1 : position].lstrip()))
        i -= 1
    return floor


def sentence_end(body: str, position: int, limit: int) -> int:
    """Where the sentence holding ``position`` ends (its final mark excluded; not after ``limit``)."""
    i = position
    while i < limit:
        if (
            body[i] in ".!?;"
            and (i + 1 >= len(body) or body[i + 1].isspace())
            and not _abbreviation_before(body, i)
        ):
            return i
        i += 1
    return limit


def _abbreviation_before(body: str, i: int) -> bool:
    m = re.search(r"([\w.]+)$", body[max(0, i - 12) : i])
    if not m:
        return False
    word = m.group(1).lower()
    return word in ABBREVIATIONS or len(word) == 1 or ("." in word and len(word) <= 5)


class Attributor:
    """Attributes each speech passage of a body, in order."""

    def __init__(self, body: str, passages: list[Passage], finder: MentionFinder):
        self.body = body
        self.passages = [p for p in passages if p.speech]
        self.finder = finder
        self.mentions = finder.mentions
        self.starts = [m.start for m in self.mentions]
        self.lines = paragraphs(body)
        self.spoken: list[Person] = []  # speakers so far, most recent first
        self.quoted = [(p.start - 1, p.end + 1) for p in passages]
        # The body with quotations blanked out, to find sentences around them.
        masked = list(body)
        for start, end in self.quoted:
            for i in range(max(0, start), min(len(body), end)):
                if masked[i] != "\n":
                    masked[i] = " "
        self.masked = "".join(masked)

    def _genders(self) -> dict[str, str]:
        """What the text says of each official's gender: an honorific (Mr, Ms) or the first
        possessive or subject pronoun after a mention in its sentence ("Harrow met her counterpart")."""
        genders: dict[str, str] = {}
        for m in self.mentions:
            if m.person is None or m.person.slug in genders:
                continue
            lows = {h.lower().rstrip(".") for h in m.person.honorifics}
            if lows & {"mr", "sir", "lord"}:
                genders[m.person.slug] = "m"
                continue
            if lows & {"ms", "mrs", "dame", "lady"}:
                genders[m.person.slug] = "f"
                continue
            after = self.masked[m.end : sentence_end(self.masked, m.end, min(len(self.body), m.end + 80))]
            first = re.search(r"\b(he|his|him|she|her|hers)\b", after, re.IGNORECASE)
            others = [o for o in self.mentions if m.end < o.start < m.end + len(after)]
            if first and not (others and others[0].start < m.end + first.start()):
                genders[m.person.slug] = "f" if first.group(1).lower().startswith(("she", "her")) else "m"
        return genders

    def run(self) -> list[Attribution]:
        self.genders = self._genders()
        results: list[Attribution] = []
        for n, passage in enumerate(self.passages):
            found = self._attribute(n, passage, results)
            results.append(found)
            if found.speaker is not None:
                self.spoken = [found.speaker] + [p for p in self.spoken if p is not found.speaker]
        return results

    # -- the order of evidence ---------------------------------------------------------------------

    def _attribute(self, n: int, passage: Passage, done: list[Attribution]) -> Attribution:
        pstart, pend = self.lines[passage.paragraph]
        nxt = self.passages[n + 1] if n + 1 < len(self.passages) else None
        limit = nxt.start - 1 if nxt is not None and nxt.paragraph == passage.paragraph else pend
        prev = self.passages[n - 1] if n > 0 else None
        first = n
        while first > 0 and self.passages[first - 1].paragraph == passage.paragraph:
            first -= 1
        same_paragraph = list(zip(self.passages[first:n], done[first:n], strict=True))
        found = self._trailing(passage, limit)
        if passage.reopened and done and found is None:
            # A paragraph reopening a running quotation continues its speaker, unless it says
            # who speaks itself (guide: continuation is for paragraphs with no attributing words).
            return self._continuation(done[-1])
        if found is None:
            floor = prev.end + 1 if prev is not None and prev.paragraph == passage.paragraph else pstart
            shared = same_paragraph[-1][1] if same_paragraph else None
            # Words of its own before it win ("…” Hoff told the paper. She said … “open”");
            # otherwise it shares the attribution just before it (“We will,” she said, “act.”).
            found = self._leading(passage, floor)
            if found is not None and shared is not None and shared.start == found.start:
                return shared  # the same words: the interrupted quotation's attribution, whole
            if (
                found is None
                and shared is not None
                and shared.start is not None
                and shared.start >= floor
                and shared.method != "none"
            ):
                return shared
        if found is None and same_paragraph:
            earlier = [a for _, a in same_paragraph if a.method != "none" or a.text]
            if earlier:
                return earlier[-1]
        if found is None and passage.start - 1 == pstart + (
            len(self.body[pstart:pend]) - len(self.body[pstart:pend].lstrip())
        ):
            found = self._introducing_line(passage)
            if found is None and done and self._previous_paragraph_has(passage.paragraph, n):
                return self._continuation(done[-1])
        return found or Attribution(None, "none", confidence=0.5)

    def _continuation(self, previous: Attribution) -> Attribution:
        if previous.speaker is None:
            return Attribution(None, "none", confidence=0.5)
        return Attribution(previous.speaker, "continuation", confidence=min(0.75, previous.confidence))

    def _previous_paragraph_has(self, paragraph: int, n: int) -> bool:
        index = paragraph - 1
        while index >= 0 and not self.body[slice(*self.lines[index])].strip():
            index -= 1
        return any(p.paragraph == index for p in self.passages[:n])

    # -- after the quotation -----------------------------------------------------------------------

    def _trailing(self, passage: Passage, limit: int) -> Attribution | None:
        text_end = self.body[passage.start : passage.end].rstrip()
        after = passage.end + 1
        rest = self.body[after:limit]
        lead = len(rest) - len(rest.lstrip(" ,;"))
        start = after + lead
        if start >= limit:
            return None
        if self.body[start] in "—–" or self.body[start : start + 2] == "- ":
            line_end = self.body.find("\n", start)
            line_end = limit if line_end == -1 or line_end > limit else line_end
            span = self.body[start:line_end].rstrip(" .")
            mention = self._mention_in(start, start + len(span))
            if mention is None:
                return None
            return self._by_mention(mention, span, start)
        if text_end.endswith(".") and self.body[start].isupper():
            return None  # a new sentence begins
        end = sentence_end(self.body, start, limit)
        words = list(_WORD.finditer(self.body, start, end))
        if not words:
            return None
        first = words[0].group().lower()
        if first in REPORTING_VERBS:
            ref_start = words[1].start() if len(words) > 1 else end
            # Not a relative clause after the inverted speaker, nor a participle ("…, adding that").
            relative = re.compile(r",?\s+(?:who|whose|which)\b|,\s+(?:and|but|while|\w+ing)\b").search(
                self.body, ref_start, end
            )
            stop = relative.start() if relative else end
            span = self.body[start:stop].rstrip(" ,.;:")
            return self._by_reference(ref_start, start + len(span), span, start, inverted=True)
        for w in words[:14]:
            if w.group().lower() in REPORTING_VERBS and self._is_subject_phrase(start, w.start()):
                that = re.search(r"\s+that\b|,\s+(?:and|but|while|as|\w+ing)\b", self.body[w.end() : end])
                stop = w.end() + that.start() if that else end
                span = self.body[start:stop].rstrip(" ,.;:")
                return self._by_reference(start, w.start(), span, start)
        return None

    def _is_subject_phrase(self, start: int, verb: int) -> bool:
        """Whether the words from ``start`` to a verb name who speaks (not a new clause)."""
        phrase = self.body[start:verb].strip()
        if not phrase:
            return False
        head = phrase.split()[0].lower().strip(",")
        if head in PRONOUNS:
            return len(phrase.split()) <= 3
        mention = self._mention_in(start, verb)
        if mention is not None and mention.start <= start + 4:
            return True
        return head in {"the", "a", "an", "one"} and len(phrase.split(",")[0].split()) <= 6

    # -- before the quotation ----------------------------------------------------------------------

    def _leading(self, passage: Passage, floor: int) -> Attribution | None:
        mark = passage.start - 1
        start = sentence_start(self.body, mark, floor)
        segment = self.body[start:mark]
        if not segment.strip(" ,"):
            return None
        according = ([None, *re.finditer(r"\b[Aa]ccording to\s+", segment)])[-1]
        if according is not None:
            ref = start + according.end()
            stop = self.body.find(",", ref, mark)
            stop = mark if stop == -1 else stop
            span = self.body[start + according.start() : stop].rstrip()
            return self._by_reference(ref, stop, span, start + according.start())
        verbs = [m for m in _WORD.finditer(self.body, start, mark) if m.group().lower() in REPORTING_VERBS]
        verbs = [v for v in verbs if not self._inside_quote(v.start())]
        if verbs:
            first = None
            for v in verbs:
                ref = self._subject_before(start, v.start())
                if ref is not None:
                    first = (v, ref)
                    break
            if first is not None:
                verb, (ref_start, ref_end) = first
                # Coordinated verbs share the subject ("He stressed that …, and said"); a new
                # subject ("said he hoped") starts a reported clause the attribution leaves out.
                last = verb
                for later in verbs[verbs.index(verb) + 1 :]:
                    words = re.findall(r"[^\W\d_]+", self.body[last.end() : later.start()].lower())
                    if any(w in PRONOUNS or w in {"i", "we"} for w in words):
                        break
                    last = later
                stop = last.end()
                between = self.body[stop:mark]
                cut = re.search(r"\bthat\b|[“\":]", between)
                extension = between[: cut.start()] if cut else between
                words = extension.split()
                # Only verbs with an object before the quotation reach past themselves
                # ("told parliament on Tuesday", "called the agreement", "described … as").
                takes_object = last.group().lower() in _OBJECT_VERBS
                if (
                    takes_object
                    and 0 < len(words) <= 6
                    and not any(w.lower().strip(",") in PRONOUNS or w.lower() in {"i", "we"} for w in words)
                    and (cut is None or cut.group() != "")
                ):
                    stop += len(extension.rstrip(" ,"))
                span = self.body[ref_start:stop].rstrip(" ,:")
                return self._by_reference(ref_start, ref_end, span, ref_start)
        if segment.rstrip().endswith(":"):
            return self._colon_line(start, start + len(segment.rstrip()) - 1)
        return None

    def _subject_before(self, start: int, verb: int) -> tuple[int, int] | None:
        """The speaker reference a reporting verb's subject is, with an aside allowed between."""
        before = self.body[start:verb]
        stripped = before.rstrip()
        if stripped.endswith(","):
            aside = _ASIDE_START.search(before)
            if aside is not None:
                return self._reference_ending(start, start + aside.start())
        # The reference right before the verb, allowing up to two auxiliary words.
        words = list(_WORD.finditer(self.body, start, verb))
        tail = words[-3:]
        for w in tail:
            if w.group().lower() in PRONOUNS:
                return w.start(), w.end()
        return self._reference_ending(
            start, start + len(stripped), slack=len(" ".join(x.group() for x in tail[1:])) + 2
        )

    def _reference_ending(self, start: int, end: int, slack: int = 1) -> tuple[int, int] | None:
        for mention in reversed(
            self.mentions[bisect.bisect_left(self.starts, start) : bisect.bisect_right(self.starts, end)]
        ):
            if start <= mention.start and end - slack - 1 <= mention.end <= end:
                return mention.start, mention.end
        words = list(_WORD.finditer(self.body, start, end))
        for k, w in enumerate(words):
            if w.group().lower() in ANONYMOUS_NOUNS and w.end() >= end - slack - 12:
                head = k
                while head > 0 and words[head - 1].group().lower() not in {
                    "the",
                    "a",
                    "an",
                    "one",
                    "what",
                    "after",
                }:
                    head -= 1
                if head > 0 and words[head - 1].group().lower() in {"the", "a", "an", "one"}:
                    head -= 1
                return words[head].start(), w.end()
            if w.group().lower() in PRONOUNS and w.end() >= end - 12:
                return w.start(), w.end()
        return None

    def _colon_line(self, start: int, colon: int) -> Attribution | None:
        for mention in self.mentions:
            if start <= mention.start < colon:
                return self._by_mention(mention, self.body[mention.start : colon].rstrip(), mention.start)
        for w in _WORD.finditer(self.body, start, colon):
            if w.group().lower() in PRONOUNS:
                return self._pronoun(w.start(), w.end(), self.body[w.start() : colon].rstrip(), w.start())
        return None

    def _introducing_line(self, passage: Passage) -> Attribution | None:
        index = passage.paragraph - 1
        while index >= 0 and not self.body[slice(*self.lines[index])].strip():
            index -= 1
        if index < 0:
            return None
        pstart, pend = self.lines[index]
        line = self.body[pstart:pend].rstrip()
        if not line.endswith(":"):
            return None
        colon = pstart + len(line) - 1
        start = sentence_start(self.body, colon, pstart)
        return self._colon_line(start, colon)

    # -- resolving a reference ---------------------------------------------------------------------

    def _inside_quote(self, position: int) -> bool:
        return any(s <= position < e for s, e in self.quoted)

    def _mention_in(self, start: int, end: int) -> Mention | None:
        k = bisect.bisect_left(self.starts, start)
        if k < len(self.mentions) and self.mentions[k].start < end:
            return self.mentions[k]
        return None

    def _by_reference(self, ref_start: int, ref_end: int, span: str, span_start: int, inverted=False):
        if not span:
            return None
        mention = self._mention_in(ref_start, max(ref_end, ref_start + 1))
        if mention is not None and (not inverted or mention.start <= ref_start + 4):
            return self._by_mention(mention, span, span_start)
        words = list(_WORD.finditer(self.body, ref_start, max(ref_end, ref_start + 1)))
        if words and words[0].group().lower() in PRONOUNS:
            return self._pronoun(words[0].start(), words[0].end(), span, span_start)
        if words and any(w.group().lower().strip(".,") in ANONYMOUS_NOUNS for w in words[:6]):
            return Attribution(None, "none", span, span_start, confidence=0.8)
        if words and any(w.group().lower() in TITLE_WORDS for w in words[:6]):
            # "the Sarnian leader said" that fits no official, or several: nobody, never the
            # speaker before it.
            return Attribution(None, "none", span, span_start, confidence=0.4)
        return None if not inverted else Attribution(None, "none", span, span_start, confidence=0.5)

    def _by_mention(self, mention: Mention, span: str, span_start: int) -> Attribution:
        person, confidence = mention.person, mention.confidence
        if mention.kind == "title":
            person, confidence = self._title_referent(mention)
            if person is None:
                return Attribution(None, "none", span, span_start, confidence=0.5, mention=mention)
            mention.person = person
            return Attribution(person, "title", span, span_start, confidence=confidence, mention=mention)
        return Attribution(person, "name", span, span_start, confidence=max(confidence, 0.9), mention=mention)

    def _title_referent(self, mention: Mention) -> tuple[Person | None, float]:
        """The official a title-only reference names. When the title fits several officials
        equally ("the minister" with two ministers in the article), a reader takes the subject
        of the sentences just before it, in its own or the previous paragraph, if the title fits
        them, else the only one of them already quoted; otherwise nobody is named (annotation
        guide 2.3: a speaker is never a guess)."""
        fitting = self.finder.title_candidates(
            mention.title, mention.qualifiers, mention.start, self.mentions, self.spoken
        )
        if len(fitting) <= 1:
            return (fitting[0], 0.85) if fitting else (None, 0.0)
        subject = self._antecedent(mention.start)
        if (
            subject is not None
            and subject.person in fitting
            and self._same_or_previous_paragraph(subject.start, mention.start)
        ):
            return subject.person, 0.7
        # Of officials the title fits, the one who has already spoken in the article is the
        # speaker a reader follows ("underlined US Secretary" after Blinken's answers, not Austin).
        quoted = [p for p in fitting if p in self.spoken]
        if len(quoted) == 1:
            return quoted[0], 0.6
        return None, 0.0

    def _pronoun(self, start: int, end: int, span: str, span_start: int) -> Attribution:
        gender = PRONOUNS.get(self.body[start:end].lower())
        antecedent = self._antecedent(start, gender) or next(
            (
                m
                for m in reversed(self.mentions[: bisect.bisect_left(self.starts, start)])
                if m.end <= start and m.person is not None and self._agrees(m.person, gender)
            ),
            None,
        )
        if antecedent is None:
            return Attribution(None, "none", span, span_start, confidence=0.4)
        near = self._same_or_previous_paragraph(antecedent.start, start)
        confidence = 0.8 if near else 0.55
        if self.genders.get(antecedent.person.slug) != gender and self._rival_between(
            antecedent, start, gender
        ):
            confidence = min(confidence, 0.6)  # another official fits the pronoun as well
        return Attribution(antecedent.person, "pronoun", span, span_start, confidence=confidence)

    def _rival_between(self, antecedent: Mention, position: int, gender: str | None) -> bool:
        """Whether another official, whose gender the text does not set apart, is named between
        the antecedent and the pronoun."""
        low, high = (
            bisect.bisect_right(self.starts, antecedent.start),
            bisect.bisect_left(self.starts, position),
        )
        return any(
            m.person is not None and m.person is not antecedent.person and self._agrees(m.person, gender)
            for m in self.mentions[low:high]
        )

    def _agrees(self, person: Person, gender: str | None) -> bool:
        known = getattr(self, "genders", {}).get(person.slug)
        return gender not in ("m", "f") or known is None or known == gender

    def _antecedent(self, position: int, gender: str | None = None) -> Mention | None:
        """The antecedent a reader gives a pronoun: the subject (first official named, not as a
        possessor) of its own sentence before it, else of the nearest sentence before that names
        one, at most two paragraphs back."""
        paragraph_starts = [s for s, _ in self.lines]
        index = bisect.bisect_right(paragraph_starts, position) - 1
        floor = paragraph_starts[max(0, index - 2)]
        end = position
        while end > floor:
            pstart = paragraph_starts[bisect.bisect_right(paragraph_starts, end - 1) - 1]
            start = sentence_start(self.masked, end, pstart)
            low, high = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
            for mention in self.mentions[low:high]:
                if (
                    mention.person is not None
                    and self.body[mention.end : mention.end + 2] not in ("’s", "'s")
                    and self._agrees(mention.person, gender)
                ):
                    return mention
            end = start - 1
        return None

    def _same_or_previous_paragraph(self, a: int, b: int) -> bool:
        paragraph_starts = [s for s, _ in self.lines]
        return bisect.bisect_right(paragraph_starts, b) - bisect.bisect_right(paragraph_starts, a) <= 2
