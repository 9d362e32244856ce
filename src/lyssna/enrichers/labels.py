"""Dialogue labels: is a post a ``question``, a ``complaint`` and/or a ``request``? (Swedish and English.)

The labels feed the dialogue inbox: posts that need an answer from the organisation. Each post gets a
sorted list drawn from ``complaint``, ``question``, ``request`` — zero, one or several. The rules are
written for this project (no third-party word list), are regular expressions compiled once per language
set, and read the lower-cased text with its URLs removed (``title`` and ``text`` together).

**question**
  * a question mark outside a URL (``?``, ``?!``, ``？``, ``¿``); rhetorical questions count too (they
    are rarely worth missing in an inbox);
  * or, without one, a question *opening* at the start of a sentence (the start of the post, or after
    ``.!?;…`` or a line break, after any leading @mentions/#tags and a greeting such as ``hi``/``hej``):
    English ``can/could/will/would/do/does/did/is/are/has/have/should … you/I/we/anyone/it/there/my …``,
    ``why``, ``how`` + auxiliary/``long/much/many``, ``what/when/where/who/which`` + auxiliary;
    Swedish inverted verb + subject (``kan ni``, ``har ni``, ``finns det``, ``går det att``,
    ``vet någon``, ``är det`` …), ``hur``, ``varför``, ``vem`` (not ``vem som``), and
    ``när/vad/var/vilken`` only followed by a finite verb (``när kommer``, ``vad händer``, ``var är``,
    ``vilken tid går``) — so the statement ``När jag kom hem var …`` and the exclamations ``Vad kul!``,
    ``Vilken dag!``, ``What a day`` are *not* questions; the same for ``When I …``;
  * or an indirect question anywhere: ``does anyone know``, ``any idea``, ``any update``,
    ``I was wondering``, ``is there a way``; ``vet någon``, ``någon som vet``, ``undrar (om|hur|varför…)``.

**request** — someone asked to *do* something:
  * English: ``please``/``pls``/``plz`` (not ``pleased``/``pleasure``), ``can/could/would/will you`` +
    verb (not ``can you believe/imagine``), help asked for (``help me/us``, ``need help``, ``any help``,
    ``can someone help``, a sentence-initial ``Help``; not ``thanks for the help``), a refund or
    compensation asked for (``want/need/get a refund``, ``refund me``; not ``got my refund``), ``fix``,
    ``DM/call/email/contact/text me``, ``get back to me``, ``send me``, ``let me know``, ``reply to me``,
    ``thanks in advance``, ``I need to change/cancel/speak…``, ``I'd like to…``, ``speak to a
    manager/human``, and an imperative verb right after the leading @mention(s) (``@SJ fix the wifi``);
  * Swedish: ``kan/kunde/skulle ni/du`` + verb, ``snälla``, ``vänligen``, ``tacksam för svar``, ``tack på
    förhand``, help asked for (``hjälp mig``, ``behöver hjälp``, ``kan ni hjälpa``, a sentence-initial
    ``Hjälp``; not ``med hjälp av``, ``tack för hjälpen``), ``jag/vi vill ha``, ``ring/kontakta/maila
    mig``, ``återkom``, ``hör av er``, ``DM:a``, ``skicka mig/en/tillbaka``, ``fixa``, ``åtgärda``,
    ``ersätt``/``ersättning``, ``återbetalning``, ``pengarna tillbaka``, an imperative after the leading
    @mention(s).

**complaint** — dissatisfaction with a product, service or organisation; two tiers:
  1. a *strong* cue alone, whatever the sentiment: ``worst (service|airline|…)``, ``never again``,
     ``#fail``, ``unacceptable``, ``shame on you``, ``still waiting``, ``on hold for``, ``lost my bag``,
     ``charged twice``, ``never arrived``, ``no one answers``, ``hung up on me``; ``aldrig mer``,
     ``sämsta``, ``skandal(öst)``, ``värdelös``, ``oacceptabelt``, ``dålig service``, ``väntar
     fortfarande``, ``ingen svarar``, ``tappade mitt bagage``, ``debiterad två gånger`` …;
  2. ``sentiment_score <= -0.2`` together with a *service/problem* cue: a problem word (delay, late,
     cancelled, refund, broken, not working, waiting, hours, on hold, stuck, wrong, rude, customer
     service, no one; försenad, inställd, väntat, fungerar inte, funkar inte, trasig, fel, kundtjänst,
     strul, kö …) or a service noun that is someone's (``my/your/the flight/order/app/staff…``;
     ``mitt/ert tåg``, ``tåget``, ``appen``, ``kundtjänsten``, ``personalen``, ``leveransen`` …).
     Negative posts about the weather or the news carry neither, so are not complaints; a negative post
     with tragedy words (died, killed, victims, RIP; omkom, dödsolycka, vila i frid …) and no second
     person (you/your; ni/er/du/din) is a news story, not a complaint, and tier 2 is skipped for it.

  Sarcasm: a sarcastic post is a complaint when it names the service failure (``Thanks @X for losing
  my bag, great job`` — ``losing my bag`` is a strong cue, whatever the sentiment score says); sarcasm
  that names no failure (``Great job @X, just great``) is not recognised. A complaint is not by itself
  a request: ``my flight is delayed again, worst airline`` is only a complaint.

**Languages.** The cue sets are English and Swedish. ``en`` posts get the English cues; ``sv``,
``da``, ``nb``, ``nn``, ``unknown`` (and a missing language) get both (Swedish posts often borrow
``#fail``/``please``; Danish and Norwegian share most Swedish cue words, and a few of their own
question words — ``hvorfor``, ``hvordan``, ``hvem``, ``hvornår``, ``kan dere`` — are in the Nordic
set); any other language gets the English cues (English phrases appear in every language's posts;
a question mark counts in every language).

**Complaint, tier 2, also counts** a bare service word in a negative post (flight, bag, ticket, order,
app, customer, paid, ``$5``; tåg, biljett, kund, leverans, faktura, SJ …) and a negative post addressed to
someone (an @mention and a second person: you/your, ni/er/du). A negative post about the weather or a
sad story has neither (and the tragedy rule above keeps ``bus crash killed 12`` out).

**How it runs.** Each cue is a regular expression with *trigger* words (every match contains a word
beginning with one); one trie-shaped regex per language set finds the triggers present in a post, and
only their cues are tried; question openings are one regex over the first three words of each sentence.
Problem cues are only read for posts at or below :data:`COMPLAINT_SCORE`. No loop over words in Python.

**Measured** (``python -m bench.labels_eval``; the cues were written and tuned looking only at the *even*
rows of the US airline tweets; every figure here is from the *odd* rows, the report half: 7,320 rows,
283 unparseable and skipped, 580 negative ``Can't Tell``/no-reason rows left out, 3,786 gold complaints
among 6,457). Complaint (gold: negative with a reason vs positive/neutral), precision/recall/F1:

* with the gold sentiment as the score (an oracle: −0.6/0/0.6): 0.998 / 0.915 / 0.954;
* cue-only (score 0, only strong cues fire): 0.987 / 0.163 / 0.279;
* with :mod:`lyssna.enrichers.sentiment` as it stood when measured: 0.929 / 0.524 / 0.670 — recall is
  bounded by how many negative tweets the sentiment enricher scores at or below −0.2.

AmazonHelp inbound (300, all): complaint in 82 % of the negative, 1 % of the neutral, 0 % of the
positive with oracle scores. Airline report half: every tweet with a ``?`` is a question (by
construction); 2.9 % of those without one are labelled question by an opening. Speed: about 18–19 µs a
tweet (median of 5 runs over 14,077 airline tweets, one core of a shared 2-core machine under load).
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping, Sequence

from ..query.analysis import MatchInput
from .base import Column

__all__ = ["LABELS", "LabelsEnricher", "labels_of", "labels_many", "COMPLAINT_SCORE"]

LABELS = ("complaint", "question", "request")
#: A post at or below this sentiment score with a service/problem cue is a complaint (tier 2).
COMPLAINT_SCORE = -0.2
#: Only this much of a post is read (cues are found in the first sentences; bounds the time per post).
MAX_CHARS = 2_000

# --- how the text is read -----------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)\S+")
_GREETING = "hi|hey|hello|ok|okay|so|and|but|also|hej|hejsan|hallå|och|men|så"
# The first (up to) three words of each sentence (the text is read with a "." in front), after leading
# punctuation, @mentions/#tags and a greeting.
_HEADS = re.compile(rf"[.!?;\n…][^\w@#]*+(?:[@#][\w.]++[^\w@#]*+)*+(?:(?:{_GREETING})\b[^\w@#]*)?"
                    rf"([\w']+(?: [\w']+){{0,2}})")
_QUESTION_MARK = re.compile(r"[?？¿]")
_WORD_ONLY = re.compile(r"\w+")


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# A cue is (triggers, pattern): the pattern is only tried when a word of the text begins with one of its
# triggers (every match of the pattern contains such a word). One regex (a trie of every trigger of a
# language set) finds them in one pass, so a post pays for the few cues it can match, not for all.
_Cue = tuple[str, str]

# --- English ------------------------------------------------------------------------------------------

_EN_AUX = ("can", "could", "will", "would", "do", "does", "did", "is", "are", "was", "were", "has", "have",
           "had", "should", "shall", "may", "might", "must", "can't", "cant", "won't", "wont", "don't", "dont",
           "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "aren't", "arent", "wasn't", "haven't",
           "hasn't", "wouldn't", "couldn't", "shouldn't")
_EN_SUBJ = _words("you", "u", "ya", "y'all", "yall", "i", "we", "anyone", "anybody", "someone", "somebody",
                  "they", "he", "she", "it", "there", "this", "that", "these", "those", "my", "our", "your",
                  "ur", "any")
#: Question openings, matched against the first words of each sentence.
_EN_OPENINGS = [
    rf"{_words(*_EN_AUX)} {_EN_SUBJ}\b",
    r"why\b",
    rf"how {_words(*_EN_AUX, 'long', 'much', 'many', 'come', 'often', 'soon', 'far', 'about', 'else')}\b",
    rf"(?:what|when|where|who|whom|whose|which)(?:'s|'re| {_words(*_EN_AUX)}\b| (?:time|flight|gate|day|number"
    r"|happened|happens|kind|type|options?|way|one)\b)",
    r"any (?:idea|ideas|clue|update|updates|news|word|info|eta|chance|way)\b",
]
_EN_QUESTION: list[_Cue] = [
    ("know", r"\b(?:does|do) (?:any ?one|any ?body|some ?one) (?:know|have)\b"
             r"|\b(?:any ?one|any ?body|some ?one) knows? (?:if|how|why|when|where|what|whether)\b"),
    ("any", r"\b(?:is there|are there|do you have|got|have you got|you got) any (?:idea|update|updates|news|word"
            r"|info|eta|chance|way)\b"),
    ("wonder", r"\b(?:i was|i'm|im|i am|just) wondering\b|\bi wonder (?:if|whether|why|how|when|what)\b"),
    ("there", r"\bis there (?:a|any) (?:way|chance|reason|number|update)\b"),
]
#: Verbs that, right after the leading @mention(s), make the post an order to the addressee.
_EN_IMPERATIVE = _words("help", "fix", "send", "give", "check", "look", "tell", "let", "get", "put", "change",
                        "cancel", "refund", "rebook", "stop", "bring", "follow", "add", "make", "reply", "respond",
                        "answer", "explain", "contact", "find", "return", "reset", "resolve", "sort", "replace",
                        "ship", "deliver", "waive", "honor", "honour", "confirm", "step", "reimburse",
                        "compensate", "release", "unlock", "restore", "remove", "hire", "start")
_EN_REQUEST: list[_Cue] = [
    ("plea pls plz plox", r"\b(?:plea+se+|pls|plz|plse|plox)\b"),
    ("can could would will won", r"(?<!how )(?<!why )\b(?:can|could|would|will|can't|cant|won't|wont) (?:you|u|ya"
                                 r"|y'all|yall|someone|somebody|anyone|anybody|one of you) (?!believe|imagine|not\b"
                                 r"|even|stop\b|tell (?:me )?what)\w"),
    ("help assistance", r"\bhelp (?:me|us|out|please|pls|with)\b|\bhelp\s*!"
                        r"|\b(?:need|needs|needed|want|wants|require|requesting|request|asking for|ask for|get"
                        r"|appreciate|appreciated|any|some) (?:some |any |your |ur |a little |urgent |immediate )?"
                        r"(?:help|assistance)\b"),
    ("refund compensat reimburs voucher",
     r"\b(?:want|need|demand|request|expect|deserve|get|give me|issue|process|where's|where is)"
     r" (?:a |my |me a |me my |the |an? |full |complete |our )*(?:refund|compensation|reimbursement|voucher)\b"
     r"|\b(?:refund|reimburse|compensate) (?:me|my|us|our)\b"),
    ("fix", r"\bfix\b"),
    ("dm pm message mail call text contact ring follow",
     r"\b(?:dm|pm|message|email|e-mail|call|text|contact|ring|follow) (?:me|us)\b"),
    ("back", r"\b(?:get|come) back to (?:me|us)\b"),
    ("send", r"\bsend (?:me|us|a|an|my|our|it)\b"),
    ("know", r"\blet (?:me|us) know\b"),
    ("reply respond answer write", r"\b(?:reply|respond|answer|write back)(?: to)? (?:me|us|my|our)\b"),
    ("advance", r"\bthanks? (?:you )?in advance\b"),
    ("need", r"\b(?:i|we) (?:really )?need (?:to (?:change|cancel|rebook|speak|talk|get|know|book|reschedule|reach"
             r"|contact|return|file)|a (?:new|replacement|rebooking|seat|flight|hotel|voucher)|someone|an answer"
             r"|answers)\b"),
    ("like", r"\b(?:i|we)(?:'d| would) like (?:to|a|an|my|some)\b"),
    ("speak talk", r"\b(?:speak|talk) (?:to|with) (?:a |an |your )?(?:human|person|real|manager|supervisor|agent"
                   r"|representative|rep\b|someone|somebody|live)"),
]
_EN_REQUEST_OPENINGS = [r"help\b"]
_EN_STRONG: list[_Cue] = [
    ("worst", r"\bworst (?:service|customer|airline|company|experience|flight|ever|support|app|bank|delivery"
              r"|carrier|isp|provider|\w+ ever)\b|\b(?:is|are|'re|you're|youre) the worst\b"),
    ("never", r"\bnever (?:again|flying|fly|use|using|order|ordering|buy|buying|book|booking|choose|recommend"
              r"|arrived|received|showed|came|got (?:a|my|any|an))\b"),
    ("fail", r"#fail\b|\bepic fail\b|\bfail(?:ed)? again\b"),
    ("fail neveragain worst bad poor unacceptable disappointed ripoff",
     r"#\w*fail\b|#(?:neveragain|worst\w*|bad\w*service|poorservice|unacceptable|disappointed|ripoff)\b"),
    ("acceptable", r"\bnot (?:acceptable|ok|okay)\b"),
    ("nothing", r"\bthanks? (?:you )?for nothing\b"),
    ("rip ripoff joke", r"\brip ?off\b|\bwhat a joke\b|\b(?:is|are|'re) a joke\b"),
    ("suck", r"\b(?:you|u|y'all|yall|you guys|your \w+) (?:suck|sucks)\b"),
    ("disappointed", r"\bdisappointed (?:in|with|by) (?:you|u|your|ur)\b"),
    ("again", r"\b(?:delayed|late|cancell?ed|lost) again\b"),
    ("better", r"\b(?:you|u) (?:need to |can |could |should |must )?do better\b"),
    ("unacceptable inexcusable disgraceful shameful", r"\b(?:unacceptable|inexcusable|disgraceful|shameful)\b"),
    ("shame", r"\bshame on (?:you|u)\b"),
    ("service support experience communication",
     r"\b(?:horrible|terrible|awful|poor|bad|lousy|crappy|shitty|appalling|abysmal|pathetic|atrocious)"
     r" (?:customer )?(?:service|support|experience|communication)\b"),
    ("still", r"\bstill (?:waiting|no (?:word|response|reply|answer|refund|update|bag|luggage|call|email))\b"),
    ("hold", r"\b(?:been|was|were|am|are|i'm) (?:\w+ )?on hold\b|\bon hold (?:for|since)\b"),
    ("lost losing misplaced damaged destroyed",
     r"\b(?:lost|losing|misplaced|damaged|destroyed) (?:my|our|all (?:of )?(?:my|our)) (?:bag|bags|luggage"
     r"|suitcase|baggage|package|order|stroller|car seat)\b"),
    ("twice double", r"\b(?:charged|billed) (?:me |us )?(?:twice|two times|double)\b|\bdouble[- ]charged\b"),
    ("answer pick respond help care",
     r"\b(?:no ?one|nobody) (?:answers|answering|picks up|picking up|responds|responding|is answering|helps|helped"
     r"|to help|will help|cares)\b"),
    ("hung", r"\bhung up on (?:me|us)\b"),
    ("hour hr day week month",
     r"\b(?:waited|waiting|been waiting|wait) (?:for )?(?:over |more than |almost |nearly )?(?:\d+|an|two|three"
     r"|four|five|six|several|many) (?:hours?|hrs?|days|weeks|months)\b"
     r"|\b(?:\d+|two|three|four|five|six|several) (?:hours?|hrs?) (?:late|delayed|delay|on hold|waiting"
     r"|on the tarmac|in line)\b"),
]
_EN_SERVICE_NOUNS = (
    "flight", "flights", "flt", "plane", "bag", "bags", "luggage", "baggage", "suitcase", "seat", "seats", "gate",
    "crew", "pilot", "attendant", "attendants", "agent", "agents", "staff", "employee", "employees", "rep",
    "service", "support", "order", "orders", "package", "parcel", "delivery", "shipment", "account", "app",
    "website", "site", "system", "phone", "line", "call", "email", "booking", "reservation", "ticket",
    "tickets", "upgrade", "miles", "points", "status", "connection", "wifi", "internet", "bill", "card",
    "payment", "subscription", "product", "item", "refund", "hotel", "room", "car", "driver", "train", "bus",
    "trip", "store", "company", "airline", "bank", "policy", "voucher", "boarding", "itinerary", "router",
    "update", "device", "battery", "screen")
#: Service words that are a problem cue even without a determiner (a negative post naming them).
_EN_BARE_SERVICE = (
    "flight", "flights", "plane", "airport", "gate", "seat", "seats", "bag", "bags", "luggage", "baggage",
    "suitcase", "crew", "staff", "agent", "agents", "attendant", "attendants", "ticket", "tickets",
    "reservation", "booking", "voucher", "customer", "customers", "wifi", "app", "website", "order",
    "package", "delivery", "account", "subscription", "rep", "reps", "representative", "supervisor", "terminal",
    "tarmac", "connection", "connections", "miles", "upgrade", "upgrades", "rebook", "rebooked", "rebooking",
    "reschedule", "rescheduled", "pay", "paid", "money", "compensation", "reimbursement")
_EN_PROBLEM: list[_Cue] = [
    (w, rf"\b{w}") for w in ("delay", "cancel", "refund", "broke", "wait", "ignor", "problem", "issue", "error",
                             "overbook", "damag", "mistake", "complain", "incompeten", "scam")
] + [
    (w, rf"\b{w}\b") for w in ("late", "stuck", "stranded", "rude", "nobody", "bumped", "dirty", "wrong",
                               "useless", "unhelpful", "queue", "line", "outage", "diverted", "joke")
] + [
    ("hour hr", r"\b(?:hours?|hrs?)\b"),
    ("fee", r"\bfees?\b"),
    ("charge", r"\bcharged?\b"),
    ("crash", r"\bcrash(?:ed|es|ing)\b"),
    ("hold", r"\bon hold\b"),
    ("hung", r"\bhung up\b"),
    ("work", r"\bnot work"),
    ("work let load help answer through",
     r"\b(?:doesn't|doesnt|won't|wont|didn't|didnt|can't|cant|couldn't) (?:work|let|load|help|answer|get through)"),
    ("customer", r"\bcustomer (?:service|care|support|relations)\b"),
    ("answer help respond call", r"\bno ?one (?:answer|help|respond|call)"),
    ("response reply answer help info update communication notice email call",
     r"\bno (?:response|reply|answer|help|info|information|update|communication|notice|email|call)\b"),
    ("down", r"\b(?:is|was|went|been|are|were) down\b"),
    ("received arrived delivered refunded", r"\bnot (?:received|arrived|delivered|refunded)\b"),
    ("received heard got", r"\bhaven't (?:received|heard|gotten|got)\b"),
    ("guys people", r"\b(?:you|u) (?:guys|people)\b"),
    ("all yall", r"\by'?all\b"),
    (" ".join(_EN_BARE_SERVICE), rf"\b{_words(*_EN_BARE_SERVICE)}\b|\$\d"),
    (" ".join(_EN_SERVICE_NOUNS), rf"\b(?:my|our|your|ur|the|this|that|their|his|her) (?:\w+ )?"
                                  rf"{_words(*_EN_SERVICE_NOUNS)}\b"),
]
_EN_SECOND = r"\b(?:you|u|your|ur|y'all|yall|you're|youre)\b"
_EN_TRAGEDY = (r"\b(?:died|dies|dead|death|deaths|killed|killing|victims?|tragic|tragedy|rip|r\.i\.p|"
               r"condolences|mourn\w*|funeral|passed away|shooting|earthquake|casualties|injured)\b")

# --- Swedish (and the Nordic neighbours) -----------------------------------------------------------------

_SV_VERB = _words(
    "är", "var", "blir", "blev", "kommer", "kom", "ska", "skall", "skulle", "kan", "kunde", "får", "fick",
    "går", "gick", "har", "hade", "måste", "borde", "bör", "vill", "ville", "tänker", "händer", "hände",
    "gör", "gjorde", "öppnar", "stänger", "slutar", "börjar", "startar", "avgår", "levereras", "skickas",
    "kostar", "betyder", "heter", "finns", "fanns", "ligger", "låg", "hittar", "tycker", "tror", "menar",
    "säger", "sa", "sade", "innebär", "fungerar", "funkar", "hjälper", "svarar", "behöver", "brukar",
    "hamnade", "tog", "tar", "betalar", "ansvarar", "vet",
    # Danish / Norwegian
    "er", "bliver", "skal", "findes", "finnes", "sker", "skjer")
_SV_SUBJ = _words("ni", "du", "man", "jag", "vi", "någon", "nån", "det", "den", "detta", "de", "dom", "han",
                  "hon", "mitt", "min", "mina", "ert", "era", "tåget", "bussen", "flyget",
                  # Danish / Norwegian
                  "dere", "nogen", "noen", "der")
_SV_OPENINGS = [
    rf"(?:kan|kunde|får|fick|har|hade|vet|är|var|ska|skall|skulle|borde|bör|måste|behöver|kommer|blir|går|gick"
    rf"|finns|fanns|funkar|fungerar|stämmer|tänker|vill|gäller|brukar|hjälper|svarar|tar|findes|finnes)"
    rf" {_SV_SUBJ}\b",
    r"(?:hur|varför|hvorfor|hvordan)\b",
    r"(?:vem|hvem)\b(?! som\b)",
    rf"(?:när|hvornår|når|vad|hva|hvad|var|hvor|vart) {_SV_VERB}\b",
    rf"(?:vilken|vilket|vilka|hvilken|hvilket|hvilke) (?:\w+ )?{_SV_VERB}\b",
    r"(?:någon|nån) (?:aning|idé|uppdatering|info)\b",
]
_SV_QUESTION: list[_Cue] = [
    ("vet", r"\bvet (?:någon|nån|ni|du|man|nogen|noen)\b"),
    ("som", r"\b(?:någon|nån) som (?:vet|har|kan|känner)\b"),
    ("undrar", r"\bundrar (?:om|hur|varför|när|vad|var|vem|vilken|vilket|vilka|bara|också)\b"),
    ("finns", r"\bfinns det (?:något|nåt|någon|nån) (?:sätt|möjlighet|chans)\b"),
]
_SV_IMPERATIVE = _words("fixa", "skicka", "ring", "kontakta", "svara", "åtgärda", "laga", "ersätt", "ge",
                        "sluta", "kolla", "titta", "lös", "återkom", "ändra", "avboka", "boka om", "hjälp",
                        "förklara", "betala", "lägg", "ta bort", "släpp", "öppna")
_SV_REQUEST: list[_Cue] = [
    ("kan kunde skulle vill",
     r"\b(?:kan|kunde|skulle|vill) (?:ni|du|någon|nån|dere|nogen|noen) (?:\w+ )?(?:snälla |vänligen |please )?"
     r"(?!tro\b|fatta\b|tänka\b|föreställa)\w+a\b"),
    ("snälla vänligen snill venlig", r"\bsnälla\b|\bvänligen\b|\bvær så snill\b|\bvær venlig\b"),
    ("tacksam förhand", r"\btacksam (?:för|om) (?:svar|hjälp|återkoppling|besked)\b|\btack på förhand\b"
                        r"|\btacksam om\b"),
    ("hjälp", r"\bhjälpa? (?:mig|oss)\b|\bbehöv\w* (?:\w+ )?hjälp\b|\b(?:vill ha|be om|ber om|söker) hjälp\b"
              r"|\bhjälp\s*!"),
    ("vill", r"\b(?:jag|vi) vill (?:ha|att ni|att du|veta|avboka|boka om|ändra|reklamera|klaga|prata|tala|få|häva"
             r"|säga upp)\b"),
    ("ring kontakta maila mejla sms dm pm skriv svara",
     r"\b(?:ring|kontakta|maila|mejla|sms:?a|dm:?a|pm:?a|skriv till|svara) (?:mig|oss)\b|\bdm:?a\b|\bpm:?a\b"),
    ("återkom återkoppla hör höra", r"\båterkom\w*|\båterkoppla\b|\bhöra? av (?:er|dig)\b"),
    ("skicka", r"\bskicka (?:mig|oss|ut|en|ett|hit|tillbaka|över|gärna|snarast|pengarna|ersättning)\b"),
    ("fixa åtgärda ersätt återbetal tillbaka kompensation",
     r"\bfixa\b|\båtgärdas?\b|\bersätt\b|\bersättning\b|\båterbetal\w*|\bpengarna tillbaka\b"
     r"|\bfå tillbaka (?:mina|mitt|min|pengarna)\b|\bkompensation\b"),
]
_SV_REQUEST_OPENINGS = [r"(?:hjälp|hjælp)\b"]
_SV_STRONG: list[_Cue] = [
    ("aldrig", r"\baldrig (?:mer|igen)\b|\b(?:kommer|kom|har) aldrig (?:fram|kommit)\b"),
    ("sämst", r"\bsämst\w*"),
    ("skandal", r"\bskandal\w*|#skandal\w*"),
    ("värdelös", r"\bvärdelös\w*"),
    ("oacceptab bedrövlig uselt usel kass", r"\boacceptab\w*|\bbedrövlig\w*|\bkass(?:t|a)? service\b|\buselt\b"
                                           r"|\busel service\b"),
    ("service kundtjänst kundservice support information bemöt",
     r"\b(?:dålig|usel|urdålig|katastrofal|obefintlig) (?:service|kundtjänst|kundservice|support|information)\b"
     r"|\bdåligt (?:bemötande|bemött)\b"),
    ("väntar väntat", r"\bväntar (?:fortfarande|fortf|än|ännu)\b|\bväntat (?:i )?(?:\d+|en|två|tre|fyra|flera"
                      r"|många) (?:timmar|timme|dagar|dygn|veckor|vecka|månader|månad|minuter)\b"),
    ("svarar svarade hjälper hjälpte ringer ringde",
     r"\bingen(?: av er| människa| på kundtjänst)? (?:svarar|svarade|hjälper|hjälpte|ringer|ringde)\b"),
    ("bagage väska paket försändelse beställning",
     r"\b(?:tappade|tappat|tappa bort|slarvat bort|förstörde|förstört|har förlorat) (?:mitt|min|mina|vårt|vår"
     r"|våra) (?:bagage|väska|väskor|resväska|paket|försändelse|beställning)\b"),
    ("debiter dubbeldebiter", r"\bdebiter\w* (?:\w+ )?(?:två gånger|dubbelt)\b|\bdubbeldebiter\w*"),
    ("fail kaos", r"#fail\b|#kaos\w*"),
    ("skärp tack suger", r"\bskärp(?:ning| er| dig)\b|\btack för ingenting\b|\b(?:ni|du) suger\b"),
    ("igen", r"\b(?:försen|inställ)\w* igen\b"),
    ("skäm", r"\bskämmes\b|\bskäms på er\b"),
    ("skämt värdelösa pinsamma sämst", r"\bni är (?:ett skämt|värdelösa|helt värdelösa|pinsamma|sämst)\b"),
    ("fått kommit levererats", r"\b(?:har|har ännu|har fortfarande) inte (?:fått|kommit|levererats)\b"),
]
_SV_SERVICE_NOUNS = (
    "tåg", "buss", "flyg", "resa", "bagage", "väska", "paket", "beställning", "order", "leverans", "konto",
    "app", "hemsida", "sida", "tjänst", "faktura", "räkning", "abonnemang", "bredband", "internet", "mobil",
    "telefon", "el", "ström", "kort", "betalning", "biljett", "bokning", "personal", "chaufför", "förare",
    "service", "kundtjänst", "support", "avgång", "plats", "sittplats", "router", "wifi", "uppkoppling")
_SV_DEFINITE_SERVICE = (
    "tåget", "tågen", "bussen", "bussarna", "flyget", "flygbolaget", "appen", "hemsidan", "sajten",
    "kundtjänsten", "kundservicen", "personalen", "leveransen", "paketet", "beställningen", "fakturan",
    "räkningen", "biljetten", "bokningen", "bagaget", "väskan", "tjänsten", "nätet", "uppkopplingen",
    "bredbandet", "abonnemanget", "kortet", "kontot", "chauffören", "föraren", "konduktören", "tågbolaget",
    "bolaget", "företaget", "banken", "butiken", "affären", "routern", "supporten", "servicen")
_SV_BARE_SERVICE = (
    "tåg", "buss", "flyg", "biljett", "biljetter", "bokning", "kund", "kunder", "kunden", "personal", "leverans",
    "paket", "beställning", "konto", "app", "abonnemang", "faktura", "räkning", "avgång", "pengar", "betalat",
    "betala", "ersättning", "återbetalning", "sj", "sl")
_SV_PROBLEM: list[_Cue] = [
    (w, rf"\b{w}") for w in ("försen", "inställ", "vänta", "trasig", "kundtjänst", "kundservice", "tappa",
                             "debiter", "strul", "krångel", "krasch", "bugg", "störning", "ersättningsbuss",
                             "överbokad", "otrevlig", "oförskämd", "besvik", "faktur", "räkning", "avgift",
                             "klag", "reklam", "köa", "problem", "bluff", "lurad", "försvun")
] + [
    (w, rf"\b{w}\b") for w in ("fel", "felet", "krånglar", "nere", "stopp", "signalfel", "spårfel", "avbrott",
                               "missade", "missat", "kö", "timmar", "timme", "kaos", "lurade", "skämt",
                               "pinsamt")
] + [
    ("aldrig", r"\bkommer aldrig\b"),
    ("fungerar funkar funka fungera går gick", r"\b(?:fungerar|funkar|funka|fungera|går|gick) inte\b"),
    ("fungerar funkar kommit fått levererat", r"\binte (?:fungerar|funkar|kommit|fått|levererat)\b"),
    ("svarar", r"\bingen svarar\b|\bsvarar inte\b"),
    ("hänger", r"\bhänger sig\b"),
    ("ligger", r"\bligger nere\b"),
    (" ".join(_SV_SERVICE_NOUNS), rf"\b(?:min|mitt|mina|vår|vårt|våra|er|ert|era|din|ditt|dina|deras|denna"
                                  rf"|detta) {_words(*_SV_SERVICE_NOUNS)}\w*"),
    (" ".join(_SV_DEFINITE_SERVICE), rf"\b{_words(*_SV_DEFINITE_SERVICE)}\b"),
    ("ni ert era", r"\b(?:ni|ert|era)\b"),
    (" ".join(_SV_BARE_SERVICE), rf"\b{_words(*_SV_BARE_SERVICE)}\b"),
]
_SV_SECOND = r"\b(?:ni|er|ert|era|du|din|ditt|dina|dig|dere|deres|jer|jeres)\b"
_SV_TRAGEDY = (r"\b(?:omkom\w*|dödade?s?|död|döda|avled|avliden|dödsolycka|offren|offer|tragisk\w*|tragedi|"
               r"vila i frid|kondoleans\w*|sörj\w*|begravning|skottlossning|jordbävning|skadade)\b")

# --- compiled sets ------------------------------------------------------------------------------------------

_QUESTION, _REQUEST, _STRONG, _PROBLEM = range(4)
_Compiled = tuple[int, re.Pattern[str]]  # (family, pattern)


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (none a prefix of another), as a trie: a position costs a few
    character tests, not one per word."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alternatives = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return emit(root)


class _Cues:
    """The compiled cues of one language set: one regex finding every trigger word, and per trigger the
    patterns to try; the sentence openings as one regex over the first words of each sentence."""

    __slots__ = ("triggers", "by_trigger", "problem_triggers", "problem_by_trigger", "openings",
                 "request_openings", "imperative", "second", "tragedy")

    def __init__(self, *, families: Sequence[Sequence[_Cue]], openings: Sequence[str],
                 request_openings: Sequence[str], imperative: str, second: str, tragedy: str) -> None:
        # Problem cues (only read for negative posts) have their own trigger regex.
        self.triggers, self.by_trigger = self._index(families[:_PROBLEM])
        self.problem_triggers, self.problem_by_trigger = self._index([[]] * _PROBLEM + [families[_PROBLEM]])
        self.openings = re.compile("(?m)^(?:" + "|".join(openings) + ")")
        self.request_openings = re.compile("(?m)^(?:" + "|".join(request_openings) + ")")
        self.imperative = re.compile(imperative + r"\b")
        self.second = re.compile(second)
        self.tragedy = re.compile(tragedy)

    @staticmethod
    def _index(families: Sequence[Sequence[_Cue]]) -> tuple[re.Pattern[str], dict[str, list[_Compiled]]]:
        wanted: dict[str, list[tuple[int, str]]] = {}
        for family, cues in enumerate(families):
            for triggers, pattern in cues:
                for word in triggers.split():
                    if not _WORD_ONLY.fullmatch(word):
                        raise ValueError(f"trigger {word!r} is not a word")
                    wanted.setdefault(word, []).append((family, pattern))
        # A trigger that another trigger begins with is found through that shorter one (the combined regex
        # reports one trigger per position).
        canonical = {w: min((v for v in wanted if w.startswith(v)), key=len) for w in wanted}
        by_trigger: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for word, cues_ in wanted.items():
            slot = by_trigger.setdefault(canonical[word], [])
            for family, pattern in cues_:
                entry = (family, re.compile(pattern))
                if entry not in slot:
                    slot.append(entry)
        for slot in by_trigger.values():
            slot.sort(key=lambda entry: entry[0])
        return re.compile(r"\b" + _trie(by_trigger)), by_trigger


_EN = _Cues(families=(_EN_QUESTION, _EN_REQUEST, _EN_STRONG, _EN_PROBLEM), openings=_EN_OPENINGS,
            request_openings=_EN_REQUEST_OPENINGS, imperative=_EN_IMPERATIVE, second=_EN_SECOND,
            tragedy=_EN_TRAGEDY)
_BOTH = _Cues(families=(_EN_QUESTION + _SV_QUESTION, _EN_REQUEST + _SV_REQUEST, _EN_STRONG + _SV_STRONG,
                        _EN_PROBLEM + _SV_PROBLEM),
              openings=_EN_OPENINGS + _SV_OPENINGS, request_openings=_EN_REQUEST_OPENINGS + _SV_REQUEST_OPENINGS,
              imperative=f"(?:{_EN_IMPERATIVE}|{_SV_IMPERATIVE})", second=f"{_EN_SECOND}|{_SV_SECOND}",
              tragedy=f"{_EN_TRAGEDY}|{_SV_TRAGEDY}")
_BOTH_LANGS = frozenset({"sv", "da", "nb", "nn", "no", "unknown", "und", "", "none"})


def _cues(lang: str | None) -> _Cues:
    if not lang:
        return _BOTH
    return _BOTH if lang.lower().split("-", 1)[0] in _BOTH_LANGS else _EN


def labels_of(text: str, lang: str | None, sentiment_score: float | None = None) -> list[str]:
    """The dialogue labels of one text: a sorted list drawn from :data:`LABELS` (see the module's doc)."""
    low = text[:MAX_CHARS].lower()
    if "’" in low:
        low = low.replace("’", "'")
    if "http" in low or "www." in low:
        low = _URL.sub(" ", low)
    cues = _cues(lang)
    negative = sentiment_score is not None and sentiment_score <= COMPLAINT_SCORE
    found = [False, False, False, False]  # question, request, strong complaint, problem cue
    heads = _HEADS.findall("." + low)
    if heads:
        opening = "\n".join(heads)
        found[_QUESTION] = cues.openings.search(opening) is not None
        found[_REQUEST] = (cues.request_openings.search(opening) is not None
                           or (low.lstrip()[:1] == "@" and cues.imperative.match(heads[0]) is not None))
    if _QUESTION_MARK.search(low):
        found[_QUESTION] = True
    for trigger in set(cues.triggers.findall(low)):
        for family, pattern in cues.by_trigger[trigger]:
            if not found[family] and pattern.search(low):
                found[family] = True
    if negative and not found[_STRONG]:
        for trigger in set(cues.problem_triggers.findall(low)):
            if any(pattern.search(low) for _, pattern in cues.problem_by_trigger[trigger]):
                found[_PROBLEM] = True
                break
    if negative and not found[_PROBLEM] and "@" in low and cues.second.search(low):
        found[_PROBLEM] = True  # a negative post addressed to someone (an @mention and "you"/"ni")
    out: list[str] = []
    if found[_STRONG] or (found[_PROBLEM] and not (cues.tragedy.search(low) and not cues.second.search(low))):
        out.append("complaint")
    if found[_QUESTION]:
        out.append("question")
    if found[_REQUEST]:
        out.append("request")
    return out


def labels_many(texts: Sequence[str], langs: Sequence[str | None],
                scores: Sequence[float | None]) -> list[list[str]]:
    """:func:`labels_of` over a batch (a NaN score is read as no score)."""
    out = []
    for text, lang, score in zip(texts, langs, scores, strict=True):
        if score is not None and math.isnan(score):
            score = None
        out.append(labels_of(text or "", lang, score))
    return out


class LabelsEnricher:
    """Dialogue labels of a post — ``question``, ``complaint``, ``request`` (a sorted list, maybe empty) —
    from Swedish and English cues and the sentiment score (:mod:`lyssna.enrichers.labels`)."""

    name = "labels"
    version = 1
    requires: tuple[str, ...] = ("lang", "sentiment_score")
    provides = (Column("labels", "VARCHAR[]"),)

    def enrich(self, posts: Sequence[MatchInput], given: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        texts = [f"{p.title}\n{p.text}" if p.title else (p.text or "") for p in posts]
        langs = given.get("lang") or [None] * len(posts)
        scores = given.get("sentiment_score") or [None] * len(posts)
        return {"labels": labels_many(texts, langs, scores)}
