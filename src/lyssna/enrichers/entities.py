"""Entities in a post's text: #hashtags, @mentions and @user/lists, URLs and $cashtags exactly as Twitter
extracts them, and emoji as whole grapheme clusters.

The entity part is a port of twitter-text (github.com/twitter/twitter-text, Apache-2.0): the regular
expressions of ``Regex.java`` and the rules of ``Extractor.java`` (what follows a match, t.co slugs, the
IDNA check of a URL's host, overlap resolution), checked against the project's conformance suite
``conformance/extract.yml`` (see tests/enrichers/test_entities.py). Indices are code points, as in
Twitter's API and the suite (Python's own string indices), not UTF-16 units.

Where the port departs from the Java text, on purpose:

* Java's ``CASE_INSENSITIVE`` folds ASCII only; here every pattern has ``re.IGNORECASE | re.ASCII``,
  which is the same (no ``\\w``/``\\d``/``\\b`` are used, the classes are spelled out).
* ``\\p{L}\\p{M}``, ``\\p{Nd}`` and ``\\p{Z}`` are spelled out as ranges generated from Unicode 17
  (the ``regex`` package 2026.11.15, offline) united with twitter-text's own additions, so nothing
  depends on the running Python's Unicode version.
* Java writes the directional marks after a space in the cashtag and reply patterns as a plain
  string (so they only match all twelve in a row); here they are a class, as intended.
* Java's variable-width look-behind ``(?<=https?://)`` is two fixed-width ones; the TLD alternations
  are built as a trie (same language, same longest-first preference, much faster in ``re``).

The TLD lists are twitter-text's ``conformance/tld_lib.yml`` (commit d066f7a), embedded.

Emoji are not in the suite. An emoji is, after UTS #51: a keycap (``1️⃣``), a flag (two regional
indicators, ``🇸🇪``), a tag sequence (``🏴󠁧󠁢󠁳󠁣󠁴󠁿``), or a pictograph with its skin-tone modifiers and
variation selectors, joined with others by ZWJ (``👨‍👩‍👧``, ``👍🏽``, ``❤️``). A lone character counts
when it has emoji presentation by default, or is an emoji from U+2600 on (``❤`` typed without
U+FE0F); never when U+FE0E asks for text presentation; ``©`` or ``™`` only with U+FE0F.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Entity", "extract_entities", "extract_hashtags", "extract_mentions", "extract_urls", "extract_cashtags",
    "extract_reply", "extract_emoji", "url_domain", "hashtag_entities", "mention_entities", "url_entities",
    "cashtag_entities",
]


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity: ``text[start:end]`` is the whole of it in the post (sigil included).

    ``kind`` is "hashtag", "mention", "list", "url" or "cashtag". ``text`` is the tag, screen name or
    symbol without its sigil (the screen name, for a list), or the URL as written. ``list_slug`` is
    the list part of ``@user/list`` with its slash ("/list"), as twitter-text gives it; None otherwise.
    """

    kind: str
    text: str
    start: int
    end: int
    list_slug: str | None = None


# --- Data (generated) -------------------------------------------------------------------------------

# twitter-text conformance/tld_lib.yml (commit d066f7a), country and generic TLDs in its order.
_CCTLDS = """
한국 香港 澳門 新加坡 台灣 台湾 中國 中国 გე ລາວ ไทย ලංකා ഭാരതം ಭಾರತ భారత్ சிங்கப்பூர் இலங்கை இந்தியா ଭାରତ ભારત ਭਾਰਤ
ভাৰত ভারত বাংলা भारोत भारतम् भारत ڀارت پاکستان موريتانيا مليسيا مصر قطر فلسطين عمان عراق سورية سودان تونس بھارت بارت
ایران امارات المغرب السعودية الجزائر البحرين الاردن հայ қаз укр срб рф мон мкд ею бел бг ευ ελ
zw zm za yt ye ws wf vu vn vi vg ve vc va uz uy us um uk ug ua tz tw tv tt tr tp to tn tm tl tk tj th tg tf td tc
sz sy sx sv su st ss sr so sn sm sl sk sj si sh sg se sd sc sb sa rw ru rs ro re qa py pw pt ps pr pn pm pl pk ph
pg pf pe pa om nz nu nr np no nl ni ng nf ne nc na mz my mx mw mv mu mt ms mr mq mp mo mn mm ml mk mh mg mf me md
mc ma ly lv lu lt ls lr lk li lc lb la kz ky kw kr kp kn km ki kh kg ke jp jo jm je it is ir iq io in im il ie id
hu ht hr hn hm hk gy gw gu gt gs gr gq gp gn gm gl gi gh gg gf ge gd gb ga fr fo fm fk fj fi eu et es er eh eg ee
ec dz do dm dk dj de cz cy cx cw cv cu cr co cn cm cl ck ci ch cg cf cd cc ca bz by bw bv bt bs br bq bo bn bm bl
bj bi bh bg bf be bd bb ba az ax aw au at as ar aq ao an am al ai ag af ae ad ac
"""

