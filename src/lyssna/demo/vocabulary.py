"""Words the demo is made of: names, places, profiles, hashtags, emoji and the sites people link to.

Everything here is data. The company, its competitors, its people and the outlets named as its own are
fictional; towns, rivers and the big Swedish news sites are real places people would mention.
"""

from __future__ import annotations

__all__ = [
    "FIRST_NAMES", "LAST_NAMES", "HANDLE_WORDS", "REDDIT_WORDS", "FORUM_WORDS", "DISPLAY_EMOJI", "BIOS",
    "LOCATIONS", "TOWNS", "GRID_TOWNS", "OWN_PROFILES", "COMPETITOR_PROFILES", "VOICE_PROFILES",
    "MASTODON_VOICES", "BRAND_FORMS", "NEG_EMOJI", "POS_EMOJI", "NEUTRAL_EMOJI", "HASHTAGS", "NEWS_SITES",
    "MONTHS_SV", "MONTHS_EN", "CEO", "HEAD_OF_SERVICE", "SUMMER_MEMORIES", "SLANG_OPENERS", "SLANG_CLOSERS",
]

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "sv": ("anna", "erik", "maria", "lars", "karin", "johan", "sara", "anders", "emma", "mikael", "linnea",
           "jonas", "elin", "fredrik", "ida", "per", "malin", "henrik", "sofia", "magnus", "hanna", "daniel",
           "frida", "niklas", "maja", "oskar", "ebba", "gustav", "alva", "viktor", "klara", "jonte", "micke",
           "lisa", "stefan", "annika", "mats", "ulla", "bengt", "kicki", "tove", "olle", "agnes", "hampus",
           "nora", "linus", "ahmed", "fatima", "mohammed", "amir", "leyla", "dragan", "mirja", "aino"),
    "en": ("tom", "sarah", "james", "priya", "david", "emily", "chris", "laura", "mike", "rachel", "alex",
           "sam", "kate", "ben", "olivia", "raj", "nina", "mark", "jess", "dan"),
    "no": ("ola", "kari", "ingrid", "knut", "silje", "henrik", "marte", "eirik", "solveig", "torbjørn"),
    "da": ("mette", "søren", "lars", "camilla", "jens", "pernille", "rasmus", "line"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "sv": ("andersson", "johansson", "karlsson", "nilsson", "eriksson", "larsson", "olsson", "persson",
           "svensson", "gustafsson", "pettersson", "jonsson", "lindberg", "lindqvist", "berg", "holm",
           "sjöberg", "wikström", "ek", "forsberg", "nordin", "hedlund", "sundström", "öberg", "nyström",
           "lundgren", "bergström", "hassan", "ali", "kaya", "nordström", "åström", "norberg", "strand"),
    "en": ("smith", "becker", "nair", "jones", "miller", "brown", "taylor", "patel", "wilson", "clarke",
           "murphy", "walsh", "evans", "garcia", "kowalski"),
    "no": ("hansen", "johansen", "olsen", "larsen", "andersen", "berg", "haugen", "bakke"),
    "da": ("jensen", "nielsen", "hansen", "pedersen", "madsen", "christensen"),
}
HANDLE_WORDS = ("norrlands", "glada", "elbils", "villa", "frusna", "trötta", "kaffe", "fjäll", "gamle",
                "pappa", "mamma", "skogs", "team", "real", "its")
REDDIT_WORDS = ("Moose", "Fika", "Kanelbulle", "Norrland", "Sill", "Snow", "Tunnbröd", "Surstromming",
                "Viking", "Lagom", "Polar", "Kaffe", "Dalahast", "Elbil", "Spot")
FORUM_WORDS = ("Elnissen", "Kilowattkalle", "Norrlänning", "Sparsam", "Fjärrvärmaren", "Strömlös",
               "Kundtjänstoffer", "Byggnörd", "Villaägaren", "Solpanelen", "Vedeldaren", "Anonym", "Tjafsmästarn",
               "Pensionären", "Husmusen")
