"""Longer texts: Reddit submissions and comments, and forum posts in the Flashback manner.

Keys are ``(language, kind)``; the slots are those of :mod:`lyssna.demo.phrases` (``{b}`` the company,
``{c}`` another one, ``{ort}``, ``{gort}``, ``{kr}``, ``{n}``, ``{h}``, ``{month}``, ``{staff}``).
"""

from __future__ import annotations

__all__ = ["REDDIT_TITLES", "REDDIT_EXTRA", "REDDIT_COMMENTS", "FORUM_THREADS", "FORUM_SENTENCES"]

#: Submission titles by (language, topic).
REDDIT_TITLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sv", "complaint"): (
        "{b} har fakturerat mig dubbelt – någon annan?", "Orimlig elräkning från {b}, vad gör jag?",
        "{b} svarar inte på mejl sedan {n} veckor", "{b} höjer nätavgiften igen – hur är det ens tillåtet?",
        "Varning för automatisk förlängning hos {b}", "Fick {kr} kr i elräkning för en etta. Rimligt?",
    ),
    ("sv", "question"): (
        "Vilket elbolag har ni? Funderar på att lämna {b}", "Fast eller rörligt elpris i vinter?",
        "{b} eller {c} för villa i Norrland?", "Hur fungerar effektavgiften egentligen?",
        "Byta elbolag – vad ska man tänka på?",
    ),
    ("sv", "praise"): ("Positiv erfarenhet av {b} för en gångs skull", "Kredd till kundtjänsten på {b}"),
    ("sv", "praise_dialogue"): ("PSA: {b} svarar faktiskt i sociala medier numera",
                                "{b} har verkligen skärpt sig med kundtjänsten"),
    ("sv", "crisis"): (
        "Strömavbrott i {gort} – någon info?", "Stormen Vidar: hur länge har ni varit utan ström?",
        "Avbrottsersättning efter stormen – hur gör man?",
    ),
    ("sv", "campaign"): ("Norrsken-reklamen med älgen – är det bara jag?", "Är Norrskens sommarerbjudande värt det?"),
    ("sv", "pilot"): ("Laddboxpilot i Sundsvall – någon som är med?", "Smart laddning via elbolaget – värt det?"),
    ("en", "complaint"): ("Got a {kr} kr electricity bill from {b}, is this normal?",
                          "{b} won't let me cancel in English", "Is {b} overcharging everyone or just me?"),
    ("en", "question"): ("Electricity providers in Sweden – {b} vs {c}?", "How do I cancel {b} when moving abroad?",
                         "What is 'nätavgift' and why is it so high?"),
    ("en", "praise"): ("Surprisingly good customer service from {b}",),
    ("en", "praise_dialogue"): ("PSA: {b} answers questions on social media now, and quickly",),
    ("en", "crisis"): ("Power outage in {gort} – any updates?",),
    ("en", "campaign"): ("What's with the singing moose ads everywhere?",),
    ("en", "pilot"): ("Anyone in the Sundsvall smart charger pilot?",),
}

#: Sentences a submission's self text adds after its first line.
REDDIT_EXTRA: dict[str, tuple[str, ...]] = {
    "sv": ("Har ringt två gånger utan att komma fram.", "Bor i en trea i {ort}.", "Tacksam för tips!",
           "Är det bara jag som tycker det här är helt orimligt?", "Vad skulle ni göra?", "Edit: stavning",
           "Har haft dem i {n} år och aldrig haft problem förut.", "Förbrukningen är ungefär som vanligt."),
    "en": ("Any advice appreciated!", "I've lived here {n} years and never had this.", "Edit: formatting",
           "Not sure if I'm missing something obvious."),
}

