"""Family names drawn as often as they are in a real town.

The names file lists each heritage's common family names (Barraclough,
Greenwood, Khan, Hussain, Kowalski...). Drawn uniformly from those lists
alone, a town of 2,600 people had 125 family names, and 55% of its people
shared their full name with someone else. A real town has hundreds of family
names among that many people. In England and Wales the commonest family name
(Smith) is about 1% of people and the top 500 are about 45%, so two people
sharing a full name by chance is rare (a few in a hundred people of a town's
records, not one in two).

Here a heritage's listed names come first, in the file's order, followed by
a long tail of made-up names. English family names are built from the
place-name stems and endings of northern England: Ackroyd, Barraclough,
Sutcliffe and so on, about 60,000 in all. Polish names come from Polish
stems and endings, and Irish names from O', Mc and Mac before Irish stems.
The tail is shuffled into a fixed order, so every seed's town is the same
across runs. Names are drawn with Zipf-Mandelbrot weights, 1 / (r + q) for
the name of rank r.

Heritages with a short list of very common family names (Khan, Hussain,
Ahmed) keep that shape: a steep curve (q = 2) over the listed names, then the
heritage's male given names, which are often family names too (Iqbal,
Rashid). Caribbean families share the English tail after their own list.

The resolution benchmark (``benchmarks/bench_resolve.py``) draws its English,
Polish and Irish family names from the same stems.
"""

from __future__ import annotations

import bisect
import itertools
import random
from functools import cache

from lantern.sim.vocab import Name, Origin, origins

# With q = 10 over the English pool (~60,000 names), the commonest family name
# is about 1% of people and the top 500 about 45%, as in England and Wales.
FAMILY_Q = 10.0
# Smaller heritages have few, very common family names (Khan, Hussain, Ahmed).
SMALL_FAMILY_Q = 2.0


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# English place-name stems and endings, with a linking syllable for more.
STEMS = _words(
    "ack ains al ap ash ath bad bag bar bark barn bed bel bent berk bick bil bing birk "
    "black blen bot brad bram bran brig brom brook bur butter cal cars chad chap chat "
    "chel clay cliff cock cold cot cow crag cran crick crook cud dal dan dar den dew "
    "dun ear east eccle edge ell elm fair far fen fern fin ford fox gar gaw glen gold "
    "good gos grim hack hal ham har hat haw hay heath hep her hey hinch hol holt horn "
    "hud hunt ick ing kay ken kil kirk knot lam lang lath lea lin lind lister lock long "
    "low lyn mal man mar mead mer mid mill mor moss nab nether new nor north oak old ot "
    "ox pad par pen pick pil pot pres quar rad ram rav red rish rock rom ros roth rud "
    "sal sand scar shack shel ship sil skel slat sow stan stain stap stock ston sud sut "
    "swin tad tan thorn thur tod tor town wad wal war wath wel west wet whit wig wild "
    "win wolf wor wrag yeat"
)
LINKS = ("", "e", "in", "er", "en", "ing", "s")
ENDS = _words(
    "by den dale field ford ham hurst ley ton well wood worth shaw royd cliffe thorpe "
    "stone croft more land wick sley ridge bridge combe stead hall house man er ey ell "
    "ett ins son ock all ard ington bury borough cott low mere over side wright ey"
)
# Polish stems and endings (Kowalski, Krawczyk, Nowakowski).
POLISH_STEMS = _words(
    "kowal nowak wisn wojc kaczm mazur krawc zielin szyman wozn dabrow kozl jankow "
    "kwiatk krzyz kaczor piotr grabow nowick pawlow michal adam dud zaj wiecz jablon "
    "krol majew olszew jawor wrobl malin pawl witk walcz stepn gor rutk sikor ostrow "
    "baran szewc tomasz pietrz marcin zalew jakub jasin zawadz sadow bak chmiel wlodar"
)
POLISH_ENDS = ("ski", "ska", "czyk", "ak", "ek", "iak", "owicz", "ewski", "owski", "ik")
# Irish: O', Mc and Mac before stems (O'Donnell, McCarthy).
IRISH_STEMS = _words(
    "donnell carthy brien neill connor sullivan mahon keefe reilly gorman hara leary "
    "dowd shea grady loughlin callaghan kenna guinness dermott namara cormack manus "
    "ginley garry cann kenzie laughlin nally cabe crory fadden gowan"
)
_IRISH_PREFIXES = {"o": "O'", "mc": "Mc", "mac": "Mac"}


def made_up(code: str) -> list[str]:
    """The made-up family names of a heritage, written as in a record
    ("Ashworth", "O'Donnell"), in no particular order; none for heritages
    whose tail is their given names."""
    if code == "english":
        return [(a + b + c).capitalize() for a in STEMS for b in LINKS for c in ENDS]
    if code in ("polish", "slovak-roma"):
        return [(a + b).capitalize() for a in POLISH_STEMS for b in POLISH_ENDS]
    if code == "irish":
        made = [w + s.capitalize() for w in _IRISH_PREFIXES.values() for s in IRISH_STEMS]
        return made + [(a + c).capitalize() for a in STEMS for c in ("an", "ey", "in", "y")]
    return []


def zipf_cum(n: int, q: float, s: float = 1.0) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights of ranks 1..n."""
    return list(itertools.accumulate(1.0 / (r + q) ** s for r in range(1, n + 1)))


def draw(rng: random.Random, pool: tuple[tuple[Name, ...], list[float]]) -> Name:
    """One name from a pool, by its weight."""
    names, cum = pool
    return names[bisect.bisect(cum, rng.random() * cum[-1])]


@cache
def pool(code: str) -> tuple[tuple[Name, ...], list[float]]:
    """A heritage's family names, commonest first, with cumulative weights."""
    origin = _origin(code)
    head = list(origin.surnames)
    if code == "caribbean":
        english = pool("english")[0]
        tail = [n for n in english if n.name not in {h.name for h in head}]
        names = head + tail
        return tuple(names), zipf_cum(len(names), FAMILY_Q)
    made = made_up(code) or [n.name for n in origin.male]
    known = {n.name.lower() for n in head}
    fresh = sorted({m for m in made if m.lower() not in known})
    random.Random(0).shuffle(fresh)
    names = head + [Name(m) for m in fresh]
    q = FAMILY_Q if len(names) > 5000 else SMALL_FAMILY_Q
    return tuple(names), zipf_cum(len(names), q)


def _origin(code: str) -> Origin:
    return next(o for o in origins() if o.code == code)