_GTLDS = """
삼성 닷컴 닷넷 香格里拉 餐厅 食品 飞利浦 電訊盈科 集团 通販 购物 谷歌 诺基亚 联通 网络 网站 网店 网址 组织机构 移动 珠宝 点看 游戏 淡马锡
机构 書籍 时尚 新闻 政府 政务 招聘 手表 手机 我爱你 慈善 微博 广东 工行 家電 娱乐 天主教 大拿 大众汽车 在线 嘉里大酒店 嘉里 商标
商店 商城 公益 公司 八卦 健康 信息 佛山 企业 中文网 中信 世界 ポイント ファッション セール ストア コム グーグル クラウド みんな คอม
संगठन नेट कॉम همراه موقع موبايلي كوم كاثوليك عرب شبكة بيتك بازار العليان ارامكو اتصالات ابوظبي קום сайт рус орг онлайн
москва ком католик дети
zuerich zone zippo zip zero zara zappos yun youtube you yokohama yoga yodobashi yandex yamaxun yahoo yachts xyz
xxx xperia xin xihuan xfinity xerox xbox wtf wtc wow world works work woodside wolterskluwer wme winners wine
windows win williamhill wiki wien whoswho weir weibo wedding wed website weber webcam weatherchannel weather
watches watch warman wanggou wang walter walmart wales vuelos voyage voto voting vote volvo volkswagen vodka
vlaanderen vivo viva vistaprint vista vision visa virgin vip vin villas viking vig video viajes vet versicherung
vermögensberatung vermögensberater verisign ventures vegas vanguard vana vacations ups uol uno university unicom
uconnect ubs ubank tvs tushu tunes tui tube trv trust travelersinsurance travelers travelchannel travel training
trading trade toys toyota town tours total toshiba toray top tools tokyo today tmall tkmaxx tjx tjmaxx tirol
tires tips tiffany tienda tickets tiaa theatre theater thd teva tennis temasek telefonica telecity tel technology
tech team tdk tci taxi tax tattoo tatar tatamotors target taobao talk taipei tab systems symantec sydney swiss
swiftcover swatch suzuki surgery surf support supply supplies sucks style study studio stream store storage
stockholm stcgroup stc statoil statefarm statebank starhub star staples stada srt srl spreadbetting spot sport
spiegel space soy sony song solutions solar sohu software softbank social soccer sncf smile smart sling skype
sky skin ski site singles sina silk shriram showtime show shouji shopping shop shoes shiksha shia shell shaw
sharp shangrila sfr sexy sex sew seven ses services sener select seek security secure seat search scot scor
scjohnson science schwarz schule school scholarships schmidt schaeffler scb sca sbs sbi saxo save sas sarl sapo
sap sanofi sandvikcoromant sandvik samsung samsclub salon sale sakura safety safe saarland ryukyu rwe run ruhr
rugby rsvp room rogers rodeo rocks rocher rmit rip rio ril rightathome ricoh richardli rich rexroth reviews
review restaurant rest republican report repair rentals rent ren reliance reit reisen reise rehab redumbrella
redstone red recipes realty realtor realestate read raid radio racing qvc quest quebec qpon pwc pub prudential
pru protection property properties promo progressive prof productions prod pro prime press praxi pramerica post
porn politie poker pohl pnc plus plumbing playstation play place pizza pioneer pink ping pin pid pictures pictet
pics piaget physio photos photography photo phone philips phd pharmacy pfizer pet pccw pay passagens party parts
partners pars paris panerai panasonic pamperedchef page ovh ott otsuka osaka origins orientexpress organic org
orange oracle open ooo onyourside online onl ong one omega ollo oldnavy olayangroup olayan okinawa office off
observer obi nyc ntt nrw nra nowtv nowruz now norton northwesternmutual nokia nissay nissan ninja nikon nike nico
nhk ngo nfl nexus nextdirect next news newholland new neustar network netflix netbank net nec nba navy natura
nationwide name nagoya nadex nab mutuelle mutual museum mtr mtpc mtn msd movistar movie mov motorcycles moto
moscow mortgage mormon mopar montblanc monster money monash mom moi moe moda mobily mobile mobi mma mls mlb
mitsubishi mit mint mini mil microsoft miami metlife merckmsd meo menu men memorial meme melbourne meet media med
mckinsey mcdonalds mcd mba mattel maserati marshalls marriott markets marketing market map mango management man
makeup maison maif madrid macys luxury luxe lupin lundbeck ltda ltd lplfinancial lpl love lotto lotte london lol
loft locus locker loans loan llp llc lixil living live lipsy link linde lincoln limo limited lilly like lighting
lifestyle lifeinsurance life lidl liaison lgbt lexus lego legal lefrak leclerc lease lds lawyer law latrobe
latino lat lasalle lanxess landrover land lancome lancia lancaster lamer lamborghini ladbrokes lacaixa kyoto
kuokgroup kred krd kpn kpmg kosher komatsu koeln kiwi kitchen kindle kinder kim kia kfh kerryproperties
kerrylogistics kerryhotels kddi kaufen juniper juegos jprs jpmorgan joy jot joburg jobs jnj jmp jll jlc jio
jewelry jetzt jeep jcp jcb java jaguar iwc iveco itv itau istanbul ist ismaili iselect irish ipiranga investments
intuit international intel int insure insurance institute ink ing info infiniti industries inc immobilien immo
imdb imamat ikano iinet ifm ieee icu ice icbc ibm hyundai hyatt hughes htc hsbc how house hotmail hotels hoteles
hot hosting host hospital horse honeywell honda homesense homes homegoods homedepot holiday holdings hockey hkt
hiv hitachi hisamitsu hiphop hgtv hermes here helsinki help healthcare health hdfcbank hdfc hbo haus hangout
hamburg hair guru guitars guide guge gucci guardian group grocery gripe green gratis graphics grainger gov got
gop google goog goodyear goodhands goo golf goldpoint gold godaddy gmx gmo gmbh gmail globo global gle glass
glade giving gives gifts gift ggee george genting gent gea gdn gbiz gay garden gap games game gallup gallo
gallery gal fyi futbol furniture fund fun fujixerox fujitsu ftr frontier frontdoor frogans frl fresenius free
fox foundation forum forsale forex ford football foodnetwork food foo fly flsmidth flowers florist flir flights
flickr fitness fit fishing fish firmdale firestone fire financial finance final film fido fidelity fiat ferrero
ferrari feedback fedex fast fashion farmers farm fans fan family faith fairwinds fail fage extraspace express
exposed expert exchange everbank events eus eurovision etisalat esurance estate esq erni ericsson equipment
epson epost enterprises engineering engineer energy emerck email education edu edeka eco eat earth dvr dvag
durban dupont duns dunlop duck dubai dtv drive download dot doosan domains doha dog dodge doctor docs dnp diy
dish discover discount directory direct digital diet diamonds dhl dev design desi dentist dental democrat delta
deloitte dell delivery degree deals dealer deal dds dclk day datsun dating date data dance dad dabur cyou cymru
cuisinella csc cruises cruise crs crown cricket creditunion creditcard credit cpa courses coupons coupon country
corsica coop cool cookingchannel cooking contractors contact consulting construction condos comsec computer
compare company community commbank comcast com cologne college coffee codes coach clubmed club cloud clothing
clinique clinic click cleaning claims cityeats city citic citi citadel cisco circle cipriani church chrysler
chrome christmas chloe chintai cheap chat chase charity channel chanel cfd cfa cern ceo center ceb cbs cbre cbn
cba catholic catering cat casino cash caseih case casa cartier cars careers career care cards caravan car
capitalone capital capetown canon cancerresearch camp camera cam calvinklein call cal cafe cab bzh buzz buy
business builders build bugatti budapest brussels brother broker broadway bridgestone bradesco box boutique bot
boston bostik bosch boots booking book boo bond bom bofa boehringer boats bnpparibas bnl bmw bms blue bloomberg
blog blockbuster blanco blackfriday black biz bio bingo bing bike bid bible bharti bet bestbuy best berlin
bentley beer beauty beats bcn bcg bbva bbt bbc bayern bauhaus basketball baseball bargains barefoot barclays
barclaycard barcelona bar bank band bananarepublic banamex baidu baby azure axa aws avianca autos auto author
auspost audio audible audi auction attorney athleta associates asia asda arte art arpa army archi aramco arab
aquarelle apple app apartments aol anz anquan android analytics amsterdam amica amfam amex americanfamily
americanexpress alstom alsace ally allstate allfinanz alipay alibaba alfaromeo akdn airtel airforce airbus aigo
aig agency agakhan africa afl afamilycompany aetna aero aeg adult ads adac actor active aco accountants
accountant accenture academy abudhabi abogado able abc abbvie abbott abb abarth aarp aaa onion
"""

