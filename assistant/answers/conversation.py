"""Follow-up questions: is a question elliptic, and what is it about?

A chat question is read on its own unless it leans on the previous one. Three Swedish signs of an
elliptic follow-up, in the order they are checked:

- it opens with a connective: "Och för små myndigheter?", "Men hur följer man upp det?", or with a
  condition and no question of its own: "Om vi i stället låg under 200 miljoner?";
- it is a fragment without a question word or verb: "Riskbranscher?", "Stora myndigheter då?";
- it points back with a pronoun and names at most one topic of its own: "Vem är den till?",
  "Vad säger färdplanen om det?", "Vilka är de nya?" (two when the pronoun ends it after a preposition:
  "Var hamnar kategoristyrning i det?");
- it names no topic at all: "Varför så få?";
- it ends a clause with »då«: "Hur många blir det totalt då?".

A reply word before it (»Okej, men …«) is read past.

Anything else is self-contained and is never mixed with the previous question ("Vad är
ambitionsgrafen?" after "Hur kommer vi igång …?"). A follow-up of a follow-up is resolved through the
whole chain, so its topic is the last self-contained question.

The same rules decide, in LLM mode, whether the model is asked to rewrite the question at all.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.store.swedish import STOPWORDS, stem

_CONNECTIVE = re.compile(
    r"^\s*(och|men|också|samt|även|plus|eller|respektive|så|då|alltså|fast|"
    r"vad mer|hur då|varför då|vad gäller|när det gäller|i så fall|gäller det(ta)?|än|"
    # »Om vi i stället låg under 200 miljoner?«: a condition without its question is the earlier one's
    # (a condition followed by its own question, »Om vi köper för 3 miljoner, måste vi annonsera?«, is not)
    r"om (vi|man|jag|ni|det|den|de)\b(?![^?]*(\b(vad|hur|vilka|vilken|vilket|när|vem|varför)\b|,)))\b",
    re.I,
)
_QUESTION_START = re.compile(
    r"^\s*(vad|vem|vems|vilka|vilken|vilket|hur|när|var|varför|vart|varifrån|kan|kunde|ska|skall|bör|borde|"
    r"får|måste|finns|fanns|är|var|gäller|har|hade|behöver|brukar|går|stämmer|ge|lista|nämn|berätta|"
    r"beskriv|förklara|sammanfatta|jämför|visa|säg)\b",
    re.I,
)
# "Hur många blir det totalt då?", "Vem ska besluta då – är det …?": a trailing »då« leans on what came before.
_THEN = re.compile(r"\bdå\s*(\?|[–—-]|,|$)", re.I)
# »Har det kommit några nya sen dess?«, »Vad kostar en sån?«: words that only point back.
_BACK = re.compile(
    r"\b(i stället|istället)\b(?!\s+för\b)|\b(sen|sedan) dess\b|\bdärefter\b|\b(den|det|dom|de) där\b|\bsån(a|t)?\b|\b(den|det|de|dom) ((två|tre|fyra|fem) )?(första|andra|tredje|sista|senare)\b|"
    # »Vem ska dra igång det hela?«, »Vad kan vi då skriva …?«: »då« after the subject is »in that case«
    r"\bdet hela\b|\b(vi|man|ni|jag|de|dom) då\b",
    re.I,
)
_SHORT_QUESTION_WORDS = 6
_POINTER = re.compile(r"\b(den|det|de|dem|dessa|detta|denna|där|dit|därför|sådan|sådana|sådant|samma|dom)\b", re.I)
# »Var hamnar kategoristyrning i det?«: a pointer that ends the question after a preposition is what it is about.
# (»samma X som Y« compares within the question itself: no earlier thing is pointed at.)
_SAME = re.compile(r"\bsamma\s+\w{3,}\b(?!(?:\s+\w+){0,3}\s+som\b)", re.I)
_END_POINTER = re.compile(r"\b(i|om|med|för|till|av|på|från|inom|kring)\s+(den|det|dem|dessa|detta|denna|dom)\s*[?.!]*\s*$", re.I)
# »Okej, men vad …«, »Ja, och …«: a reply word before the connective.
_REPLY = re.compile(r"^\s*(okej|ok|jaha|aha|ja|nej|mm|bra|tack|precis|jaså|intressant|toppen)\b[,!.]*\s*", re.I)
# Words that carry no topic of their own in a follow-up ("hur följer man upp den?").
_GENERIC = frozenset(
    "gör göra görs gjort följa följer följs upp använda använder används användas innebär innebära betyder "
    "betyda menas mena handlar handla fungerar fungera funkar funka gå går ske sker säga säger står stå "
    "sak saker tänka tycker tycka finns finnas få får fick kommer komma ta tar då mer fler annat andra bra viktigt "
    "exempel oss vi man ni jag egentligen typ rent praktiskt sätt till för om med ut in på av igen också "
    "ungefär cirka snälla tack många mycket totalt nu hur hålla håller hålls pågå pågår länge tid slut klart klar "
    # »Vem är den tänkt för?«: who it is for, about the earlier question's topic
    "tänkt tänkta avsedd avsedda avsett menad menade riktad riktade "
    # »När kan vi börja använda det?«, »Hur vanligt är det?«
    "börja börjar började vanligt vanlig vanliga".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_FRAGMENT_WORDS = 4
_MAX_OWN_TOPICS = 1


class ResolvedQuestion(BaseModel):
    question: str
    follow_up: bool
    topic: str | None = None  # the self-contained question a follow-up leans on

    @property
    def own_topics(self) -> list[str]:
        """A follow-up's own topic words (»realiseringsfasen« in "Och realiseringsfasen?")."""
        return own_topics(self.question) if self.follow_up else []

    @property
    def search_query(self) -> str:
        """What retrieval searches for: a follow-up together with its topic."""
        return f"{self.topic} {self.question}" if self.follow_up and self.topic else self.question