#: Comments by (language, kind): top-level answers, replies to other comments, the asker's own
#: answers, and the company's staff.
REDDIT_COMMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sv", "answer"): (
        "Byt till timpris och flytta tvätt och disk till natten, det sparar massor.",
        "Nätavgiften kan du inte byta bort, den hör till var du bor.",
        "Ring och hota med att säga upp, då brukar de hitta ett bättre pris.",
        "Gör en anmälan till ARN om de inte löser det.",
        "Kolla jämförpriset, inte bara det som står stort i reklamen.",
        "Har haft {b} i {n} år, aldrig problem.", "Vi bytte till {c} förra året och det har varit lugnt.",
        "Alla elbolag är lika dåliga, välj det billigaste.",
        "Norrland: billigast el, dyrast nät.", "Fast pris är en försäkring, inte ett sätt att spara pengar.",
        "Samma sak hände mig i {month}. Det löste sig efter ett par veckor.",
        "Det där är ett fel i deras nya fakturasystem, de har gått ut med det.",
    ),
    ("sv", "answer_dialogue"): (
        "{b} har blivit mycket bättre senaste tiden faktiskt, de svarar på X inom en timme.",
        "Skriv till {b} på X eller Mastodon istället, där svarar de snabbare än i telefon.",
        "Deras kundtjänst svarar här på Reddit också numera, vänta lite så dyker de nog upp.",
    ),
    ("sv", "reply"): (
        "Det här. Exakt så.", "Nja, det stämmer inte riktigt. Nätavgiften är reglerad.", "Källa?",
        "Håller med, men det är ändå för dyrt.", "Fast det där gäller väl bara om man har timmätning?",
        "Haha ja", "Samma erfarenhet här.", "Fick precis samma svar av dem.", "Tror du blandar ihop elhandel och elnät.",
        "Det var inte min upplevelse alls, men skönt att det funkar för dig.", "Underskattad kommentar.",
        "Nej, så funkar det inte. Nätavgiften betalar du till den som äger nätet där du bor.",
        "Jag hade exakt samma sak i {month}.", "Det här borde stå på deras hemsida.",
        "Beror helt på hur mycket du förbrukar.", "Lol, typiskt.", "Men varför skulle man binda priset nu?",
        "Bra poäng.", "Vet inte varför du får nedröster, det stämmer ju.", "Det där är inte hela sanningen.",
        "Så sant så sant.", "Fast {c} är inte bättre, tro mig.",
    ),
    ("sv", "op"): (
        "Tack, ska testa det!", "Har redan ringt två gånger, men ska försöka igen.",
        "Uppdatering: de har rättat fakturan nu!", "Bra tips, tack.", "Okej, då vet jag. Tack!",
    ),
    ("sv", "staff"): (
        "Hej! {staff} från Norrsken Energis kundtjänst här. Förlåt för strulet, skicka ett PM med ditt kundnummer så tittar jag på det direkt.",
        "Hej, {staff} från Norrsken här. Nätavgiften höjs för att vi bygger om ledningar efter stormarna. Fråga gärna om något är oklart!",
        "Hej! {staff} på Norrsken Energi. Det låter som felet från fakturabytet i {month}, det är rättat nu. Hör av dig om det inte stämmer.",
    ),
    ("sv", "staff_pilot"): (
        "Hej, {staff} från Norrsken Energi. Piloten är öppen för hushåll i Sundsvalls kommun, och vi delar resultaten när den är klar.",
        "Hej! {staff} på Norrsken här. Vi testar i liten skala först för att lära oss. Berätta gärna vad du tycker!",
    ),
    ("sv", "staff_crisis"): (
        "Hej, {staff} från Norrsken Energi. Vi jobbar för fullt, de flesta i {gort} ska ha ström igen i kväll. Avbrottsersättning betalas ut automatiskt efter 12 timmar.",
    ),
    ("sv", "staff_again"): (
        "Tack! Jag har fått ditt PM och ordnat det. /{staff}", "Toppen, då är det löst. Tack för att du hörde av dig! /{staff}",
    ),
    ("en", "answer"): (
        "Switch to hourly pricing and run your dishwasher at night.",
        "The grid fee depends on where you live, you can't change that.",
        "Use the comparison price (jämförpris), not the headline price.",
        "Been with {b} for {n} years, no complaints.", "Welcome to Sweden, where electricity bills are a sport.",
    ),
    ("en", "answer_dialogue"): ("{b}'s customer service actually replies on X now, try that.",),
    ("en", "reply"): ("This.", "Not quite, the grid fee is regulated.", "Same experience here.", "Source?",
                      "Depends on your usage honestly.", "Good point.", "lol, classic", "Had the exact same thing in {month}.",
                      "That's not how it works here, the grid company depends on where you live."),
    ("en", "op"): ("Thanks, will try that!", "Update: they fixed it!", "Good to know, thanks."),
    ("en", "staff"): (
        "Hi! {staff} from Norrsken Energi customer service here. Sorry about this, send me a PM with your customer number and I'll sort it.",
    ),
    ("en", "staff_pilot"): ("Hi! {staff} from Norrsken Energi here. The pilot is open to households in Sundsvall for now.",),
    ("en", "staff_crisis"): ("Hi, {staff} from Norrsken Energi. Crews are out everywhere, most of {gort} should have power back tonight.",),
    ("en", "staff_again"): ("Got your PM, all sorted now. /{staff}",),
}