# Character classes (bodies, with \u escapes), generated from Unicode 17 by the regex package.
# _LETTERS_AND_MARKS: \p{L}\p{M} and twitter-text's additions; _NUMERALS: \p{Nd} and its additions;
# _SEPARATORS: \p{Z}; _EMOJI_BASE: Emoji or Extended_Pictographic, less ASCII and regional indicators;
# _EMOJI_BARE: what counts standing alone (Emoji_Presentation, or Emoji from U+2600 on).
_LETTERS_AND_MARKS = (
    r"\u0041-\u005a\u0061-\u007a\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02c1\u02c6-\u02d1\u02e0-"
    r"\u02e4\u02ec\u02ee\u0300-\u0374\u0376\u0377\u037a-\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-"
    r"\u03f5\u03f7-\u0481\u0483-\u052f\u0531-\u0556\u0558\u0559\u0560-\u0588\u058b\u058c\u0591-\u05bd\u05bf\u05c1"
    r"\u05c2\u05c4\u05c5\u05c7-\u05c9\u05d0-\u05ea\u05ef-\u05f2\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-"
    r"\u06dc\u06df-\u06e8\u06ea-\u06ef\u06fa-\u06fc\u06ff\u0710-\u074a\u074d-\u07b1\u07ca-\u07f5\u07fa\u07fd"
    r"\u0800-\u082d\u0840-\u085b\u0860-\u086a\u0870-\u0887\u0889-\u088f\u0897-\u08e1\u08e3-\u0963\u0971-\u0983"
    r"\u0985-\u098c\u098f\u0990\u0993-\u09a8\u09aa-\u09b0\u09b2\u09b6-\u09b9\u09bc-\u09c4\u09c7\u09c8\u09cb-\u09ce"
    r"\u09d7\u09dc\u09dd\u09df-\u09e3\u09f0\u09f1\u09fc\u09fe\u0a01-\u0a03\u0a05-\u0a0a\u0a0f\u0a10\u0a13-\u0a28"
    r"\u0a2a-\u0a30\u0a32\u0a33\u0a35\u0a36\u0a38\u0a39\u0a3c\u0a3e-\u0a42\u0a47\u0a48\u0a4b-\u0a4d\u0a51\u0a59-"
    r"\u0a5c\u0a5e\u0a70-\u0a75\u0a81-\u0a83\u0a85-\u0a8d\u0a8f-\u0a91\u0a93-\u0aa8\u0aaa-\u0ab0\u0ab2\u0ab3"
    r"\u0ab5-\u0ab9\u0abc-\u0ac5\u0ac7-\u0ac9\u0acb-\u0acd\u0ad0\u0ae0-\u0ae3\u0af9-\u0aff\u0b01-\u0b03\u0b05-"
    r"\u0b0c\u0b0f\u0b10\u0b13-\u0b28\u0b2a-\u0b30\u0b32\u0b33\u0b35-\u0b39\u0b3c-\u0b44\u0b47\u0b48\u0b4b-\u0b4d"
    r"\u0b53-\u0b57\u0b5c\u0b5d\u0b5f-\u0b63\u0b71\u0b82\u0b83\u0b85-\u0b8a\u0b8e-\u0b90\u0b92-\u0b95\u0b99\u0b9a"
    r"\u0b9c\u0b9e\u0b9f\u0ba3\u0ba4\u0ba8-\u0baa\u0bae-\u0bb9\u0bbe-\u0bc2\u0bc6-\u0bc8\u0bca-\u0bcd\u0bd0\u0bd7"
    r"\u0c00-\u0c0c\u0c0e-\u0c10\u0c12-\u0c28\u0c2a-\u0c39\u0c3c-\u0c44\u0c46-\u0c48\u0c4a-\u0c4d\u0c55\u0c56"
    r"\u0c58-\u0c5a\u0c5c\u0c5d\u0c60-\u0c63\u0c80-\u0c83\u0c85-\u0c8c\u0c8e-\u0c90\u0c92-\u0ca8\u0caa-\u0cb3"
    r"\u0cb5-\u0cb9\u0cbc-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccd\u0cd5\u0cd6\u0cdc-\u0cde\u0ce0-\u0ce3\u0cf1-\u0cf3"
    r"\u0d00-\u0d0c\u0d0e-\u0d10\u0d12-\u0d44\u0d46-\u0d48\u0d4a-\u0d4e\u0d54-\u0d57\u0d5f-\u0d63\u0d7a-\u0d7f"
    r"\u0d81-\u0d83\u0d85-\u0d96\u0d9a-\u0db1\u0db3-\u0dbb\u0dbd\u0dc0-\u0dc6\u0dca\u0dcf-\u0dd4\u0dd6\u0dd8-"
    r"\u0ddf\u0df2\u0df3\u0e01-\u0e3a\u0e40-\u0e4e\u0e81\u0e82\u0e84\u0e86-\u0e8a\u0e8c-\u0ea3\u0ea5\u0ea7-\u0ebd"
    r"\u0ec0-\u0ec4\u0ec6\u0ec8-\u0ece\u0edc-\u0edf\u0f00\u0f18\u0f19\u0f35\u0f37\u0f39\u0f3e-\u0f47\u0f49-\u0f6c"
    r"\u0f71-\u0f84\u0f86-\u0f97\u0f99-\u0fbc\u0fc6\u1000-\u103f\u1050-\u108f\u109a-\u109d\u10a0-\u10c5\u10c7"
    r"\u10cd\u10d0-\u10fa\u10fc-\u1248\u124a-\u124d\u1250-\u1256\u1258\u125a-\u125d\u1260-\u1288\u128a-\u128d"
    r"\u1290-\u12b0\u12b2-\u12b5\u12b8-\u12be\u12c0\u12c2-\u12c5\u12c8-\u12d6\u12d8-\u1310\u1312-\u1315\u1318-"
    r"\u135a\u135d-\u135f\u1380-\u138f\u13a0-\u13f5\u13f8-\u13fd\u1401-\u166c\u166f-\u167f\u1681-\u169a\u16a0-"
    r"\u16ea\u16f1-\u16f8\u1700-\u1715\u171f-\u1734\u1740-\u1753\u1760-\u176c\u176e-\u1770\u1772\u1773\u1780-"
    r"\u17d3\u17d7\u17dc\u17dd\u180b-\u180d\u180f\u1820-\u1878\u1880-\u18aa\u18b0-\u18f5\u1900-\u191e\u1920-\u192b"
    r"\u1930-\u193b\u1950-\u196d\u1970-\u1974\u1980-\u19ab\u19b0-\u19c9\u1a00-\u1a1b\u1a20-\u1a5e\u1a60-\u1a7c"
    r"\u1a7f\u1aa7\u1ab0-\u1af0\u1b00-\u1b4c\u1b6b-\u1b73\u1b80-\u1baf\u1bba-\u1bf3\u1c00-\u1c37\u1c4d-\u1c4f"
    r"\u1c5a-\u1c7d\u1c80-\u1c8a\u1c90-\u1cba\u1cbd-\u1cbf\u1cd0-\u1cd2\u1cd4-\u1cfa\u1d00-\u1f15\u1f18-\u1f1d"
    r"\u1f20-\u1f45\u1f48-\u1f4d\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe"
    r"\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2071\u207f"
    r"\u208f-\u209f\u20d0-\u20f0\u2102\u2107\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-"
    r"\u2139\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2ce4\u2ceb-\u2cf3\u2d00-\u2d25\u2d27\u2d2d\u2d30-"
    r"\u2d67\u2d6f\u2d7f-\u2d96\u2da0-\u2da6\u2da8-\u2dae\u2db0-\u2db6\u2db8-\u2dbe\u2dc0-\u2dc6\u2dc8-\u2dce"
    r"\u2dd0-\u2dd6\u2dd8-\u2dde\u2de0-\u2dff\u2e2f\u3005\u3006\u302a-\u302f\u3031-\u3035\u303b\u303c\u3041-\u3096"
    r"\u3099\u309a\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff"
    r"\u3400-\u4dbf\u4e00-\ua48c\ua4d0-\ua4fd\ua500-\ua60c\ua610-\ua61f\ua62a\ua62b\ua640-\ua672\ua674-\ua67d"
    r"\ua67f-\ua6e5\ua6f0\ua6f1\ua717-\ua71f\ua722-\ua788\ua78b-\ua7dd\ua7e2\ua7f1-\ua827\ua82c\ua840-\ua873"
    r"\ua880-\ua8c5\ua8e0-\ua8f7\ua8fb\ua8fd-\ua8ff\ua90a-\ua92d\ua930-\ua953\ua960-\ua97c\ua980-\ua9c0\ua9cf"
    r"\ua9e0-\ua9ef\ua9fa-\ua9fe\uaa00-\uaa36\uaa40-\uaa4d\uaa60-\uaa76\uaa7a-\uaac2\uaadb-\uaadd\uaae0-\uaaef"
    r"\uaaf2-\uaaf6\uab01-\uab06\uab09-\uab0e\uab11-\uab16\uab20-\uab26\uab28-\uab2e\uab30-\uab5a\uab5c-\uab69"
    r"\uab6c\uab6d\uab70-\uabea\uabec\uabed\uac00-\ud7a3\ud7b0-\ud7c6\ud7cb-\ud7fb\uf870-\uf87f\uf882\uf884-\uf89f"
    r"\uf8b8\uf8c1-\uf8d6\uf900-\ufa6d\ufa70-\ufad9\ufb00-\ufb06\ufb13-\ufb17\ufb1d-\ufb28\ufb2a-\ufb36\ufb38-"
    r"\ufb3c\ufb3e\ufb40\ufb41\ufb43\ufb44\ufb46-\ufbb1\ufbd3-\ufd3d\ufd50-\ufd8f\ufd92-\ufdc7\ufdf0-\ufdfb\ufe00-"
    r"\ufe0f\ufe20-\ufe2f\ufe70-\ufe74\ufe76-\ufefc\uff21-\uff3a\uff41-\uff5a\uff66-\uffbe\uffc2-\uffc7\uffca-"
    r"\uffcf\uffd2-\uffd7\uffda-\uffdc\U00010000-\U0001000b\U0001000d-\U00010026\U00010028-\U0001003a\U0001003c"
    r"\U0001003d\U0001003f-\U0001004d\U00010050-\U0001005d\U00010080-\U000100fa\U000101fd\U00010280-\U0001029c"
    r"\U000102a0-\U000102d0\U000102e0\U00010300-\U0001031f\U0001032d-\U00010340\U00010342-\U00010349\U00010350-"
    r"\U0001037a\U00010380-\U0001039d\U000103a0-\U000103c3\U000103c8-\U000103cf\U00010400-\U0001049d\U000104b0-"
    r"\U000104d3\U000104d8-\U000104fb\U00010500-\U00010527\U00010530-\U00010563\U00010570-\U0001057a\U0001057c-"
    r"\U0001058a\U0001058c-\U00010592\U00010594\U00010595\U00010597-\U000105a1\U000105a3-\U000105b1\U000105b3-"
    r"\U000105b9\U000105bb\U000105bc\U000105c0-\U000105f3\U00010600-\U00010736\U00010740-\U00010755\U00010760-"
    r"\U00010767\U00010780-\U00010785\U00010787-\U000107b0\U000107b2-\U000107bf\U00010800-\U00010805\U00010808"
    r"\U0001080a-\U00010835\U00010837\U00010838\U0001083c\U0001083f-\U00010855\U00010860-\U00010876\U00010880-"
    r"\U0001089e\U000108e0-\U000108f2\U000108f4\U000108f5\U00010900-\U00010915\U00010920-\U00010939\U00010940-"
    r"\U00010959\U00010980-\U000109b7\U000109be\U000109bf\U00010a00-\U00010a03\U00010a05\U00010a06\U00010a0c-"
    r"\U00010a13\U00010a15-\U00010a17\U00010a19-\U00010a35\U00010a38-\U00010a3a\U00010a3f\U00010a60-\U00010a7c"
    r"\U00010a80-\U00010a9c\U00010ac0-\U00010ac7\U00010ac9-\U00010ae6\U00010b00-\U00010b35\U00010b40-\U00010b55"
    r"\U00010b60-\U00010b72\U00010b80-\U00010b91\U00010c00-\U00010c48\U00010c80-\U00010cb2\U00010cc0-\U00010cf2"
    r"\U00010d00-\U00010d27\U00010d4a-\U00010d65\U00010d69-\U00010d6d\U00010d6f-\U00010d85\U00010e80-\U00010ea9"
    r"\U00010eab\U00010eac\U00010eb0\U00010eb1\U00010ec2-\U00010ec7\U00010ecb-\U00010ecf\U00010ed9-\U00010eee"
    r"\U00010ef0-\U00010f1c\U00010f27\U00010f30-\U00010f50\U00010f70-\U00010f85\U00010fb0-\U00010fc4\U00010fe0-"
    r"\U00010ff6\U00011000-\U00011046\U00011070-\U00011075\U0001107f-\U000110ba\U000110c2\U000110d0-\U000110e8"
    r"\U00011100-\U00011134\U00011144-\U00011147\U00011150-\U00011173\U00011176\U00011180-\U000111c4\U000111c9-"
    r"\U000111cc\U000111ce\U000111cf\U000111da\U000111dc\U00011200-\U00011211\U00011213-\U00011237\U0001123e-"
    r"\U00011241\U00011280-\U00011286\U00011288\U0001128a-\U0001128d\U0001128f-\U0001129d\U0001129f-\U000112a8"
    r"\U000112b0-\U000112ea\U00011300-\U00011303\U00011305-\U0001130c\U0001130f\U00011310\U00011313-\U00011328"
    r"\U0001132a-\U00011330\U00011332\U00011333\U00011335-\U00011339\U0001133b-\U00011344\U00011347\U00011348"
    r"\U0001134b-\U0001134d\U00011350\U00011357\U0001135d-\U00011363\U00011366-\U0001136c\U00011370-\U00011374"
    r"\U00011380-\U00011389\U0001138b\U0001138e\U00011390-\U000113b5\U000113b7-\U000113c0\U000113c2\U000113c5"
    r"\U000113c7-\U000113ca\U000113cc-\U000113d3\U000113e1\U000113e2\U00011400-\U0001144a\U0001145e-\U00011461"
    r"\U00011480-\U000114c5\U000114c7\U00011580-\U000115b5\U000115b8-\U000115c0\U000115d8-\U000115dd\U00011600-"
    r"\U00011640\U00011644\U00011680-\U000116b8\U00011700-\U0001171a\U0001171d-\U0001172b\U00011740-\U00011746"
    r"\U00011800-\U0001183a\U000118a0-\U000118df\U000118ff-\U00011906\U00011909\U0001190c-\U00011913\U00011915"
    r"\U00011916\U00011918-\U00011935\U00011937\U00011938\U0001193b-\U00011943\U000119a0-\U000119a7\U000119aa-"
    r"\U000119d7\U000119da-\U000119e1\U000119e3\U000119e4\U00011a00-\U00011a3e\U00011a47\U00011a50-\U00011a99"
    r"\U00011a9d\U00011ab0-\U00011af8\U00011b0a\U00011b60-\U00011b67\U00011bc0-\U00011be0\U00011c00-\U00011c08"
    r"\U00011c0a-\U00011c36\U00011c38-\U00011c40\U00011c72-\U00011c8f\U00011c92-\U00011ca7\U00011ca9-\U00011cb6"
    r"\U00011d00-\U00011d06\U00011d08\U00011d09\U00011d0b-\U00011d36\U00011d3a\U00011d3c\U00011d3d\U00011d3f-"
    r"\U00011d47\U00011d60-\U00011d65\U00011d67\U00011d68\U00011d6a-\U00011d8e\U00011d90\U00011d91\U00011d93-"
    r"\U00011d98\U00011db0-\U00011ddb\U00011df0\U00011df1\U00011ee0-\U00011ef6\U00011f00-\U00011f10\U00011f12-"
    r"\U00011f3a\U00011f3e-\U00011f42\U00011f5a\U00011fb0\U00012000-\U00012399\U00012480-\U00012543\U00012f90-"
    r"\U00012ff0\U00013000-\U0001342f\U00013440-\U00013455\U00013460-\U000143fa\U00014400-\U00014646\U00016100-"
    r"\U0001612f\U00016800-\U00016a38\U00016a40-\U00016a5e\U00016a70-\U00016abe\U00016ad0-\U00016aed\U00016af0-"
    r"\U00016af4\U00016b00-\U00016b36\U00016b40-\U00016b43\U00016b63-\U00016b77\U00016b7d-\U00016b8f\U00016d40-"
    r"\U00016d6c\U00016e40-\U00016e7f\U00016ea0-\U00016eb8\U00016ebb-\U00016ed3\U00016f00-\U00016f4a\U00016f4f-"
    r"\U00016f87\U00016f8f-\U00016f9f\U00016fe0\U00016fe1\U00016fe3\U00016fe4\U00016ff0-\U00016ff3\U00017000-"
    r"\U00018cda\U00018cff-\U00018d20\U00018d80-\U00018df2\U00018e00-\U00019191\U000191a0-\U000191d2\U0001aff0-"
    r"\U0001aff3\U0001aff5-\U0001affb\U0001affd\U0001affe\U0001b000-\U0001b128\U0001b132\U0001b150-\U0001b152"
    r"\U0001b155\U0001b164-\U0001b168\U0001b170-\U0001b2fb\U0001bc00-\U0001bc6a\U0001bc70-\U0001bc7c\U0001bc80-"
    r"\U0001bc88\U0001bc90-\U0001bc99\U0001bc9d\U0001bc9e\U0001cf00-\U0001cf2d\U0001cf30-\U0001cf46\U0001d127"
    r"\U0001d128\U0001d165-\U0001d169\U0001d16d-\U0001d172\U0001d17b-\U0001d182\U0001d185-\U0001d18b\U0001d1aa-"
    r"\U0001d1ad\U0001d242-\U0001d244\U0001d250-\U0001d252\U0001d25b\U0001d25c\U0001d25f\U0001d280\U0001d281"
    r"\U0001d400-\U0001d454\U0001d456-\U0001d49c\U0001d49e\U0001d49f\U0001d4a2\U0001d4a5\U0001d4a6\U0001d4a9-"
    r"\U0001d4ac\U0001d4ae-\U0001d4b9\U0001d4bb\U0001d4bd-\U0001d4c3\U0001d4c5-\U0001d505\U0001d507-\U0001d50a"
    r"\U0001d50d-\U0001d514\U0001d516-\U0001d51c\U0001d51e-\U0001d539\U0001d53b-\U0001d53e\U0001d540-\U0001d544"
    r"\U0001d546\U0001d54a-\U0001d550\U0001d552-\U0001d6a6\U0001d6a8-\U0001d6c0\U0001d6c2-\U0001d6da\U0001d6dc-"
    r"\U0001d6fa\U0001d6fc-\U0001d714\U0001d716-\U0001d734\U0001d736-\U0001d74e\U0001d750-\U0001d76e\U0001d770-"
    r"\U0001d788\U0001d78a-\U0001d7a8\U0001d7aa-\U0001d7c2\U0001d7c4-\U0001d7cb\U0001da00-\U0001da36\U0001da3b-"
    r"\U0001da6c\U0001da75\U0001da84\U0001da9b-\U0001da9f\U0001daa1-\U0001daaf\U0001df00-\U0001df81\U0001df90-"
    r"\U0001df96\U0001dfcd-\U0001e006\U0001e008-\U0001e018\U0001e01b-\U0001e021\U0001e023\U0001e024\U0001e026-"
    r"\U0001e02a\U0001e030-\U0001e06d\U0001e08f\U0001e100-\U0001e12c\U0001e130-\U0001e13d\U0001e14e\U0001e290-"
    r"\U0001e2ae\U0001e2c0-\U0001e2ef\U0001e4d0-\U0001e4ef\U0001e5d0-\U0001e5f0\U0001e6c0-\U0001e6de\U0001e6e0-"
    r"\U0001e6f5\U0001e6fe\U0001e6ff\U0001e7e0-\U0001e7e6\U0001e7e8-\U0001e7eb\U0001e7ed\U0001e7ee\U0001e7f0-"
    r"\U0001e7fe\U0001e800-\U0001e8c4\U0001e8d0-\U0001e8d6\U0001e900-\U0001e94b\U0001ee00-\U0001ee03\U0001ee05-"
    r"\U0001ee1f\U0001ee21\U0001ee22\U0001ee24\U0001ee27\U0001ee29-\U0001ee32\U0001ee34-\U0001ee37\U0001ee39"
    r"\U0001ee3b\U0001ee42\U0001ee47\U0001ee49\U0001ee4b\U0001ee4d-\U0001ee4f\U0001ee51\U0001ee52\U0001ee54"
    r"\U0001ee57\U0001ee59\U0001ee5b\U0001ee5d\U0001ee5f\U0001ee61\U0001ee62\U0001ee64\U0001ee67-\U0001ee6a"
    r"\U0001ee6c-\U0001ee72\U0001ee74-\U0001ee77\U0001ee79-\U0001ee7c\U0001ee7e\U0001ee80-\U0001ee89\U0001ee8b-"
    r"\U0001ee9b\U0001eea1-\U0001eea3\U0001eea5-\U0001eea9\U0001eeab-\U0001eebb\U00020000-\U0002a6df\U0002a700-"
    r"\U0002b81e\U0002b820-\U0002cead\U0002ceb0-\U0002ebe0\U0002ebf0-\U0002ee5d\U0002f800-\U0002fa1d\U00030000-"
    r"\U0003134a\U00031350-\U00033479\U0003d000-\U0003fc3f\U000e0100-\U000e01ef"
)

