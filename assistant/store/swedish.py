"""Swedish text analysis for BM25: lower-case word tokens, Snowball stopwords, Snowball stemming,
compound parts and proximity terms.

Proximity terms are unordered pairs of stems that occur at most `PAIR_WINDOW` positions apart
("upphandl|organisation"). Indexed beside the stems they let BM25 reward passages where the query's
words stand together, which plain bag-of-words BM25 cannot.

Compound parts: Swedish writes compounds as one word, so a question's »leverantörskedjan« and a
document's »kedjan av leverantörer« share no stem. A word of eight or more letters is split into known
word forms (from the Swedish lexicon in data/sv_words.tsv.gz), with an optional linking s, preferring
the fewest parts and then the longest last part (the head of a Swedish compound). Parts are indexed
beside the whole word and searched at a lower weight than the query's own stems.
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
# Snowball's Swedish stopword list (as bm25s ships it), kept here: importing bm25s for it would load
# scipy on every question.
STOPWORDS = frozenset(
    "alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där "
    "då efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke "
    "ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något "
    "några och om oss på samma sedan sen sig sin sina sitta själv skulle som så sådan sådana sådant till under upp "
    "ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än "
    "är åt över".split()
)
PAIR_WINDOW = 2
_LEXICON = Path(__file__).resolve().parent / "data" / "sv_words.tsv.gz"
_SYNONYMS = Path(__file__).resolve().parent / "data" / "sv_synonyms.tsv.gz"
_MIN_COMPOUND = 8
_MIN_PART = 4


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def _tsv_columns(path: Path) -> tuple[list[str], list[str]]:
    """The two columns of a gzipped two-column TSV file. Read in bulk, not line by line: both files are
    read for every question, and a loop over their 100 000 lines took longer than the search."""
    fields = gzip.decompress(path.read_bytes()).decode("utf-8").strip("\n").replace("\t", "\n").split("\n")
    if len(fields) % 2:
        raise ValueError(f"{path.name}: varje rad ska ha två kolumner")
    return fields[0::2], fields[1::2]


class Lexicon:
    """Swedish word forms with their Zipf frequency (see data/README.md), kept as the file's two columns.
    The file is sorted by word (scripts/build_lexicon.py), so a word is found by bisection, and no
    dictionary of 100 000 entries is built for every question."""

    def __init__(self, words: list[str], zipfs: list[str]):
        self.words = words
        self._zipfs = zipfs

    def _find(self, word: str) -> int:
        i = bisect_left(self.words, word)
        return i if i < len(self.words) and self.words[i] == word else -1

    def __contains__(self, word: str) -> bool:
        return self._find(word) >= 0

    def zipf(self, word: str) -> float:
        """How common `word` is in Swedish (Zipf frequency), 0.0 for a word the lexicon lacks."""
        i = self._find(word)
        return float(self._zipfs[i]) if i >= 0 else 0.0

    def starts_a_word(self, prefix: str) -> bool:
        i = bisect_left(self.words, prefix)
        return i < len(self.words) and self.words[i].startswith(prefix)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(*_tsv_columns(_LEXICON))


def zipf(word: str) -> float:
    return lexicon().zipf(word)


@lru_cache(maxsize=1)
def _thesaurus() -> dict[str, str]:
    """Swedish synonyms (see data/README.md): word → its synonyms of one or two words, "|"-separated."""
    heads, synonyms = _tsv_columns(_SYNONYMS)
    return dict(zip(heads, synonyms, strict=True))


# Suppletive comparison: a question's »liten kommun« is a document's »mindre organisationer«.
_FORMS = {
    "liten": ("mindre", "minsta", "små"), "litet": ("mindre", "små"), "lilla": ("mindre", "små"),
    "små": ("mindre", "minsta", "liten"), "mindre": ("liten", "små", "minsta"),
    "stor": ("större", "störst", "största"), "stora": ("större", "största"), "större": ("stor", "stora", "största"),
    "många": ("fler", "flest", "flera"), "fler": ("många", "flera"), "bra": ("bättre", "bäst", "god"),
    "god": ("bättre", "bäst", "bra"), "dålig": ("sämre", "sämst", "brist"), "gammal": ("äldre", "äldst"),
    # Strong verbs' past tense (»Vem sa det?«): the documents' present tense (»… säger civilministern«).
    "sa": ("säger", "säga"), "sade": ("säger", "säga"), "skrev": ("skriver", "skriva"), "gjorde": ("gör", "göra"),
    "fick": ("får", "få"), "tog": ("tar", "ta"), "gav": ("ger", "ge"), "kom": ("kommer", "komma"),
    "föreslog": ("föreslår", "föreslå"), "beslöt": ("beslutar", "besluta"),
}


# Inflections the thesaurus does not list (it has base forms): »lodräta« is »lodrät«, »sparat« »spara«.
# Only adjective and verb endings: a noun's base form lists too many loose senses (»verksamheten« → »rörelse«).
_ENDINGS = ("ade", "a", "t")
_INFLECTED_ZIPF = 3.5


def synonyms(word: str) -> tuple[str, ...]:
    word = word.lower()
    thesaurus = _thesaurus()
    listed = thesaurus.get(word)
    # Only rarer words (Zipf < 3.5): the everyday ones are listed as they are, or are verbs whose noun means
    # something else (»jobba« is not »jobb«).
    if listed is None and len(word) > 5 and zipf(word) < _INFLECTED_ZIPF:
        base = next(
            (word[: -len(e)] for e in _ENDINGS if word.endswith(e) and word[: -len(e)] in thesaurus and word[: -len(e)] not in STOPWORDS),
            None,
        )
        base = base or next((word[: -len(e)] + "a" for e in ("at", "ar") if word.endswith(e) and word[: -len(e)] + "a" in thesaurus), None)
        listed = thesaurus.get(base) if base else None
    return _FORMS.get(word, ()) + (tuple(listed.split("|")) if listed is not None else ())


def synonym_stems(text: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """Stems of the synonyms of the words in `text` that differ from the words' own stems (and, with
    `known`, that the index knows). Multi-word synonyms contribute their content words."""
    own = set(stems(text))
    out: list[str] = []
    for w in words(text):
        for syn in synonyms(w):
            for s in stems(syn):
                if s not in own and s not in out and len(s) > 2 and (known is None or known(s)):
                    out.append(s)
    return out


def words(text: str) -> list[str]:
    """Lower-case content words: no stopwords, no one-letter tokens except digits."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The known parts of a compound word (lower case), or () when it is not one."""
    if len(word) < _MIN_COMPOUND or not word.isalpha():
        return ()
    return tuple(_split(word, depth=0) or ())