#: The forum's threads: (key, title, topic, opening post).
FORUM_THREADS: tuple[tuple[str, str, str, str], ...] = (
    ("experiences", "Norrsken Energi – erfarenheter?", "company",
     "Funderar på att byta till Norrsken Energi. Vad har ni för erfarenheter? Både elavtal och elnät om ni "
     "bor i deras område. Hur är kundtjänsten?"),
    ("prices", "Elpriset 2025 – hur hanterar ni det?", "prices",
     "Elpriset har varit en berg- och dalbana. Hur gör ni? Fast, rörligt eller timpris? Och vilket bolag?"),
    ("campaign", "Norrskens sommarkampanj – värd det?", "campaign",
     "Ser Norrsken Energi-reklamen överallt just nu. Tre månader utan månadsavgift låter bra, men vad är "
     "haken? Någon som läst villkoren?"),
    ("crisis", "Stormen Vidar – strömavbrott i Västernorrland", "crisis",
     "Strömmen gick här vid fem i morse. Hela byn mörk. Hur ser det ut hos er? Någon som vet något?"),
    ("pilot", "Laddbox via elbolaget (Sundsvall-piloten)", "pilot",
     "Norrsken Energi kör en pilot med smart laddbox i Sundsvall. Någon här som är med? Värt det?"),
)