_NUMERALS = (
    r"\u0030-\u0039\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef"
    r"\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9"
    r"\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89"
    r"\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909"
    r"\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39"
    r"\U00010d40-\U00010d49\U00011066-\U0001106f\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9"
    r"\U000112f0-\U000112f9\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9"
    r"\U000116d0-\U000116e3\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959\U00011bf0-\U00011bf9"
    r"\U00011c50-\U00011c59\U00011d50-\U00011d59\U00011da0-\U00011da9\U00011de0-\U00011de9\U00011f50-\U00011f59"
    r"\U00016130-\U00016139\U00016a60-\U00016a69\U00016ac0-\U00016ac9\U00016b50-\U00016b59\U00016d70-\U00016d79"
    r"\U0001ccf0-\U0001ccf9\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9\U0001e4f0-\U0001e4f9"
    r"\U0001e5f1-\U0001e5fa\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9"
)

_SEPARATORS = (
    r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)

_EMOJI_BASE = (
    r"\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-"
    r"\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u2604\u260e\u2611\u2614\u2615\u2618\u261d\u2620"
    r"\u2622\u2623\u2626\u262a\u262e\u262f\u2638-\u263a\u2640\u2642\u2648-\u2653\u265f\u2660\u2663\u2665\u2666"
    r"\u2668\u267b\u267e\u267f\u2692-\u2697\u2699\u269b\u269c\u26a0\u26a1\u26a7\u26aa\u26ab\u26b0\u26b1\u26bd"
    r"\u26be\u26c4\u26c5\u26c8\u26ce\u26cf\u26d1\u26d3\u26d4\u26e9\u26ea\u26f0-\u26f5\u26f7-\u26fa\u26fd\u2702"
    r"\u2705\u2708-\u270d\u270f\u2712\u2714\u2716\u271d\u2721\u2728\u2733\u2734\u2744\u2747\u274c\u274e\u2753-"
    r"\u2755\u2757\u2763\u2764\u2795-\u2797\u27a1\u27b0\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55"
    r"\u3030\u303d\u3297\u3299\U0001f004\U0001f02c-\U0001f02f\U0001f094-\U0001f09f\U0001f0af\U0001f0b0\U0001f0c0"
    r"\U0001f0cf\U0001f0d0\U0001f0f6-\U0001f0ff\U0001f170\U0001f171\U0001f17e\U0001f17f\U0001f18e\U0001f191-"
    r"\U0001f19a\U0001f1af-\U0001f1e5\U0001f201-\U0001f20f\U0001f21a\U0001f22f\U0001f232-\U0001f23a\U0001f23c-"
    r"\U0001f23f\U0001f249-\U0001f25f\U0001f266-\U0001f321\U0001f324-\U0001f393\U0001f396\U0001f397\U0001f399-"
    r"\U0001f39b\U0001f39e-\U0001f3f0\U0001f3f3-\U0001f3f5\U0001f3f7-\U0001f4fd\U0001f4ff-\U0001f53d\U0001f549-"
    r"\U0001f54e\U0001f550-\U0001f567\U0001f56f\U0001f570\U0001f573-\U0001f57a\U0001f587\U0001f58a-\U0001f58d"
    r"\U0001f590\U0001f595\U0001f596\U0001f5a4\U0001f5a5\U0001f5a8\U0001f5b1\U0001f5b2\U0001f5bc\U0001f5c2-"
    r"\U0001f5c4\U0001f5d1-\U0001f5d3\U0001f5dc-\U0001f5de\U0001f5e1\U0001f5e3\U0001f5e8\U0001f5ef\U0001f5f3"
    r"\U0001f5fa-\U0001f64f\U0001f680-\U0001f6c5\U0001f6cb-\U0001f6d2\U0001f6d5-\U0001f6e5\U0001f6e9\U0001f6eb-"
    r"\U0001f6f0\U0001f6f3-\U0001f6ff\U0001f7dc-\U0001f7f0\U0001f80c-\U0001f80f\U0001f848-\U0001f84f\U0001f85a-"
    r"\U0001f85f\U0001f888-\U0001f88f\U0001f8ae\U0001f8af\U0001f8bc-\U0001f8bf\U0001f8c2-\U0001f8cf\U0001f8d9-"
    r"\U0001f8ff\U0001f90c-\U0001f93a\U0001f93c-\U0001f945\U0001f947-\U0001f9ff\U0001fa58-\U0001fa5f\U0001fa6e-"
    r"\U0001faff\U0001fc00-\U0001fffd"
)

