"""References the export tests run on: the bundled knowledge base's, and tricky synthetic ones."""

from __future__ import annotations

from functools import cache

from rmcli.kb.load import bundled, load
from rmcli.kb.model import Reference

Refs = list[tuple[str, Reference]]

TRICKY: Refs = [
    (
        "full",
        Reference(
            authors=["Coomarasamy A", "van der Post JAM", "Dhillon-Smith RK", "Martin J-L"],
            title="A randomized trial of progesterone in women with recurrent miscarriages",
            journal="N Engl J Med",
            year=2015,
            volume="373",
            issue="22",
            pages="2141-8",
            doi="10.1056/NEJMoa1504927",
            pmid="26605928",
            pmcid="PMC1234567",
        ),
    ),
    ("anonymous", Reference(title="Untitled and anonymous: 100% unknown")),
    (
        "groups",
        Reference(
            kind="guideline",
            authors=[
                "ESHRE Guideline Group on RPL",
                "National Institute for Health and Care Excellence",
            ],
            title="Recurrent pregnancy loss: guideline of the ESHRE",
            journal="Hum Reprod Open",
            year=2023,
            volume="2023",
            issue="1",
            pages="hoad002",
            doi="10.1093/hropen/hoad002",
        ),
    ),
    (
        "unicode",
        Reference(
            authors=[
                "Kamper-Jørgensen M",
                "Lidegaard Ø",
                "Förger F",
                "Moltó A",
                "Hamulyák EN",
                "D'Ippolito S",
            ],
            title=(
                "TNF-α and IL-β in naïve T cells – a review of ≥ 3 losses,"
                " 5 ± 2 \u00d7 10 μg/kg — Ærø"
            ),
            journal="Acta Obstet Gynecol Scand",
            year=2012,
            pages="809–813",
        ),
    ),
    (
        "specials",
        Reference(
            authors=["Smith & Jones Consortium"],
            title='A {braced} title: 50% of R&D, under_score, #1, $5, "quoted", back\\slash ~',
            journal="J {Odd} & 100% Journal_",
            volume="12",
            doi="10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E",
            url="https://example.org/a_b%20c?x=1&y={2}",
        ),
    ),
    (
        "no-year",
        Reference(
            authors=["Orbach H"], title="Adverse effects of IVIG", journal="Clin Rev", pages="e1234"
        ),
    ),
    (
        "report",
        Reference(
            kind="report",
            title="Criteria for immunoglobulin use",
            journal="National Blood Authority",
            url="https://www.criteria.blood.gov.au/x",
        ),
    ),
    (
        "web page",  # an id BibTeX cannot take as a key as it is
        Reference(
            kind="webpage",
            authors=["Immunize.org"],
            title="Ask the experts",
            journal="Immunize.org",
            year=2023,
            url="https://www.immunize.org/ask",
        ),
    ),
    (
        "book",
        Reference(
            kind="book",
            authors=["Regan L"],
            title="Miscarriage: what every woman needs to know",
            journal="Orion",
            year=2001,
        ),
    ),
]


@cache
def bundled_refs() -> Refs:
    return sorted(load(bundled()).references.items())


def all_refs() -> Refs:
    return bundled_refs() + TRICKY
