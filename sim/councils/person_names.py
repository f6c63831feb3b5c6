"""Words that name a person: common given names and surnames in England, and titles.

A staff list must carry no one's name (docs/roster.md), but a name can hide in a free-text
cell: a team called after its manager ("Sarah's team", "Team Patel"), a post id made from
initials and a surname. No list finds every name; this one catches the common ones, which
is what a planner pasting from a spreadsheet is likely to let through. Words that are also
ordinary words a team might be called by (colours, places, virtues: Green, Hill, Grace, Hope,
Foster, Mark, Will) are left out, so that "Green team" or "Fostering" pass.

Sources: the most frequent given names registered in England and Wales (ONS baby names,
1950s to 2020s) and the most frequent surnames in Great Britain, cut as above.
"""

from __future__ import annotations


def _listed(words: str) -> frozenset[str]:
    """Lower-case words separated by white space, as a set."""
    return frozenset(words.split())


GIVEN_NAMES = _listed(
    """
    aaliyah aaron abdul abigail adam adrian ahmed aisha alan albert alex alexander alexandra
    alfie alice alison amanda amelia amir amira amy andrea andrew angela ann anna anne
    anthony archie arthur ashley aya ayesha barbara barry ben benjamin beverley brian
    callum carl carol caroline catherine charles charlie charlotte chloe chris christine
    christopher claire colin connor craig daniel danielle darren david debbie deborah
    denise diane donna dylan edward eleanor elijah elizabeth ella ellie elliot elliott emily
    emma eric ethan evie fatima fiona florence freddie freya gary gemma george georgia
    gillian graham hannah harry harvey helen henry ibrahim imran isaac isabella isabelle
    isla jack jacob jacqueline james jamie jane janet jasmine jason jayden jennifer jenny
    jessica joanne john jonathan joseph joshua julie justin karen kate katie keith kelly
    kevin kieran kirsty laura lauren leah lewis liam linda lisa louis louise lucas
    lucy luke maria mariam martin mary maryam matilda matthew megan melanie michael
    michelle millie mohamed mohammad mohammed muhammad nathan natalie neil nicholas nicola
    nigel noah oliver olivia oscar patricia paul pauline peter philip phoebe poppy priya
    rachel rebecca richard robert ryan samantha samuel sandra sara sarah scarlett
    sharon simon sophia sophie stephen steven stuart susan teresa theo thomas timothy
    tracey tracy trevor tyler victoria wendy william yasmin yusuf zara zoe
    """
)

SURNAMES = _listed(
    """
    adams ahmed ali allen anderson begum bennett campbell clark clarke collins davies davis
    dixon edwards ellis evans griffiths harris harrison hughes hussain jackson jenkins
    johnson jones kaur kelly khan lewis lloyd matthews miller mitchell morgan morris murphy
    murray nguyen patel phillips powell rahman richards richardson roberts robinson rogers
    russell scott shah sharma simpson singh smith stevens taylor thompson walker watson
    wilkinson williams wilson wright
    """
)

TITLES = _listed("mr mrs ms miss mx dr prof sir dame")