_EMOJI_BARE = (
    r"\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2600-\u2604\u260e\u2611\u2614\u2615\u2618\u261d\u2620"
    r"\u2622\u2623\u2626\u262a\u262e\u262f\u2638-\u263a\u2640\u2642\u2648-\u2653\u265f\u2660\u2663\u2665\u2666"
    r"\u2668\u267b\u267e\u267f\u2692-\u2697\u2699\u269b\u269c\u26a0\u26a1\u26a7\u26aa\u26ab\u26b0\u26b1\u26bd"
    r"\u26be\u26c4\u26c5\u26c8\u26ce\u26cf\u26d1\u26d3\u26d4\u26e9\u26ea\u26f0-\u26f5\u26f7-\u26fa\u26fd\u2702"
    r"\u2705\u2708-\u270d\u270f\u2712\u2714\u2716\u271d\u2721\u2728\u2733\u2734\u2744\u2747\u274c\u274e\u2753-"
    r"\u2755\u2757\u2763\u2764\u2795-\u2797\u27a1\u27b0\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55"
    r"\u3030\u303d\u3297\u3299\U0001f004\U0001f0cf\U0001f170\U0001f171\U0001f17e\U0001f17f\U0001f18e\U0001f191-"
    r"\U0001f19a\U0001f201\U0001f202\U0001f21a\U0001f22f\U0001f232-\U0001f23a\U0001f250\U0001f251\U0001f300-"
    r"\U0001f321\U0001f324-\U0001f393\U0001f396\U0001f397\U0001f399-\U0001f39b\U0001f39e-\U0001f3f0\U0001f3f3-"
    r"\U0001f3f5\U0001f3f7-\U0001f4fd\U0001f4ff-\U0001f53d\U0001f549-\U0001f54e\U0001f550-\U0001f567\U0001f56f"
    r"\U0001f570\U0001f573-\U0001f57a\U0001f587\U0001f58a-\U0001f58d\U0001f590\U0001f595\U0001f596\U0001f5a4"
    r"\U0001f5a5\U0001f5a8\U0001f5b1\U0001f5b2\U0001f5bc\U0001f5c2-\U0001f5c4\U0001f5d1-\U0001f5d3\U0001f5dc-"
    r"\U0001f5de\U0001f5e1\U0001f5e3\U0001f5e8\U0001f5ef\U0001f5f3\U0001f5fa-\U0001f64f\U0001f680-\U0001f6c5"
    r"\U0001f6cb-\U0001f6d2\U0001f6d5-\U0001f6d9\U0001f6dc-\U0001f6e5\U0001f6e9\U0001f6eb\U0001f6ec\U0001f6f0"
    r"\U0001f6f3-\U0001f6fc\U0001f7e0-\U0001f7eb\U0001f7f0\U0001f90c-\U0001f93a\U0001f93c-\U0001f945\U0001f947-"
    r"\U0001f9ff\U0001fa70-\U0001fa7c\U0001fa80-\U0001fac6\U0001fac8\U0001facc-\U0001fadd\U0001fadf-\U0001faeb"
    r"\U0001faef-\U0001fafa"
)