def _split(word: str, depth: int) -> list[str] | None:
    lex = lexicon()
    best: tuple[tuple[int, int], list[str]] | None = None
    for i in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:i], word[i:]
        heads = [head, head[:-1]] if head.endswith("s") and len(head) > _MIN_PART else [head]
        for h in heads:
            if h not in lex or h in STOPWORDS:
                continue
            if tail in lex and tail not in STOPWORDS:
                parts = [h, tail]
            elif depth == 0:
                rest = _split(tail, depth + 1)
                if not rest:
                    continue
                parts = [h, *rest]
            else:
                continue
            key = (len(parts), -len(parts[-1]))
            if best is None or key < best[0]:
                best = (key, parts)
    return best[1] if best else None


# Short last parts the splitter leaves alone (its parts have at least four letters): »inriktningsmål«.
_SHORT_HEADS = ("mål", "råd", "lag", "tid", "del", "typ", "led", "nivå", "år")


def short_head(word: str) -> str | None:
    """The short last part of a compound (»inriktningsmål« → »mål«) when the rest is a word, else None.
    Used by the answer step only: the search index keeps the splitter's parts."""
    word = word.lower()
    for head in _SHORT_HEADS:
        rest = word[: -len(head)]
        # (»år« after a short word is often a verb's ending: »förstår«; »budgetår«, »verksamhetsår« are longer.)
        shortest = _MIN_PART + 2 if head == "år" else _MIN_PART
        if word.endswith(head) and len(rest) >= shortest and (rest in lexicon() or rest[:-1] in lexicon()):
            return head
    return None


def supine_base(word: str) -> str | None:
    """»kategoristyrt« → »kategoristyr«, the stem the documents' »kategoristyrning« gives (derived_stems)."""
    return word[:-1] if len(word) >= 6 and word.endswith("rt") else None


def present_verb(word: str) -> bool:
    """»handlar«, »jobbar«, »beräknas«: a present-tense form whose infinitive (»handla«) is an everyday word."""
    m = re.match(r"(\w{3,})(ar|er|as|es)$", word.lower())
    return bool(m) and zipf(m.group(1) + "a") >= 2.5


def past_verb(word: str) -> bool:
    """»räknade«, »lanserades«: a past-tense form of an everyday first-conjugation verb (»räkna«)."""
    m = re.match(r"(\w{3,})(ade|ades)$", word.lower())
    return bool(m) and zipf(m.group(1) + "a") >= 2.5


def passive_verb(word: str) -> bool:
    """»nämns«, »används«, »görs«: a present passive whose infinitive (»nämna«) is a commoner word than itself."""
    m = re.match(r"(\w{3,})s$", word.lower())
    return bool(m) and zipf(m.group(1) + "a") >= 3.0 and zipf(m.group(1) + "a") > zipf(word.lower())


def verb_form_zipf(word: str) -> float:
    """How common the verb is that `word` may be a form of (»lutat«, »lutade«, »lutar« → »luta«); 0 if none."""
    m = re.match(r"(\w{3,}?)(at|ade|ades|ar|as)$", word.lower())
    return zipf(m.group(1) + "a") if m else 0.0


# Noun endings (definite, plural) a loan or a rarer form carries that the lexicon may lack: »sliden« is »slide«,
# »mötena« »möte«.
_NOUN_ENDINGS = ("erna", "arna", "orna", "na", "en", "et", "er", "ar", "or", "n", "t", "s")


