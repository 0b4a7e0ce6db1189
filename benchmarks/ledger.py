"""The calibration ledger, written from the fit script's declarations (never typed twice).

    .venv/bin/python -m benchmarks.fit_generator --ledger

writes three files from `benchmarks.fit_generator`'s STAGES, CONSTRAINED, VALIDATED and
PLANTED, the parameters file and the seed results that `--save` keeps:

- the `fitted` provenance of every parameter in src/bulletin/synthetic/parameters.toml
  (the stage and the rows or public figures it is fitted to);
- src/bulletin/synthetic/calibration.json, which the generator copies into every extract's
  dataset.json (`calibration`: each row fitted, constrained or validated; the findings that
  recover effects the generator was given; the findings that are emergent);
- docs/calibration.md, the ledger itself, with the results over seeds.

tests/test_ledger.py checks that all three are what this module writes now.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import statistics
import tomllib
from pathlib import Path
from typing import Any

from benchmarks import fit_generator as fit

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "docs" / "calibration.md"
SEED_RESULTS = ROOT / "docs" / "calibration-seeds.json"
SYNTHETIC = ROOT / "src" / "bulletin" / "synthetic"
PARAMETERS = SYNTHETIC / "parameters.toml"
CLASSIFICATION = SYNTHETIC / "calibration.json"
#: Measured lines of the table that are not rows of the contract: B7 and B8 on the outcome
#: model's own probabilities (what is planted), and the schools of each phase.
EXTRA = ("B7_model", "B8_model", *(f"A6_{p}" for p in fit.A6_BY_PHASE))
#: What the ledger says of a row short of its margin that MARGIN_EXCEPTIONS does not explain.
NO_REASON = "no reason is recorded: the calibration does not meet its aim here (not accepted)"
HAND = re.compile(r"(\d{4}-\d{2}-\d{2}): (.+)", re.DOTALL)


def contract() -> list[dict[str, str]]:
    with fit.TARGETS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- provenance in the parameters file ------------------------------------------------------------


def provenance() -> dict[str, dict[str | None, str]]:
    """What the fit script declares it sets: table -> key path (None: the value) -> text."""
    out: dict[str, dict[str | None, str]] = {}
    for stage in fit.STAGES:
        targets = [*stage.rows, *(f"figure {f}" for f in stage.figures)]
        text = f"benchmarks/fit_generator.py, stage '{stage.name}': {', '.join(targets)}"
        for knob in stage.knobs:
            for path in knob.paths():
                out.setdefault(knob.table, {})[path] = text
    return out


def _toml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def with_provenance(text: str) -> str:
    """The parameters file's text with every `fitted = ...` line written from the
    declarations: added where a stage sets the table, replaced, or removed."""
    declared = provenance()
    out: list[str] = []
    table: str | None = None
    lines = text.splitlines()

    def close(current: str | None) -> None:
        if current is None or current not in declared:
            return
        paths = declared[current]
        if list(paths) == [None]:
            line = f"fitted = {_toml_text(paths[None])}"
        else:
            inner = ", ".join(
                f"{_toml_text(str(p))} = {_toml_text(t)}" for p, t in sorted(paths.items())
            )
            line = f"fitted = {{ {inner} }}"
        last = max(i for i, x in enumerate(out) if x.strip() and not x.startswith("#"))
        out.insert(last + 1, line)

    for line in lines:
        header = re.fullmatch(r"\[([a-z0-9_]+\.[a-z0-9_]+)\]", line.strip())
        if header:
            close(table)
            table = header.group(1)
        elif line.startswith("fitted = "):
            continue
        out.append(line)
    close(table)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def marked(text: str) -> dict[str, dict[str, dict[str | None, str]]]:
    """The `fitted` and `hand` entries of the parameters file: kind -> table -> key path ->
    text (a plain string is the value itself, key path None)."""
    raw = tomllib.loads(text)
    out: dict[str, dict[str, dict[str | None, str]]] = {"fitted": {}, "hand": {}}
    for component, params in raw.items():
        for name, entry in params.items():
            for kind, tables in out.items():
                if kind not in entry:
                    continue
                given = entry[kind]
                paths: dict[str | None, str] = (
                    {None: given}
                    if isinstance(given, str)
                    else {k: str(v) for k, v in given.items()}
                )
                tables[f"{component}.{name}"] = paths
    return out


# -- the classification the generator copies into dataset.json ------------------------------------


def classification() -> dict[str, Any]:
    kinds = fit.kind_of_rows()
    rows = {r["id"]: kinds[r["id"]] for r in contract()}
    emergent = [row for row, kind in rows.items() if kind == "validated"]
    return {
        "ledger": "docs/calibration.md",
        "rows": rows,
        "recovers_planted": list(fit.PLANTED),
        "emergent": emergent,
        "emergent_named": [
            phrase for phrase, named in fit.EMERGENT_FOR_READERS if set(named) & set(emergent)
        ],
        "validated_rule": [clause for clause, _ in fit.VALIDATED],
    }


def classification_text() -> str:
    return json.dumps(classification(), indent=2, ensure_ascii=False) + "\n"


# -- seed results ----------------------------------------------------------------------------------


def generator_digest() -> str:
    """What the data of a seed depend on: the parameters' values (not their provenance),
    the generator's code and the measurements' code."""
    from bulletin.synthetic.params import load_parameters

    digest = hashlib.sha256()
    values = load_parameters(PARAMETERS).values
    digest.update(json.dumps(values, sort_keys=True).encode())
    for path in [*sorted(SYNTHETIC.glob("*.py")), ROOT / "benchmarks" / "measure.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def save_results(results: dict[int, dict[str, float]], scale: float) -> None:
    """Keep the seed results for the ledger (scale 1.0 only), with the digest they belong to;
    seeds measured before with the same digest are kept beside them."""
    if scale != 1.0:
        raise ValueError("the ledger keeps results at scale 1.0 only")
    digest = generator_digest()
    kept: dict[str, Any] = {"digest": digest, "scale": scale, "seeds": {}}
    if SEED_RESULTS.exists():
        old = json.loads(SEED_RESULTS.read_text(encoding="utf-8"))
        if old["digest"] == digest:
            kept["seeds"] = old["seeds"]
    for seed, values in results.items():
        kept["seeds"][str(seed)] = {
            k: (None if math.isnan(v) else v) for k, v in sorted(values.items())
        }
    kept["seeds"] = dict(sorted(kept["seeds"].items(), key=lambda item: int(item[0])))
    SEED_RESULTS.write_text(json.dumps(kept, indent=1) + "\n", encoding="utf-8")


def load_results() -> dict[str, Any]:
    if not SEED_RESULTS.exists():
        return {"digest": "", "scale": 1.0, "seeds": {}}
    loaded: dict[str, Any] = json.loads(SEED_RESULTS.read_text(encoding="utf-8"))
    return loaded


# -- the ledger ----------------------------------------------------------------------------------


def _number(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "-"
    if unit == "count":
        return f"{value:,.0f}"
    if unit in ("score", "points"):
        return f"{value:.3f}"
    return f"{value:.4f}"


def summary(
    row: str, lo: float, hi: float, values: dict[str, float | None], default: str
) -> dict[str, Any]:
    """Mean, sd, default seed's value, seeds passing and how many sds the mean is inside."""
    got = [v for v in values.values() if v is not None]
    mean = statistics.fmean(got) if got else math.nan
    sd = statistics.stdev(got) if len(got) > 1 else math.nan
    inside = min(mean - lo, hi - mean) / sd if got and sd > 0 else math.nan
    return {
        "mean": mean,
        "sd": sd,
        "default": values.get(default),
        "passing": sum(lo <= v <= hi for v in got),
        "seeds": len(got),
        "inside": inside,
    }