# --- Building blocks (Regex.java) -------------------------------------------------------------------

_F = re.IGNORECASE | re.ASCII

_INVALID_CHARS = r"\ufffe\ufeff\uffff"
_DIRECTIONAL = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNICODE_SPACES = r"[\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_JAVA_SPACE = r" \t\n\x0b\f\r"  # Java's \s without UNICODE_CHARACTER_CLASS
_JAVA_PUNCT = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # Java's \p{Punct}
_LATIN_ACCENTS = (r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f"
                  r"\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb"
                  r"\u0300-\u036f\u1e00-\u1eff")
_CYRILLIC = r"\u0400-\u04ff"
_AT_SIGNS = "@\uff20"

_HASHTAG_SPECIAL = r"_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
_HASHTAG_LETTERS_NUMERALS = _LETTERS_AND_MARKS + _NUMERALS + _HASHTAG_SPECIAL
_HASHTAG_LETTERS_SET = "[" + _LETTERS_AND_MARKS + "]"
_HASHTAG_LETTERS_NUMERALS_SET = "[" + _HASHTAG_LETTERS_NUMERALS + "]"


def _alternation(words: str) -> str:
    """A regex matching exactly the given words, as a trie (longer words are tried before their prefixes)."""
    trie: dict = {}
    for word in words.split():
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        inner = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return (inner if len(alts) > 1 or len(alts[0]) == 1 else "(?:" + inner + ")") + "?"
        return inner

    return emit(trie)