def base_zipf(word: str) -> float:
    """How common the word is, or the word it inflects when that is commoner (»sliden« → »slide«)."""
    word = word.lower()
    bases = [word[: -len(e)] for e in _NOUN_ENDINGS if word.endswith(e) and len(word) - len(e) >= 4]
    return max([zipf(word), *(zipf(b) for b in bases)])


_LETTERS = "abcdefghijklmnopqrstuvwxyzåäöé"
_TYPO_OF_ZIPF = 4.0  # only a common word is what a slip of the keyboard most likely meant
_SHORT_TYPO_OF_ZIPF = 5.0


@lru_cache(maxsize=4096)
def typo_of(word: str) -> str | None:
    """The common word a word missing from the lexicon is one typing slip away from (»egentlgen« →
    »egentligen«, »dne« → »den«), or None. In a word of three or four letters only two swapped neighbours
    count: one changed letter there makes another word or an abbreviation (»cpv«)."""
    word = word.lower()
    if not word.isalpha() or len(word) < 3 or zipf(word) > 0:
        return None
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)]
    if len(word) <= 4:
        found = [(zipf(c), c) for c in swaps if c in STOPWORDS or zipf(c) >= _SHORT_TYPO_OF_ZIPF]
        return max(found)[1] if found else None
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    candidates = set(swaps)
    candidates.update(a + b[1:] for a, b in splits if b)
    candidates.update(a + c + b[1:] for a, b in splits if b for c in _LETTERS)
    candidates.update(a + c + b for a, b in splits for c in _LETTERS)
    found = [(zipf(c), c) for c in candidates if c != word]
    best = max(found, default=(0.0, ""))
    return best[1] if best[0] >= _TYPO_OF_ZIPF else None


def part_stems(text: str) -> list[str]:
    """Stems of the compound parts of the words in `text` (each word's parts once), and the derived
    stems that join a verb with its noun: »uppföljning« → uppfölj, »följa upp« → uppfölj."""
    out = []
    for w in words(text):
        out += _stemmer().stemWords(list(compound_parts(w)))
    return out + derived_stems(text)


_PARTICLES = frozenset("upp in fram ut av till om på över bort ner igång ihop samman tillbaka".split())
_NOMINAL = re.compile(r"(?<=\w{3})(ning|ande|ende|nad)$")


def derived_stems(text: str) -> list[str]:
    """Verb stems behind nouns (»styrning« → styr, »uppföljning« → uppfölj) and particle verbs joined
    the way Swedish joins them in nouns (»köper in« → inköp, »följer upp« → uppfölj, when such a word
    exists), so a question's verb finds a document's noun and the other way round."""
    out = []
    for s in stems(text):
        m = _NOMINAL.search(s)
        if m:
            out.append(s[: m.start()])
    tokens = _WORD.findall(text.lower())
    for i, tok in enumerate(tokens):
        if tok not in _PARTICLES:
            continue
        for j in (i - 1, i - 2):
            if j >= 0 and tokens[j] not in STOPWORDS and tokens[j] not in _PARTICLES and tokens[j].isalpha():
                joined = tok + _stemmer().stemWord(tokens[j])
                if lexicon().starts_a_word(joined):
                    out.append(joined)
                break
    return out


def pair_terms(stemmed: list[str]) -> list[str]:
    pairs = []
    for i, a in enumerate(stemmed):
        for b in stemmed[i + 1 : i + 1 + PAIR_WINDOW]:
            if a != b:
                pairs.append(f"{a}|{b}" if a < b else f"{b}|{a}")
    return pairs


def index_terms(text: str) -> list[str]:
    """A passage's BM25 terms: stems, proximity pairs and compound parts. Parts share the stems' term
    space, so »strategi« in a question finds »kategoristrategi« in a passage."""
    stemmed = stems(text)
    return stemmed + pair_terms(stemmed) + part_stems(text)


SYNONYM_WEIGHT = 0.3


def query_terms(text: str, known: Callable[[str], bool] | None = None) -> list[tuple[list[str], float]]:
    """A query's BM25 terms in weighted groups: its stems and pairs at full weight, the compound parts
    of its words at half weight (a part says less about the topic than the whole word), thesaurus
    synonyms of its words at a low weight (they are often another sense of the word).

    With `known` (is a stem in the index?), a word the index lacks that ends in a short part (»strategidel«:
    »strategi« + »del«, which the splitter leaves whole) is searched by its two parts too."""
    stemmed = stems(text)
    parts = part_stems(text)
    if known is not None:
        for w in words(text):
            head = short_head(w)
            if head and not known(stem(w)):
                parts += [stem(w[: -len(head)]), stem(head)]
            base = supine_base(w)
            if base and known(base):
                parts.append(base)  # »jobba kategoristyrt« finds »kategoristyrning« (→ kategoristyr)
        # The noun a verb makes with -nad: »vad ska det kosta« finds »kostnad«, which the documents write.
        parts += [s + "nad" for s in stemmed if len(s) >= 3 and not s.endswith("nad") and known(s + "nad")]
    return [(stemmed + pair_terms(stemmed), 1.0), (parts, 0.5), (synonym_stems(text), SYNONYM_WEIGHT)]