DISPLAY_EMOJI = ("⚡", "🌲", "☕", "🇸🇪", "🚲", "🏔️", "❄️", "🐕", "🎣", "🌻", "🏒")
BIOS: dict[str, tuple[str, ...]] = {
    "sv": ("Pappa, ingenjör, elbilsnörd", "Bor i villa, tänker på elpriset", "Åsikterna är mina egna",
           "Sjuksköterska. Kaffe. Hundar.", "Sundsvall ❤️", "Skriver om vardag och pengar", "Frilans, gamer",
           "Norrlänning i förskingringen", "Husägare sedan 2019, ångrar inget (nästan)", "", "",
           "Lärare, läser, lagar mat", "Hockey och fika", "Energi & klimat", "Mamma till tre, ingen tid"),
    "en": ("Expat in Sweden 🇸🇪", "Software dev, cold most of the year", "Brit in Umeå", "Learning Swedish, slowly",
           ""),
    "no": ("Nordmann i Sverige", ""),
    "da": ("Dansker i Norrland", ""),
}
LOCATIONS = ("Sundsvall", "Härnösand", "Timrå", "Kramfors", "Örnsköldsvik", "Östersund", "Umeå", "Stockholm",
             "Göteborg", "Uppsala", "Gävle", "Hudiksvall", "Luleå", "Sverige", "Norrland", "", "", "")
#: Towns people write from (anywhere in Sweden).
TOWNS = ("Sundsvall", "Härnösand", "Timrå", "Kramfors", "Örnsköldsvik", "Östersund", "Umeå", "Sollefteå",
         "Ånge", "Hudiksvall", "Gävle", "Uppsala", "Västerås", "Stockholm", "Göteborg", "Luleå", "Skellefteå",
         "Bollnäs", "Söderhamn", "Krokom")
#: Towns on the company's own grid (where the storm cuts the power).
GRID_TOWNS = ("Sundsvall", "Härnösand", "Timrå", "Kramfors", "Sollefteå", "Ånge", "Örnsköldsvik", "Krokom",
              "Matfors", "Njurunda", "Liden", "Stöde", "Alnö", "Bispgården")

# (display name, role, followers, bio, verified)
OWN_PROFILES: dict[str, tuple[str, str, int, str, bool]] = {
    "NorrskenEnergi": ("Norrsken Energi", "own", 18400,
                       "El, elnät och fjärrvärme för Norrland och hela Sverige. Kundtjänst: @NorrskenHjalp", True),
    "NorrskenHjalp": ("Norrsken Energi Kundtjänst", "own", 3100,
                           "Vi hjälper dig med el, elnät och fjärrvärme. Vardagar 7–22, helger 9–18.", True),
    "norrskenenergi": ("Norrsken Energi", "own", 1200, "El, elnät och fjärrvärme från Norrland. Vi svarar här!",
                       False),
    "Norrsken_Energi": ("Norrsken_Energi", "own", 0, "Officiellt konto för Norrsken Energi", False),
    "Norrsken_Kundservice": ("Norrsken_Kundservice", "own", 0, "", False),
}
COMPETITOR_PROFILES: dict[str, tuple[str, str, int, str, bool]] = {
    "Fjallkraft": ("Fjällkraft", "competitor", 26500, "Vattenkraft från fjällen, till ditt hem.", True),
    "VindoEl": ("Vindö El", "competitor", 9800, "Schysst el. Timpris utan krångel. 🌬️", False),
}
VOICE_PROFILES: dict[str, tuple[str, str, int, str, bool]] = {
    "maria_ek_energi": ("Maria Ek", "journalist", 48200,
                        "Energireporter. Tips: maria.ek@energibevakningen.se. Åsikter mina egna.", True),
    "Konsumentkollen": ("Konsumentkollen", "consumer", 31700,
                        "Vi granskar avtal, priser och villkor – för dig som konsument.", True),
    "Elprisprofessor": ("Jonas Berglund", "expert", 22300, "Forskar på elmarknader. Förklarar elpriset.", False),
    "laddnisse": ("Nisse Laddar ⚡", "influencer", 12600, "Elbil sedan 2016. Tester, tips och tjafs.", False),
}
MASTODON_VOICES: dict[str, tuple[str, str, int, str, bool]] = {
    "mariaek": ("Maria Ek", "journalist", 6100, "Energireporter på Energibevakningen.", False),
}

