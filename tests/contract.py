"""The user-facing contracts the tests hold the code to, written out independently of src/.

From ../shared/domain.md: the fixed therapy ids (section 2); from issue 2: the monograph's
section order. Tests import these instead of re-typing them, and never take them from src/.
"""

THERAPY_IDS = frozenset(
    {
        "prednisolone",
        "ivig",
        "heparin",
        "aspirin",
        "tnf-inhibitors",
        "treg-transfer",
        "low-dose-il2",
        "lymphocyte-immunotherapy",
        "progesterone",
        "hydroxychloroquine",
        "g-csf",
        "intralipid",
        "levothyroxine",
        "tacrolimus",
    }
)

SECTION_ORDER = (
    "Summary",
    "Mechanism and targets",
    "Indications studied",
    "Evidence",
    "Guideline positions",
    "Regimens as used in trials or guidelines (not dosing advice)",
    "Caveats",
    "Maternal risks",
    "Fetal and neonatal risks",
    "Contraindications and cautions",
    "Monitoring",
    "Cost and burden",
    "References",
    "Last reviewed",
)