def own_topics(question: str) -> list[str]:
    return [
        w
        for w in _WORD.findall(question.lower())
        if w not in STOPWORDS and w not in _GENERIC and not _POINTER.fullmatch(w) and (len(w) > 2 or w.isdigit())
    ]


def is_follow_up(question: str, previous: str | None = None) -> bool:
    """Does the question lean on an earlier one? (Only meaningful when there is an earlier one.)"""
    text = question.strip()
    reply = _REPLY.match(text)
    if reply and reply.end() < len(text):
        text = text[reply.end():]
    if _CONNECTIVE.match(text) or _THEN.search(text) or _BACK.search(text):
        return True
    words = _WORD.findall(text)
    if len(words) <= _FRAGMENT_WORDS and not _QUESTION_START.match(text):
        return True
    own = own_topics(text)
    if previous and not own:
        return True  # »Varför så få?«: a question that names nothing asks about what came before
    if _END_POINTER.search(text) and len(own) <= _MAX_OWN_TOPICS + 1:
        return True
    if previous and own and len(words) <= _SHORT_QUESTION_WORDS:
        # »När är uppdraget slut?« after a question about »regeringens uppdrag«: a short question that names
        # nothing the previous one did not is about the same thing.
        earlier = {stem(w) for w in own_topics(previous)}
        if all(stem(w) in earlier for w in own):
            return True
    if previous and _names_earlier_thing(text, previous):
        return True
    if previous and _SAME.search(text):
        return True  # »Nämns samma uppdrag i färdplanen?«: »samma« names the earlier question's thing
    if previous and _KIND_NOUN.search(text) and len(words) <= _KIND_NOUN_WORDS and not _NAME.search(text[1:]) and _NAME.search(previous[1:]):
        return True  # »Vem är tjänsten i första hand tänkt för?« after »Vad är Strategikollen?«, which names a thing
    return bool(_POINTER.search(text)) and len(own) <= _MAX_OWN_TOPICS


# »det programmet«, »den modellen«, »de målen«: a demonstrative before a definite noun points at a thing named
# before (»coachprogrammet«), however many words of its own the question has.
_DEMONSTRATIVE = re.compile(r"\b(det|den|de|dom)\s+(\w{4,}(?:et|en|na))\b", re.I)
_NOT_NOUNS = frozenset("egentligen igen sedan heller gärna redan överhuvudtaget".split())


# A thing by its kind in the definite form (»tjänsten«, »verktyget«, »programmet«): in a short question with no
# name of its own, the thing the earlier question named (»Strategikollen«); after one that names nothing
# (»Vad är ambitionsgrafen?«) it is the question's own topic.
_KIND_NOUN = re.compile(
    r"\b(tjänsten|verktyget|programmet|modellen|uppdraget|satsningen|metoden|systemet|mätningen|enkäten|"
    r"nätverket|projektet|initiativet|förslaget|planen|grafen|webbtjänsten)\b",
    re.I,
)
_KIND_NOUN_WORDS = 10
_NAME = re.compile(r"\b[A-ZÅÄÖ]\w+")


def _names_earlier_thing(text: str, previous: str) -> bool:
    earlier_words = _WORD.findall(previous.lower())
    earlier = [stem(w) for w in earlier_words]
    for m in _DEMONSTRATIVE.finditer(text):
        noun = m.group(2).lower()
        if noun in STOPWORDS or noun in _NOT_NOUNS:
            continue
        base = stem(noun)
        if len(base) >= 4 and any(e.endswith(base) for e in earlier):
            return True
    # »Vilket norskt program …?« after »coachprogrammet«: the last part of a compound named before.
    for m in _WHICH.finditer(text):
        for word in _WORD.findall(text[m.end() :])[:_WHICH_REACH]:
            base = stem(word.lower())
            # (The head inside the earlier compound: »coachprogrammet« holds »program« after »coach«.)
            if len(base) >= 5 and word.lower() not in STOPWORDS and any(e.find(base) > 0 for e in earlier_words):
                return True
    return False


_WHICH = re.compile(r"\bvilk(?:et|en|a)\b", re.I)
_WHICH_REACH = 3


def resolve(question: str, previous: list[str]) -> ResolvedQuestion:
    """The question with the topic it leans on, if it is a follow-up of the previous questions."""
    question = question.strip()
    earlier = [p.strip() for p in previous if p and p.strip()]
    if not earlier or not is_follow_up(question, earlier[-1]):
        return ResolvedQuestion(question=question, follow_up=False)
    before = resolve(earlier[-1], earlier[:-1])
    return ResolvedQuestion(question=question, follow_up=True, topic=before.search_query)