_URL_VALID_GTLD = "(?:(?:" + _alternation(_GTLDS) + r")(?=[^a-z0-9@+\-]|$))"
_URL_VALID_CCTLD = "(?:(?:" + _alternation(_CCTLDS) + r")(?=[^a-z0-9@+\-]|$))"

_URL_VALID_PRECEDING_CHARS = "(?:[^a-z0-9@\uff20$#\uff03" + _INVALID_CHARS + "]|[" + _DIRECTIONAL + "]|^)"
_URL_VALID_CHARS_BODY = "a-z0-9" + _LATIN_ACCENTS
_URL_VALID_CHARS = "[" + _URL_VALID_CHARS_BODY + "]"
_URL_VALID_SUBDOMAIN = ("(?>(?:" + _URL_VALID_CHARS + "[" + _URL_VALID_CHARS_BODY + r"\-_]*)?"
                        + _URL_VALID_CHARS + r"\.)")
_URL_VALID_DOMAIN_NAME = ("(?:(?:" + _URL_VALID_CHARS + "[" + _URL_VALID_CHARS_BODY + r"\-]*)?"
                          + _URL_VALID_CHARS + r"\.)")
# Any character but ASCII punctuation, Java's \s, \p{Z} and the General Punctuation block (U+2000-206F).
_URL_PUNCT = "_!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~"  # PUNCTUATION_CHARS less '-'
_URL_UNICODE_EXCLUDED = re.escape(_URL_PUNCT) + _JAVA_SPACE + _SEPARATORS + r"\u2000-\u206f"
_URL_VALID_UNICODE_CHARS = r"[^\-" + _URL_UNICODE_EXCLUDED + "]"
_URL_VALID_UNICODE_CHARS_OR_DASH = "[^" + _URL_UNICODE_EXCLUDED + "]"
_URL_VALID_UNICODE_DOMAIN_NAME = ("(?:(?:" + _URL_VALID_UNICODE_CHARS + _URL_VALID_UNICODE_CHARS_OR_DASH + "*)?"
                                  + _URL_VALID_UNICODE_CHARS + r"\.)")
_URL_PUNYCODE = r"(?:xn--[\-0-9a-z]+)"
_URL_VALID_DOMAIN = (
    "(?:" + _URL_VALID_SUBDOMAIN + "*" + _URL_VALID_DOMAIN_NAME
    + "(?:" + _URL_VALID_GTLD + "|" + _URL_VALID_CCTLD + "|" + _URL_PUNYCODE + "))"
    + "|(?:(?:(?<=http://)|(?<=https://))(?:"
    + "(?:" + _URL_VALID_DOMAIN_NAME + _URL_VALID_CCTLD + ")"
    + "|(?:" + _URL_VALID_UNICODE_DOMAIN_NAME + "(?:" + _URL_VALID_GTLD + "|" + _URL_VALID_CCTLD + "))"
    + "))"
    + "|(?:" + _URL_VALID_DOMAIN_NAME + _URL_VALID_CCTLD + "(?=/))"
)
_URL_VALID_PORT_NUMBER = "[0-9]++"
_URL_VALID_GENERAL_PATH_CHARS = r"[a-z0-9!*';:=+,.$/%#\[\]\-\u2013_~|&@" + _LATIN_ACCENTS + _CYRILLIC + "]"
_G = _URL_VALID_GENERAL_PATH_CHARS
_URL_BALANCED_PARENS = r"\((?:" + _G + "+|(?:" + _G + r"*\(" + _G + r"+\)" + _G + r"*))\)"
# Spliced in unbracketed, as in Java: its '|' splits the enclosing group (a path may be parens alone).
_URL_VALID_PATH_ENDING_CHARS = r"[a-z0-9=_#/\-+" + _LATIN_ACCENTS + _CYRILLIC + "]|(?:" + _URL_BALANCED_PARENS + ")"
_URL_VALID_PATH = ("(?:(?:" + _G + "*(?:" + _URL_BALANCED_PARENS + _G + "*)*" + _URL_VALID_PATH_ENDING_CHARS + ")"
                   + "|(?:@" + _G + "+/))")
_URL_VALID_QUERY_CHARS = r"[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@]"
_URL_VALID_QUERY_ENDING_CHARS = r"[a-z0-9\-_&=#/]"

_VALID_URL = re.compile(
    "(" + _URL_VALID_PRECEDING_CHARS + ")"  # 1 the character before (consumed)
    + "("  # 2 the URL
    + "(https?://)?"  # 3 protocol
    + "(" + _URL_VALID_DOMAIN + ")"  # 4 domain
    + "(?::(" + _URL_VALID_PORT_NUMBER + "))?"  # 5 port
    + "(/" + _URL_VALID_PATH + "*+)?"  # 6 path
    + r"(\?" + _URL_VALID_QUERY_CHARS + "*" + _URL_VALID_QUERY_ENDING_CHARS + ")?"  # 7 query
    + ")", _F)
_VALID_TCO_URL = re.compile(
    r"https?://t\.co/([a-z0-9]+)(?:\?" + _URL_VALID_QUERY_CHARS + "*" + _URL_VALID_QUERY_ENDING_CHARS + ")?", _F)

_VALID_HASHTAG = re.compile(
    r"(?:^|\ufe0e|\ufe0f|[^&" + _HASHTAG_LETTERS_NUMERALS + "])"
    + r"([#\uff03])(?![\ufe0f\u20e3])"
    + "(" + _HASHTAG_LETTERS_NUMERALS_SET + "*" + _HASHTAG_LETTERS_SET + _HASHTAG_LETTERS_NUMERALS_SET + "*)", _F)
_INVALID_HASHTAG_MATCH_END = re.compile(r"[#\uff03]|://")

_VALID_MENTION_OR_LIST = re.compile(
    "(?:[^a-z0-9_!#$%&*" + _AT_SIGNS + "]|^|(?:^|[^a-z0-9_+~.\\-])RT:?)"
    + "([" + _AT_SIGNS + "]+)([a-z0-9_]{1,20})(/[a-z][a-z0-9_\\-]{0,24})?", _F)
_INVALID_MENTION_MATCH_END = re.compile("[" + _AT_SIGNS + _LATIN_ACCENTS + "]|://")
_VALID_REPLY = re.compile(
    "(?:" + _UNICODE_SPACES + "|[" + _DIRECTIONAL + "])*[" + _AT_SIGNS + "]([a-z0-9_]{1,20})", _F)

_VALID_CASHTAG = re.compile(
    "(?:^|" + _UNICODE_SPACES + "|[" + _DIRECTIONAL + r"])(\$)([a-z]{1,6}(?:[._][a-z]{1,2})?)"
    + "(?=$|[" + _JAVA_SPACE + _JAVA_PUNCT + "])", _F)

