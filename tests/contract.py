"""The user-facing contracts the tests hold the code to, written out independently of src/.

From ../shared/domain.md: the fixed therapy ids (section 2); from issues 2, 9 and 10: the
monograph's summary rows and section order. Tests import these instead of re-typing them,
and never take them from src/.
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

# The monograph after its summary ("At a glance"), issue 10; the Jaro 2025 rationale section
# only where a therapy has one (issue 9); the summary of findings first (issue 11); what the
# review changed (issue 15); a section the sources say nothing about is left out (issue 15).
SECTION_ORDER = (
    "Summary of findings",
    "What changed in this review",
    "Overview",
    "Mechanism and targets",
    "Mechanistic rationale (Jaro 2025 review)",
    "Indications studied",
    "Evidence",
    "Ongoing trials (registered, not yet reported)",
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
SUMMARY_ROWS = (
    "Status",
    "Headline",
    "Key evidence",
    "Mechanism",
    "Main risks",
    "Burden",
    "Last reviewed",
)

# `rmcli wizard --format json`, domain.md §5 (plus kb_date, issue 11), in this order.
ASSESSMENT_JSON_KEYS = [
    "schema_version",
    "kb_version",
    "kb_date",
    "profile",
    "situations",
    "assessments",
    "investigations",
    "notes",
    "what_would_change",
    "outlook",
    "disclaimer",
]
