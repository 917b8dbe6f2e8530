"""Product-label safety (safety.md): contraindications give `avoid`, warnings stay cautions."""

from __future__ import annotations

import pytest
from wizard_helpers import bundled_kb, make_profile

from rmcli.assess import assess_therapy

# (therapy, condition, severity): what the product labels say, condition by condition.
LABELS = [
    ("tnf-inhibitors", "heart-failure", "contraindication"),
    ("tnf-inhibitors", "active-tb", "contraindication"),
    ("tnf-inhibitors", "active-infection", "contraindication"),
    ("tnf-inhibitors", "demyelinating-disease", "caution"),
    ("tnf-inhibitors", "latent-tb", "caution"),
    ("tnf-inhibitors", "hepatitis-b", "caution"),
    ("ivig", "iga-deficiency", "contraindication"),
    ("ivig", "thrombosis-history", "caution"),
    ("ivig", "renal-impairment", "caution"),
    ("intralipid", "egg-soy-allergy", "contraindication"),
    ("intralipid", "severe-hyperlipidaemia", "contraindication"),
    ("intralipid", "severe-liver-disease", "contraindication"),
    ("intralipid", "hepatic-impairment", "caution"),
    ("heparin", "hit-recent", "contraindication"),
    ("heparin", "hit-history", "caution"),
    ("heparin", "active-bleeding", "contraindication"),
    ("heparin", "peptic-ulcer", "contraindication"),
    ("heparin", "mechanical-heart-valve", "caution"),
    ("aspirin", "aspirin-allergy", "contraindication"),
    ("aspirin", "peptic-ulcer", "contraindication"),
    ("aspirin", "peptic-ulcer-history", "contraindication"),
    ("aspirin", "bleeding-disorder", "contraindication"),
    ("aspirin", "asthma", "caution"),
    ("aspirin", "g6pd-deficiency", "caution"),
    ("hydroxychloroquine", "retinopathy", "contraindication"),
    ("hydroxychloroquine", "qt-prolongation", "contraindication"),
    ("hydroxychloroquine", "g6pd-deficiency", "caution"),
    ("prednisolone", "active-infection", "contraindication"),
    ("prednisolone", "diabetes", "caution"),
    ("prednisolone", "latent-tb", "caution"),
    ("tacrolimus", "macrolide-allergy", "contraindication"),
    ("tacrolimus", "renal-impairment", "caution"),
    ("g-csf", "sickle-cell-disease", "caution"),
    ("levothyroxine", "adrenal-insufficiency", "contraindication"),
]


@pytest.mark.parametrize(("therapy_id", "condition", "severity"), LABELS)
def test_label_mapping(therapy_id: str, condition: str, severity: str) -> None:
    kb = bundled_kb()
    therapy = next(t for t in kb.therapies if t.id == therapy_id)
    (entry,) = [c for c in therapy.contraindications if c.condition == condition]
    assert entry.severity == severity
    assert entry.refs and entry.checked in ("primary", "secondary")
    result = assess_therapy(therapy, make_profile(losses=3, conditions=[condition]), kb)
    name = kb.vocabulary.conditions[condition].name
    if severity == "contraindication":
        assert result.tier == "avoid"
        assert result.reasons[0].text.startswith(f"Contraindicated ({name}):")
        assert set(entry.refs) <= set(result.references)
    else:
        assert result.tier != "avoid"
        assert [(c.condition, c.condition_name) for c in result.cautions] == [(condition, name)]
