"""What the media and the company publish: news articles and press releases (for the RSS feeds), and
two recorded interviews with the CEO (for the WebVTT transcripts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import vocabulary as v
from .scenario import STOCKHOLM, Scenario

__all__ = ["Article", "Interview", "news_articles", "press_releases", "interviews"]


@dataclass(frozen=True, slots=True)
class Article:
    at: datetime  # aware, Stockholm time
    title: str
    description: str
    slug: str
    author: str
    category: str


@dataclass(frozen=True, slots=True)
class Interview:
    key: str  # the recording's id
    title: str
    show: str
    recorded: datetime  # aware, Stockholm time
    media: str  # the recording's URL
    lines: tuple[tuple[str, str], ...]  # (speaker, what they say), in order


_REPORTERS = ("Maria Ek", "Johan Sundberg", "Lina Forsgren", "TT", "Per Åhlin")

# (title, description, category) — filler news about energy.
_FILLER = (
    ("Elpriset stiger inför helgen", "Kallare väder och svag vind driver upp priset i hela landet.", "Elpris"),
    ("Rekordlåga elpriser i norra Sverige", "I SE1 och SE2 var priset under fem öre per kilowattimme i natt.", "Elpris"),
    ("Nätavgifterna höjs igen", "Flera elnätsbolag höjer avgifterna från årsskiftet. Så mycket dyrare blir det.", "Elnät"),
    ("Fjällkraft köper vindkraftspark i Jämtland", "Affären gör Fjällkraft till en av de största producenterna i regionen.", "Företag"),
    ("Vindö El växer snabbt bland unga hushåll", "Bolaget lockar med timpris utan månadsavgift.", "Företag"),
    ("Effektavgiften: det här betyder den för dig", "Från nästa år betalar fler hushåll efter sin högsta effekt.", "Elnät"),
    ("Kundnöjdheten hos elbolagen mätt", "Små bolag får högst betyg. De stora tappar på kundtjänst.", "Konsument"),
    ("Elbilsförsäljningen ökar i Norrland", "Laddinfrastrukturen är den stora frågan, enligt kommunerna.", "Elbil"),
    ("Elnätet i Norrland behöver byggas om", "Ny rapport: investeringsbehovet är större än väntat.", "Elnät"),
    ("Fast eller rörligt? Experterna svarar", "Inför vintern funderar många på att binda elpriset.", "Konsument"),
    ("Solcellsboomen fortsätter", "Rekordmånga hushåll installerade solceller under sommaren.", "Energi"),
    ("Vindö El får kritik för otydliga villkor", "Konsumenter vittnar om oväntade avgifter.", "Konsument"),
)


def _at(day: date, rng: random.Random, first: int = 6, last: int = 21) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(first, last), rng.randint(0, 59), rng.randint(0, 59),
                    tzinfo=STOCKHOLM)


def _working_day(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _slug(title: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})
    words = "".join(ch if ch.isalnum() else " " for ch in title.lower().translate(table)).split()
    return "-".join(words[:9])


def news_articles(s: Scenario, rng: random.Random) -> list[Article]:
    """The trade news site's articles: energy news twice a week, and the story's events as they happen."""
    events: list[tuple[date, str, str, str]] = [
        (s.campaign.start, "Norrsken Energi satsar stort på sommarkampanj",
         "Sjungande älgar och tre månader utan avgift: energibolaget vill vinna nya kunder i sommar.", "Företag"),
        (s.campaign.start + timedelta(days=9), "Sommarkampanjen syns – men kunderna klagar på kundtjänsten",
         "Norrsken Energi har aldrig nämnts så mycket i sociala medier. Men mycket av det handlar om obesvarade mejl.",
         "Företag"),
        (s.campaign.end + timedelta(days=30), "Efter kampanjen: Norrsken tillbaka på ruta ett",
         "Uppmärksamheten från sommaren har klingat av. Analytiker: 'En kampanj är ingen relation.'", "Företag"),
        (s.dialogue_start, "Norrsken Energi öppnar kundtjänst i sociala medier: 'Vi ska lyssna mer'",
         "Sex medarbetare svarar nu kunderna på X och Mastodon, kvällar och helger inräknade.", "Företag"),
        (s.dialogue_start + timedelta(days=60), "Norrsken svarar snabbare – och kunderna märker det",
         "Svarstiden i sociala medier har gått från dagar till minuter, enligt bolaget.", "Konsument"),
        (s.crisis_day, "Tusentals utan ström efter stormen Vidar",
         "Stormen fällde träd över ledningarna i Västernorrland och Jämtland under natten.", "Elnät"),
        (s.crisis_day, "Norrsken Energi: 'Alla montörer är ute'",
         "Bolaget uppdaterar kunderna i sociala medier under hela avbrottet.", "Elnät"),
        (s.crisis_day + timedelta(days=1), "Strömmen tillbaka för de flesta efter stormen",
         "Några hundra hushåll väntar fortfarande. Avbrottsersättning betalas ut automatiskt.", "Elnät"),
        (s.crisis_day + timedelta(days=3), "Kritik mot elnätet – men beröm för informationen",
         "Kunderna är arga över avbrottet men ger Norrsken Energi beröm för tydliga besked.", "Elnät"),
        (s.pilot.start, "Sundsvall först ut med smart laddbox-pilot",
         "Hundra hushåll får laddboxar som laddar elbilen när elen är billigast.", "Elbil"),
        (s.pilot.start + timedelta(days=min(60, s.pilot.days // 2)), "Laddboxpiloten: hushållen laddar mest på natten",
         "Första siffrorna från Norrsken Energis pilot visar att smart laddning flyttar förbrukningen.", "Elbil"),
        (s.end - timedelta(days=10), "Norrsken Energi klättrar i kundnöjdhetsmätningen",
         "Efter ett år av dialog i sociala medier har bolaget gått från botten till mitten av listan.", "Konsument"),
    ]
    out = [Article(_at(day, rng), title, desc, _slug(title), rng.choice(_REPORTERS), cat)
           for day, title, desc, cat in events if s.start <= day <= s.end]
    day = s.start
    while day <= s.end:
        for offset in (1, 3):  # Tuesdays and Thursdays
            if rng.random() < 0.85 * min(1.0, s.scale ** 0.5):
                title, desc, cat = rng.choice(_FILLER)
                when = day + timedelta(days=offset)
                if when <= s.end:
                    out.append(Article(_at(when, rng), title, desc, f"{_slug(title)}-{when:%Y%m%d}",
                                       rng.choice(_REPORTERS), cat))
        day += timedelta(weeks=1)
    return sorted(out, key=lambda a: a.at)


def press_releases(s: Scenario, rng: random.Random) -> list[Article]:
    """The company's newsroom: the megaphone. Quarterly reports, investments, and its side of the events."""
    events: list[tuple[date, str, str]] = [
        (s.campaign.start, "Norrsken Energi startar sommarkampanjen Sol över Norrland",
         "Nya kunder får tre månader utan månadsavgift och chansen att vinna en solcellsanläggning."),
        (s.dialogue_start, "Norrsken Energi förstärker kundtjänsten i sociala medier",
         "Från i dag svarar sex medarbetare kunderna på X och Mastodon, vardagar 7–22 och helger 9–18."),
        (s.crisis_day, "Information om strömavbrottet efter stormen Vidar",
         "Omkring 38 000 kunder saknade el under natten. Alla tillgängliga montörer arbetar med att återställa."),
        (s.crisis_day + timedelta(days=2), "Avbrottsersättning betalas ut automatiskt",
         "Kunder som varit utan el i mer än tolv timmar får ersättning utan att ansöka."),
        (s.pilot.start, "Pilotprojekt: smart laddning i Sundsvall",
         "Hundra hushåll testar laddboxar som styr laddningen efter elpriset. Hypotes: minst hälften av "
         "laddningen flyttas till natten. Beslut om att skala upp fattas efter sommaren."),
        (s.pilot.end, "Resultat från laddboxpiloten i Sundsvall",
         "74 procent av laddningen skedde nattetid. Norrsken Energi utökar till fler kommuner."),
    ]
    out = [Article(_at(_working_day(day), rng, 8, 10), title, desc, _slug(title), "Norrsken Energi Press",
                   "Pressmeddelande")
           for day, title, desc in events if s.start <= _working_day(day) <= s.end]
    quarter = date(s.start.year, 4, 24)
    while quarter <= s.end:
        if quarter >= s.start:
            out.append(Article(_at(quarter, rng, 7, 8), "Norrsken Energi delårsrapport",
                               "Stabilt resultat. Investeringarna i elnätet fortsätter enligt plan.",
                               f"delarsrapport-{quarter.year}-{quarter.month:02d}", "Norrsken Energi Press", "Finansiellt"))
        month = quarter.month + 3
        quarter = date(quarter.year + (month > 12), (month - 1) % 12 + 1, 24)
    for title, desc in (("Norrsken Energi investerar 240 miljoner i elnätet", "Fler ledningar grävs ner i skogsområden."),
                        ("Ny app för alla kunder", "Se förbrukningen timme för timme och byt avtal direkt i appen."),
                        ("Norrsken Energi huvudsponsor för Vinterfesten", "Bolaget stöttar lokalt föreningsliv.")):
        day = s.start + timedelta(days=rng.randint(20, max(21, s.weeks * 7 - 20)))
        out.append(Article(_at(day, rng, 8, 10), title, desc, _slug(title), "Norrsken Energi Press", "Företag"))
    return sorted(out, key=lambda a: a.at)


