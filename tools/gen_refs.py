"""One-off generator: turn the fact sheets' reference lists into data/references.toml."""
import re, sys, pathlib
ids = """wong-2014-cochrane laskin-1997 tang-2013 tang-2009-protocol song-2015 dippolito-2025 frontmed-2022-gc
egerup-2015 rbmo-2016-ivig bjog-2006-ivig christiansen-2002 christiansen-2015 stephenson-2010 yamada-2022 jir-2020-ivig
ijph-ivig-ma shi-2022 orbach-ivig-ae frontimmunol-2018-ivig cmaj-ivig-ae hamulyak-2020-cochrane rpth-2021-antithrombotic
rai-1997 kutteh-1996 farquharson-2002 triolo-2003 alife-2010 dejong-2014-cochrane alife2-2023 spin-2010 blood-2016-lmwh
greer-2005 dahlman-1993 ahrens-2016 eager-2014 jiang-2023 winger-2008 fu-2019 mahadevan-2013 crib-2018 entis-2015
chambers-2019 park-2020-bcg aus-immunisation-handbook immunize-org-infliximab bdmard-vaccine-review wjg-2014-tnfi-screening
nakagawa-2022 nakagawa-2015 transplantation-1997-tac transplantation-2000-tac hebert-2013 facil2-preprint zenclussen-2005
jes6-mouse-2 treg-infusion-cohort remis-1999 rmitg-1994 daya-1994 cauchi-1991 liu-2016 kling-2006 fda-lit-2002 promise-2015
prism-2019 prism-hta-2020 haas-2019-cochrane cochrane-2021-progestogen-nma kumar-2014 pibf-review-2010 raghupathy-2022
bbq-protocol-2019 hypatia-registry hcq-pilot-2022 huybrechts-2021 mothertobaby-hcq-2022 scarpellini-2009 response-2019
ijgo-2016-intralipid intralipid-vs-ivig kumar-2021-intralipid han-2021-intralipid tablet-2019 t4life-2022 clinmed-2025-lt4
lund-2012 brigham-1999 kling-2018 nk-review-2011 qian-2018 zhang-2016-tnf li-2016-tnf rai-regan-1997 vandenboogaard-2013
eshre-2022-trials-ref rcog-2011-trials-ref vomstein-2021 clefts-ma-2017 skuladottir-2014 ash-2010-pregnancy heparin-hazards
lmwh-bmd-2016 il2-safety-ma""".split()
print(len(ids), file=sys.stderr)
ids[94] = "eshre-2022"; ids[95] = "rcog-2011"

def clean_doi(d: str) -> str:
    d = d.rstrip(".")
    while d.endswith(")") and d.count(")") > d.count("("):
        d = d[:-1].rstrip(".")
    return d

def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

text = pathlib.Path("../shared/evidence/trials.md").read_text()
block = text.split("## Numbered reference list", 1)[1].split("\n---", 1)[0]
entries = re.findall(r"^(\d+)\. (.+)$", block, re.M)
out = []
for (num, body), rid in zip(entries, ids):
    if rid in ("eshre-2022", "rcog-2011", "vomstein-2021"):
        continue  # written by hand with the guideline documents
    doi = re.search(r"doi:\s*(10\.[^\s;,]+)", body)
    pmid = re.search(r"PMID (\d+)", body)
    pmc = re.search(r"\b(PMC\d+)", body)
    year = re.search(r"\b(19[89]\d|20[0-2]\d)\b", body)
    out.append(f"[{rid}]")
    out.append(f"citation = {toml_str(body.strip())}")
    if year: out.append(f"year = {year.group(1)}")
    if doi: out.append(f"doi = {toml_str(clean_doi(doi.group(1)))}")
    if pmid: out.append(f"pmid = {toml_str(pmid.group(1))}")
    if pmc: out.append(f"pmcid = {toml_str(pmc.group(1))}")
    out.append(f'sheet = "trials.md #{num}"')
    out.append("")
pathlib.Path("data").mkdir(exist_ok=True)
pathlib.Path("data/references-generated.toml").write_text("\n".join(out))