def _row_results(results: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    by_row: dict[str, dict[str, float | None]] = {}
    for seed, values in results["seeds"].items():
        for row, value in values.items():
            by_row.setdefault(row, {})[seed] = value
    return by_row


def margins(results: dict[str, Any], default: str) -> dict[str, float]:
    """How many seed sds each fitted or constrained row's mean is inside its range."""
    kinds = fit.kind_of_rows()
    by_row = _row_results(results)
    out = {}
    for r in contract():
        if r["lo"] and kinds[r["id"]] != "validated" and r["id"] in by_row:
            s = summary(r["id"], float(r["lo"]), float(r["hi"]), by_row[r["id"]], default)
            out[r["id"]] = s["inside"]
    return out


def render(parameters_text: str, results: dict[str, Any], default_seed: int) -> str:
    kinds = fit.kind_of_rows()
    rows = contract()
    fitted = fit.fitted_rows()
    validated = fit.validated_rows()
    by_row = _row_results(results)
    default = str(default_seed)
    seeds = ", ".join(f"{s} (default)" if s == default else s for s in results["seeds"])
    with_target = [r for r in rows if r["lo"] and not r["id"].startswith("R")]
    bc = [r for r in with_target if r["id"][0] in "BC"]
    bc_validated = [r for r in bc if kinds[r["id"]] == "validated"]
    out = [
        "# Calibration ledger: what the synthetic population is fitted to, and what it predicts",
        "",
        "Generated by `python -m benchmarks.fit_generator --ledger` from the fit script's",
        "declarations (`STAGES`, `CONSTRAINED`, `VALIDATED`, `PLANTED` in",
        "`benchmarks/fit_generator.py`), the parameters file and the seed results that `--save`",
        "keeps (`docs/calibration-seeds.json`). `tests/test_ledger.py` checks that it is current;",
        "do not edit it by hand.",
        "",
        "Every row of `docs/calibration-targets.csv` is one of three kinds:",
        "",
        "- **fitted**: a stage of the fit script sets parameters so that the row holds (which,",
        "  and how, below). A fitted row agrees with its target by construction: it shows the",
        "  fit worked, not that the model is right.",
        "- **constrained**: a structural choice makes the row hold (the reason is given).",
        "- **validated**: no parameter is fitted to it; the model predicts it. A miss is a",
        "  finding about the model, reported here, not tuned away.",
        "",
        f"{' and '.join(fit.PLANTED)} are fitted rows of a particular kind: the generator is",
        "given the adjusted relative likelihoods they measure (the key stage 4 group effects are",
        "solved so that the model's own probabilities have them), and the findings' regression",
        "recovers them. On synthetic data they demonstrate the method; they are not evidence.",
        "",
        "## The rule for the validated rows",
        "",
        "Chosen by section and by kind of measure, never by which rows pass. Each clause says",
        "what the fit may not use:",
        "",
    ]
    for number, (clause, clause_rows) in enumerate(fit.VALIDATED, start=1):
        out.append(f"{number}. {clause} ({', '.join(clause_rows)})")
    out += [
        "",
        f"So {len(bc_validated)} of the {len(bc)} rows of sections B and C with a target are "
        f"validated ({sum(r['id'][0] == 'B' for r in bc_validated)} from B, "
        f"{sum(r['id'][0] == 'C' for r in bc_validated)} from C).",
        "",
        "## Results over seeds",
        "",
    ]
    if results["seeds"]:
        out += [
            f"Scale {results['scale']}, seeds {seeds}: `python -m benchmarks.fit_generator",
            "--seeds ... --save`. Counts are whole; *inside* is how many seed standard",
            "deviations the mean lies inside the nearer end of the range (fitted and",
            "constrained rows; the aim is at least 2).",
            "",
            "| row | kind | target | default seed | mean | sd | seeds passing | inside (sds) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in [*with_target, *({"id": e} for e in EXTRA)]:
            key = r["id"]
            if key not in by_row:
                continue
            if key in EXTRA:
                target_of = key.removesuffix("_model")
                if key.startswith("A6_"):
                    derived = fit.A6_BY_PHASE[key[3:]]
                    lo, hi, unit, kind = derived * 0.9, derived * 1.1, "count", "(A6 by phase)"
                else:
                    t = next(x for x in rows if x["id"] == target_of)
                    lo, hi, unit = float(t["lo"]), float(t["hi"]), t["unit"]
                    kind = "(planted)"
            else:
                lo, hi, unit, kind = float(r["lo"]), float(r["hi"]), r["unit"], kinds[key]
            s = summary(key, lo, hi, by_row[key], default)
            inside = "" if kind == "validated" or math.isnan(s["inside"]) else f"{s['inside']:.1f}"
            out.append(
                f"| {key} | {kind} | {_number(lo, unit)} to {_number(hi, unit)} | "
                f"{_number(s['default'], unit)} | {_number(s['mean'], unit)} | "
                f"{_number(s['sd'], unit)} | {s['passing']} of {s['seeds']} | {inside} |"
            )
        low = {k: v for k, v in margins(results, default).items() if not (v >= 2 or math.isnan(v))}
        out += ["", "Fitted or constrained rows whose mean is less than two sds inside:", ""]
        if low:
            out += [
                f"- {k} ({v:.1f} sds): {fit.MARGIN_EXCEPTIONS.get(k, NO_REASON)}"
                for k, v in low.items()
            ]
        else:
            out.append("- none.")
    else:
        out.append("No seed results saved yet.")
    out += [
        "",
        "## Fitted rows: which parameters, how",
        "",
        "| row | stages |",
        "|---|---|",
    ]
    for r in rows:
        if r["id"] in fitted:
            names = "; ".join(s.name for s in fitted[r["id"]])
            planted = " (planted)" if r["id"] in fit.PLANTED else ""
            out.append(f"| {r['id']}{planted} | {names} |")
    out += ["", "The stages, in the order the fit runs them (seed 1):", ""]
    for stage in fit.STAGES:
        params = ", ".join(f"`{k.table}`" + (f" `{k.key}`" if k.key else "") for k in stage.knobs)
        targets = [*(["rows " + ", ".join(stage.rows)] if stage.rows else [])]
        targets += [fit.FIGURES[figure] for figure in stage.figures]
        out.append(f"- **{stage.name}**: {params}. Fitted to {'; and '.join(targets)}.")
        out.append(f"  How: {stage.how}.")
    out += [
        "",
        "Aims (centre, and the half-width each residual is scaled by) where a stage does not",
        "aim at the middles of its rows' ranges:",
        "",
        "- schools (B4 and B5 pull against each other, see `SCHOOL_AIMS`): "
        + "; ".join(f"{k} {c:.4g} ({h:g})" for k, (c, h) in fit.SCHOOL_AIMS.items())
        + ";",
        "- early years and key stage 2 (the widening C7 with margin, see `OUTCOME_AIMS`): "
        + "; ".join(f"{k} {c:.4g} ({h:g})" for k, (c, h) in fit.OUTCOME_AIMS.items())
        + ".",
        "",
        "## Constrained rows",
        "",
        "| row | why it holds |",
        "|---|---|",
    ]
    for r in rows:
        if r["id"] in fit.CONSTRAINED:
            out.append(f"| {r['id']} | {fit.CONSTRAINED[r['id']]} |")
    out += ["", "## Validated rows", "", "| row | clause of the rule |", "|---|---|"]
    for r in rows:
        if r["id"] in validated:
            number = next(i for i, (_, c) in enumerate(fit.VALIDATED, start=1) if r["id"] in c)
            out.append(f"| {r['id']} | {number} |")
    hand = marked(parameters_text)["hand"]
    out += [
        "",
        "## Values set by hand",
        "",
        "Values a person set, outside the fit (each with its date and reason, from the",
        "`hand` entries of the parameters file). Every other value is fitted (above), or",
        "taken from its source, or a modelling judgement written when the model was made",
        "(its `rationale`), not moved to make a row pass.",
        "",
        "| parameter | date | reason |",
        "|---|---|---|",
    ]
    for table, paths in sorted(hand.items()):
        for path, text in paths.items():
            match = HAND.fullmatch(text)
            date, reason = (match.group(1), match.group(2)) if match else ("", text)
            name = f"`{table}`" + (f" `{path}`" if path else "")
            out.append(f"| {name} | {date} | {reason} |")
    return "\n".join(out) + "\n"


def write(default_seed: int) -> None:
    text = with_provenance(PARAMETERS.read_text(encoding="utf-8"))
    PARAMETERS.write_text(text, encoding="utf-8")
    CLASSIFICATION.write_text(classification_text(), encoding="utf-8")
    LEDGER.write_text(render(text, load_results(), default_seed), encoding="utf-8")