#: How people write each company's name: plain, genitive, and the handle (X).
BRAND_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "Norrsken Energi": {
        "plain": ("Norrsken", "Norrsken Energi", "Norrsken Energi", "@NorrskenEnergi", "@NorrskenEnergi",
                  "norrsken", "Norrsken energi", "#NorrskenEnergi"),
        "gen": ("Norrskens", "Norrsken Energis", "@NorrskenEnergi:s", "norrskens"),
        "handle": ("@NorrskenEnergi", "@NorrskenHjalp"),
    },
    "Fjällkraft": {
        "plain": ("Fjällkraft", "Fjällkraft", "@Fjallkraft", "fjällkraft"),
        "gen": ("Fjällkrafts", "@Fjallkraft:s"),
        "handle": ("@Fjallkraft",),
    },
    "Vindö El": {
        "plain": ("Vindö El", "Vindö El", "@VindoEl", "Vindö", "vindö el"),
        "gen": ("Vindö Els", "Vindös"),
        "handle": ("@VindoEl",),
    },
}

NEG_EMOJI = ("😡", "🙄", "😤", "🤬", "😒", "🤦‍♂️", "😩", "😠", "💸", "🥶")
POS_EMOJI = ("👏", "🙏", "💚", "😊", "👍", "🙌", "⚡", "☺️", "❤️", "💛")
NEUTRAL_EMOJI = ("🤔", "👀", "⚡", "💡", "📈", "🔌")
HASHTAGS: dict[str, tuple[str, ...]] = {
    "complaint": ("#elpris", "#elräkning", "#kundtjänst", "#fail", "#elavtal", "#nätavgift"),
    "question": ("#elavtal", "#elpris", "#fråga", "#fjärrvärme"),
    "praise": ("#kundtjänst", "#elavtal", "#nöjd"),
    "neutral": ("#elpris", "#energi", "#elnät", "#vindkraft"),
    "chatter": ("#elpris", "#elpris", "#energi", "#elbil", "#solceller", "#fjärrvärme", "#spotpris"),
    "crisis": ("#strömavbrott", "#strömavbrott", "#stormenVidar", "#elavbrott"),
    "en": ("#sweden", "#expatlife", "#electricity", "#sverige"),
}

# Outlets and the paths their articles live under (the first is the fictional trade site of the RSS feed).
NEWS_SITES: tuple[tuple[str, str], ...] = (
    ("Energibevakningen", "https://www.energibevakningen.se/nyheter/{slug}"),
    ("SVT", "https://www.svt.se/nyheter/lokalt/vasternorrland/{slug}"),
    ("DN", "https://www.dn.se/ekonomi/{slug}/"),
    ("Sveriges Radio", "https://sverigesradio.se/artikel/{slug}"),
    ("ST", "https://www.st.nu/2025-{mm}-{dd}/{slug}"),
)

MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

CEO = "Anna Lindqvist"
HEAD_OF_SERVICE = "Maja Holm"

SUMMER_MEMORIES = ("bada i Indalsälven med ungarna", "midsommar på Alnön", "fiska vid Höga kusten",
                   "grilla på bryggan", "solnedgång kl 23 i Jämtland", "cykla runt Storsjön",
                   "plocka hjortron med farfar", "tälta på Norrfällsviken", "första doppet i Ljungan")
SLANG_OPENERS = ("asså ", "ärligt talat, ", "seriöst ", "okej så ", "lol ", "ugh ", "hallå? ", "jaha. ", "nä men ", "")
SLANG_CLOSERS = (" typ", " liksom", " wtf", " ffs", " orka", " smh", "...", "!!", " ?!", "")