_MAX_URL_LENGTH = 4096  # what Twitter's backend accepts
_MAX_TCO_SLUG_LENGTH = 40
_PROTOCOL_LENGTH = len("https://")  # added to a URL written without one


# --- Extraction (Extractor.java) --------------------------------------------------------------------

def _valid_host_and_length(url_length: int, protocol: str | None, host: str) -> bool:
    """The host converts to ASCII by IDNA (RFC 3490: labels of 1-63, no ACE prefix on a Unicode label),
    and the URL, host punycoded and protocol added if missing, is at most 4096 characters."""
    if not host:
        return False
    try:
        ascii_host = host.encode("idna")
    except (UnicodeError, ValueError):
        return False
    if not ascii_host:
        return False
    length = url_length + len(ascii_host) - len(host) + (0 if protocol else _PROTOCOL_LENGTH)
    return length <= _MAX_URL_LENGTH


def url_entities(text: str) -> list[Entity]:
    """URLs, with and without protocol, in order (twitter-text's extractURLsWithIndices)."""
    if not text or "." not in text:
        return []
    out = []
    for m in _VALID_URL.finditer(text):
        protocol = m.group(3)
        if not protocol and m.group(1) in ("-", "_", ".", "/"):
            continue
        url = m.group(2)
        start, end = m.span(2)
        tco = _VALID_TCO_URL.match(url)
        if tco:
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url = tco.group(0)
            end = start + len(url)
        if _valid_host_and_length(len(url), protocol, m.group(4)):
            out.append(Entity("url", url, start, end))
    return out


def _remove_overlapping(entities: list[Entity]) -> list[Entity]:
    """Sorted by start (stably); an entity starting inside the one kept before it is dropped."""
    kept: list[Entity] = []
    for e in sorted(entities, key=lambda e: e.start):
        if kept and kept[-1].end > e.start:
            continue
        kept.append(e)
    return kept


def _hashtags(text: str, check_url_overlap: bool) -> list[Entity]:
    if not text or ("#" not in text and "\uff03" not in text):
        return []
    tags = [Entity("hashtag", m.group(2), m.start(1), m.end(2))
            for m in _VALID_HASHTAG.finditer(text) if not _INVALID_HASHTAG_MATCH_END.match(text, m.end())]
    if check_url_overlap and tags:
        urls = url_entities(text)
        if urls:
            tags = [e for e in _remove_overlapping(tags + urls) if e.kind == "hashtag"]
    return tags


def hashtag_entities(text: str) -> list[Entity]:
    """Hashtags, leaving out those inside a URL (extractHashtagsWithIndices)."""
    return _hashtags(text, True)


def mention_entities(text: str) -> list[Entity]:
    """@mentions (kind "mention") and @user/lists (kind "list") in order (extractMentionsOrListsWithIndices).
    Each starts at its (last) at sign."""
    if not text or ("@" not in text and "\uff20" not in text):
        return []
    out = []
    for m in _VALID_MENTION_OR_LIST.finditer(text):
        if _INVALID_MENTION_MATCH_END.match(text, m.end()):
            continue
        slug = m.group(3)
        if slug is None:
            out.append(Entity("mention", m.group(2), m.start(2) - 1, m.end(2)))
        else:
            out.append(Entity("list", m.group(2), m.start(2) - 1, m.end(3), slug))
    return out


def cashtag_entities(text: str) -> list[Entity]:
    """$cashtags (extractCashtagsWithIndices)."""
    if not text or "$" not in text:
        return []
    return [Entity("cashtag", m.group(2), m.start(1), m.end(2)) for m in _VALID_CASHTAG.finditer(text)]


def extract_entities(text: str) -> list[Entity]:
    """Every URL, hashtag, mention, list and cashtag in order of position; where two overlap, the one
    starting first is kept (a URL over a hashtag in its fragment), as twitter-text's
    extractEntitiesWithIndices does."""
    if not text:
        return []
    return _remove_overlapping(url_entities(text) + _hashtags(text, False) + mention_entities(text)
                               + cashtag_entities(text))


def extract_hashtags(text: str) -> list[str]:
    """The hashtags, without their sign ("#fåglar" gives "fåglar")."""
    return [e.text for e in hashtag_entities(text)]


def extract_mentions(text: str) -> list[str]:
    """The screen names mentioned, without "@"; an @user/list is a list, not a mention (as in twitter-text)."""
    return [e.text for e in mention_entities(text) if e.kind == "mention"]


def extract_urls(text: str) -> list[str]:
    """The URLs as written."""
    return [e.text for e in url_entities(text)]


def extract_cashtags(text: str) -> list[str]:
    """The cashtags, without "$"."""
    return [e.text for e in cashtag_entities(text)]


def extract_reply(text: str) -> str | None:
    """The screen name a post replies to: an @mention opening it (after spaces at most), else None."""
    if not text:
        return None
    m = _VALID_REPLY.match(text)
    if m is None or _INVALID_MENTION_MATCH_END.match(text, m.end()):
        return None
    return m.group(1)


_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*://", re.IGNORECASE | re.ASCII)


def url_domain(url: str) -> str | None:
    """The host of a URL (with or without protocol), without port and a leading "www.", in one form
    however it was written: lower-case, and an international name in Unicode whether written so or in
    punycode (IDNA 2003, as the extractor's check). None when there is none.
    ``url_domain("https://WWW.Example.com:8080/a")`` is "example.com"; ``url_domain("xn--rksmrgs-5wao1o.se")``
    and ``url_domain("http://RÄKSMÖRGÅS.se")`` are both "räksmörgås.se"."""
    if not url or not isinstance(url, str):
        return None
    s = url.strip()
    if not _SCHEME.match(s):
        s = "//" + s
    try:
        host = urlsplit(s).hostname
    except ValueError:
        return None
    host = (host or "").rstrip(".")
    if not host:
        return None
    try:
        host = host.encode("idna").decode("idna").lower()
    except (UnicodeError, ValueError):
        pass  # not a name IDNA takes (an IPv6 address, say): as written, lower-cased
    if host.startswith("www."):
        host = host[4:]
    return host or None


# --- Emoji --------------------------------------------------------------------------------------------

_EMOJI_ELEMENT = ("[" + _EMOJI_BASE + r"](?:[\U0001f3fb-\U0001f3ff]|\ufe0f)*"
                  + r"(?:[\U000e0020-\U000e007e]+\U000e007f)?")
_EMOJI = re.compile(
    r"[0-9#*]\ufe0f?\u20e3"  # keycap
    + r"|[\U0001f1e6-\U0001f1ff]{2}"  # flag
    + "|" + _EMOJI_ELEMENT + r"(?:\u200d" + _EMOJI_ELEMENT + ")*")
_EMOJI_BARE_CHAR = re.compile("[" + _EMOJI_BARE + "]")


def extract_emoji(text: str) -> list[str]:
    """The emoji in order, each a whole cluster: ``"Bra 👍🏽 🇸🇪"`` gives ``["👍🏽", "🇸🇪"]``."""
    if not text or text.isascii():
        return []
    out = []
    for m in _EMOJI.finditer(text):
        e = m.group()
        if len(e) == 1 and (not _EMOJI_BARE_CHAR.match(e) or text.startswith("\ufe0e", m.end())):
            continue
        out.append(e)
    return out