def interviews(s: Scenario) -> list[Interview]:
    """A morning radio interview the day after the storm, and a podcast about listening during the pilot."""
    host, ceo, head = "Programledare", v.CEO, v.HEAD_OF_SERVICE
    after = s.crisis_day + timedelta(days=1)
    radio = Interview(
        key="radio-mitt-morgon-stormen", title="Radio Mitt Morgon: Norrsken Energis vd om stormen Vidar",
        show="Radio Mitt Morgon", recorded=datetime(after.year, after.month, after.day, 7, 40, tzinfo=STOCKHOLM),
        media="https://radiomitt.example/morgon/stormen-vidar.mp3",
        lines=(
            (host, "Klockan är tjugo i åtta. I natt var tiotusentals hushåll i Västernorrland och Jämtland utan ström."),
            (host, "Hos mig i studion har jag Anna Lindqvist, vd för Norrsken Energi. Välkommen."),
            (ceo, "Tack. Och först vill jag säga förlåt till alla som har frusit i natt. Det är inte okej."),
            (host, "Varför blev avbrottet så omfattande?"),
            (ceo, "Stormen fällde tusentals träd över våra ledningar. Mycket av nätet i skogen är fortfarande luftledning."),
            (ceo, "Vi gräver ner ledningar varje år, men det går inte tillräckligt fort. Det ska jag inte sticka under stol med."),
            (host, "Många lyssnare hör av sig och säger att de inte kom fram på telefon."),
            (ceo, "Det stämmer. Telefonkön var alldeles för lång. Men vi hade sex personer som svarade i sociala medier hela natten."),
            (ceo, "Vi har lärt oss sedan i höstas att det viktigaste är att svara, även när svaret är att vi inte vet än."),
            (host, "Några säger att det var första gången de fick ett besked från ett elbolag mitt i natten."),
            (ceo, "Det är det vi försöker bygga. Vi vill inte bara skicka ut information, vi vill prata med våra kunder."),
            (host, "Vad händer med ersättningen till de drabbade?"),
            (ceo, "Den som har varit utan ström i mer än tolv timmar får avbrottsersättning automatiskt. Man behöver inte ansöka."),
            (host, "Och när har alla ström igen?"),
            (ceo, "De flesta har det redan. Några hundra hushåll vid Liden och Stöde får vänta till i eftermiddag."),
            (host, "Anna Lindqvist, tack för att du kom hit."),
            (ceo, "Tack."),
        ),
    )
    mid = s.pilot.start + timedelta(days=s.pilot.days // 2)
    podcast = Interview(
        key="energisnack-lyssna-forst", title="Energisnack: Lyssna först, kampanja sen",
        show="Energisnack", recorded=datetime(mid.year, mid.month, mid.day, 14, 0, tzinfo=STOCKHOLM),
        media="https://energisnack.example/avsnitt/lyssna-forst.mp3",
        lines=(
            (host, "Välkomna till Energisnack. I dag pratar vi om vad som händer när ett elbolag slutar skicka ut och börjar lyssna."),
            (host, "Med mig har jag Anna Lindqvist, vd på Norrsken Energi, och Maja Holm som leder kundtjänsten."),
            (ceo, "Hej! Kul att vara här."),
            (head, "Hej hej."),
            (host, "Ni körde en stor sommarkampanj förra året. Hur gick den?"),
            (ceo, "Den syntes. Vi nämndes mer än någonsin i sociala medier under tre veckor. Sedan var det som om den aldrig hade funnits."),
            (ceo, "En kampanj är kortsiktig. Den signalerar att relationen kan slås av och på när det passar oss. Så fungerar det inte."),
            (host, "Så vad gjorde ni i stället?"),
            (head, "Vi började med att lyssna. Konversationen om oss pågick redan, vi var bara inte med i den."),
            (head, "I september öppnade vi. Sex personer som svarar med namn, kvällar och helger. Ingen mall, inga hänvisningar till telefonkön."),
            (host, "Och det märks i siffrorna?"),
            (head, "Vi svarar på nästan nio av tio frågor nu, oftast inom en halvtimme. Förut var det en av tjugo, efter ett dygn."),
            (ceo, "Och det roliga är att folk pratar mer om oss, och bättre, och det håller i sig. Det är ingen topp som faller tillbaka."),
            (host, "Ni har också en laddboxpilot i Sundsvall."),
            (ceo, "Ja. Små testprojekt som ger lärdomar och som kan skalas upp. Hundra hushåll, en tydlig hypotes och ett mått."),
            (head, "Vi ser vad deltagarna skriver under hashtaggen varje dag. Wifi-strulet i början hade vi aldrig hittat i en enkät."),
            (host, "Vad säger styrelsen?"),
            (ceo, "Sociala medier diskuteras i styrelserummet nu, inte bara på marknadsavdelningen. Det är kanske den största förändringen."),
            (host, "Anna och Maja, tack för att ni kom."),
            (head, "Tack!"),
        ),
    )
    return [i for i in (radio, podcast) if s.start <= i.recorded.date() <= s.end]