#: Sentences forum posts are made of, by thread topic; "staff" is the company's account, later on.
FORUM_SENTENCES: dict[str, tuple[str, ...]] = {
    "company": (
        "Har själv haft Norrsken i tre år och det har funkat hyfsat.",
        "Bytte från {c} till {b} förra hösten, inga problem hittills.",
        "{b} är bland de dyraste om man tittar på jämförpriset.",
        "Fick en faktura på {kr} kr för december. Ringde och de hade läst av fel.",
        "Det är nätavgiften som är problemet, inte elpriset. Och den kan man inte välja bort.",
        "Vindö El är billigast just nu om man kollar jämförpris.", "Fjällkraft har bättre kundtjänst enligt min erfarenhet.",
        "Ni som klagar, har ni ens läst avtalet?", "Det är monopol på elnätet, man kan inte göra något åt det.",
        "Jag jobbade på ett elbolag förut. Kundtjänsten har inga befogenheter alls, det är problemet.",
        "Automatisk förlängning till högre pris borde vara förbjudet.", "Helt okej bolag om man inte behöver ringa dem.",
        "Elnätet i {gort} är under all kritik, strömmen går så fort det blåser.",
    ),
    "company_dialogue": (
        "Deras kundtjänst var ett skämt förut, men nu svarar de faktiskt inom en timme på X.",
        "Sen de började svara i sociala medier har det blivit mycket bättre faktiskt.",
        "Fick hjälp på en söndag via deras konto på X. Hade aldrig hänt för ett år sedan.",
        "De har till och med en egen person här i tråden nu. Det är väl bra?",
    ),
    "prices": (
        "Kör timpris och styr värmepumpen efter priset, det är det enda vettiga.", "Skulle aldrig binda priset i nuläget.",
        "Vi betalade {kr} kr i januari för en villa i {ort}.", "Fast pris är för folk som vill sova gott, inte spara pengar.",
        "Effektavgiften kommer ändra allt, vänta bara.", "Solceller på taket, betalar nästan inget på sommaren.",
        "{b}, {c}, alla tar samma påslag i praktiken.", "Tvättar bara nattetid nu. Det är så det är.",
        "Jämför på elpriskollen innan ni byter.", "Vill man slippa tänka är fast pris skönt ändå.",
    ),
    "campaign": (
        "Sjungande älgar istället för fungerande kundtjänst.", "Tog erbjudandet, tre månader utan avgift är ändå tre månader.",
        "Reklamen går på repeat på Youtube, jag kommer drömma om den där älgen.",
        "Kampanj i all ära, men det viktiga är vad som händer efter.", "Haken är att priset efteråt är högre än hos {c}.",
        "Läste villkoren: bindningstid 24 månader. Nej tack.", "Min sambo tecknade. Vi får se.",
    ),
    "crisis": (
        "Utan ström sedan fem i morse i {gort}.", "Fick tillbaka strömmen efter {h} timmar.",
        "Träd över ledningen hela vägen upp mot {gort}.",
        "Norrskens uppdateringar på X var faktiskt bra, visste hela tiden ungefär när det skulle komma tillbaka.",
        "Varför är inte ledningarna nedgrävda 2026?", "Avbrottsersättningen kom automatiskt, {kr} kr.",
        "Hade vedspis, så vi klarade oss. Grannarna hade det värre.", "Kartan på deras sida var helt fel hela dagen.",
        "Ringde felanmälan 14 gånger innan jag kom fram.", "Montörerna jobbade hela natten, all respekt till dem.",
    ),
    "pilot": (
        "Vi är med i piloten. Laddboxen installerades på två timmar.",
        "Appen flyttar laddningen till natten automatiskt, märks på räkningen.", "Varför bara Sundsvall?",
        "Wifi-strul med boxen första veckan, men de kom ut och fixade.", "Skulle vilja se siffror på hur mycket man sparar.",
        "Sparade ungefär {kr} kr första kvartalet enligt appen.", "Bra att de testar i liten skala först innan de lovar saker.",
        "Vi i {ort} står i kö för nästa omgång.",
    ),
    "staff_company": (
        "Hej! {staff} från Norrsken Energis kundtjänst här. Förlåt för strulet, skicka ett PM så hjälper jag dig.",
        "Hej, vi följer tråden och tar med oss synpunkterna. Fakturafelet i {month} berodde på ett systembyte och är rättat nu. /{staff}, Norrsken Energi",
    ),
    "staff_crisis": (
        "Hej! Avbrottsersättningen betalas ut automatiskt, hör av dig om den inte har kommit. /{staff}, Norrsken Energi",
        "Hej, {staff} från Norrsken Energi här. Vi vet att det har varit tufft. Skriv gärna var ni bor så kollar jag läget.",
    ),
    "staff_pilot": (
        "Tack för alla synpunkter om piloten! Vi sammanställer dem inför beslutet om att skala upp. /{staff}, Norrsken Energi",
        "Hej! Wifi-problemet med boxen är känt, vi byter antenn hos alla som har det. /{staff}, Norrsken Energi",
    ),
}
