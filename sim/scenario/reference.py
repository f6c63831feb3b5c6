"""The scenario reference and JSON Schema, generated from the schema so they cannot drift.

``python -m sim.scenario.reference`` writes ``docs/scenario-reference.md`` (every key: type, unit,
default, allowed values, meaning) and ``docs/scenario.schema.json`` (for editors), both
from :class:`sim.scenario.Scenario`. A test regenerates them in memory and fails when the
committed files differ, so a change to the schema without regenerating is caught.

The pydantic models supply the types, defaults, bounds and descriptions. Two things they
cannot: the *unit* of each number (kept here in :data:`UNITS`, by key name; a numeric key
without one stops the generator, so a new key cannot slip in undocumented) and the rules
that tie keys together (written out in :data:`RULES`, next to the code that checks them in
:func:`sim.scenario.schema.cross_reference_problems`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .reference_text import INTRO, LIMITS, PROVENANCE, REGENERATE, RULES, SAME_KEYS_AS, UNITS
from .schema import Scenario

# The repository's docs/ folder: the reference is regenerated from a checkout.
DOCS = Path(__file__).resolve().parents[2] / "docs"
REFERENCE_FILE = DOCS / "scenario-reference.md"
SCHEMA_FILE = DOCS / "scenario.schema.json"

# Draft 7: understood by Taplo / Even Better TOML, VS Code and the ``jsonschema`` package.
# pydantic writes 2020-12 style ``$defs``; the only change needed is the definitions key.
DRAFT = "http://json-schema.org/draft-07/schema#"


def json_schema() -> dict[str, Any]:
    """The published JSON Schema: pydantic's, as draft 7, with a title and description."""
    schema = Scenario.model_json_schema(ref_template="#/definitions/{model}")
    schema["definitions"] = schema.pop("$defs")
    return {
        "$schema": DRAFT,
        **schema,
        "title": "rollout scenario",
        "description": (
            "A rollout scenario file (TOML): a children's social work workforce and a "
            "training roll-out strategy. Dates are TOML dates (2015-11-01). Generated from "
            f"sim/scenario/ by `{REGENERATE}`; see docs/scenario-reference.md."
        ),
    }


def json_schema_text() -> str:
    """The scenario's JSON Schema as text, for docs/scenario.schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- markdown


def _ref_name(prop: dict[str, Any]) -> str | None:
    ref = prop.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _unwrap(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The property without its ``| None`` branch, and whether None was allowed."""
    options = prop.get("anyOf")
    if not options:
        return prop, False
    kept = [o for o in options if o.get("type") != "null"]
    merged = {k: v for k, v in prop.items() if k != "anyOf"}
    if len(kept) == 1:
        merged.update(kept[0])
    return merged, len(kept) < len(options)


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if _ref_name(prop) is not None:
        return "table"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{json.dumps(v)}`" for v in prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        if _ref_name(items):
            return "array of tables"
        return f"array of {_type(items, defs)}"
    if kind == "object":
        return "table of tables"
    if kind == "string" and prop.get("format") == "date":
        return "date"
    return {
        "integer": "whole number",
        "number": "number",
        "boolean": "true / false",
        "string": "text",
    }.get(kind, str(kind))


def _toml(value: Any) -> str:
    """A default written as it would be in a TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def _allowed(prop: dict[str, Any]) -> str:
    """Bounds as a reader says them: '0 to 1', '≥ 0', '> 0 and < 1'."""
    low = (
        ("≥", prop["minimum"])
        if "minimum" in prop
        else (">", prop["exclusiveMinimum"])
        if "exclusiveMinimum" in prop
        else None
    )
    high = (
        ("≤", prop["maximum"])
        if "maximum" in prop
        else ("<", prop["exclusiveMaximum"])
        if "exclusiveMaximum" in prop
        else None
    )
    parts = []
    if low and high and low[0] == "≥" and high[0] == "≤":
        parts.append(f"{low[1]:g} to {high[1]:g}")
    else:
        bounds = [f"{bound[0]} {bound[1]:g}" for bound in (low, high) if bound]
        if bounds:
            parts.append(" and ".join(bounds))
    if "minLength" in prop:
        parts.append("not empty")
    if "minItems" in prop:
        parts.append(f"at least {prop['minItems']} item{'s' if prop['minItems'] != 1 else ''}")
    if "minProperties" in prop:
        parts.append(f"at least {prop['minProperties']} entry")
    return ", ".join(parts)


def _text(docstring: str) -> str:
    """A docstring or description as Markdown: reST roles and double backquotes dropped."""
    return re.sub(r":\w+:`([^`]+)`", r"`\1`", docstring.replace("``", "`")).strip()


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


class _Writer:
    """Walks the schema from the root, one section per table, children after parents."""

    def __init__(self, schema: dict[str, Any]):
        self.defs = schema["definitions"]
        self.sections: list[str] = []

    def table(self, model: str, path: str, title: str, required_here: bool | None) -> None:
        definition = self.defs[model]
        fields = definition["properties"]
        required = set(definition.get("required", ()))
        children: list[tuple[str, str, str, bool | None]] = []
        same = SAME_KEYS_AS.get(model)
        lines = [f"## `{title}`", "", _text(definition.get("description", ""))]
        if required_here is not None:
            lines += ["", "Required table." if required_here else "Optional table."]
        lines += [
            "",
            "| key | type | unit | default | allowed | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for key, raw in fields.items():
            prop, _ = _unwrap(raw)
            description = raw.get("description") or prop.get("description") or ""
            if same is not None and not description:
                other, where = same
                meaning = self.defs[other]["properties"][key].get("description", "")
                description = f"Replaces `{where}.{key}` in this phase. {meaning}"
            if not description and not _ref_name(prop):
                raise ValueError(f"{model}.{key} has no description in sim/scenario/")
            kind = _type(prop, self.defs)
            numeric = prop.get("type") in ("number", "integer") or (
                prop.get("type") == "array"
                and prop.get("items", {}).get("type") in ("number", "integer")
            )
            unit = UNITS.get(key, "")
            if numeric and not unit:
                raise ValueError(
                    f"{model}.{key}: numeric key without a unit in sim/scenario/reference_text.py"
                )
            if key in required:
                default = "required"
            elif "default" in raw:
                default = "not set" if raw["default"] is None else f"`{_toml(raw['default'])}`"
            else:
                default = "all defaults" if _ref_name(prop) else ""
            child_path = f"{path}.{key}" if path else key
            child = _ref_name(prop)
            if child is not None:
                children.append((child, child_path, child_path, key in required))
                description = description or self.defs[child].get("description", "")
                description += f" See [`{child_path}`](#{_anchor(child_path)})."
            elif kind == "array of tables":
                item = _ref_name(prop["items"])
                children.append((item, f"{child_path}.N", f"{child_path}.N", None))
                description += f" See [`{child_path}.N`](#{_anchor(child_path + '.N')})."
            elif kind == "table of tables":
                item = _ref_name(prop.get("additionalProperties", {}))
                name = "<path>" if key == "sources" else "<" + key.rstrip("s") + ">"
                sub = f'{child_path}."<key path>"' if key == "sources" else f"{child_path}.{name}"
                children.append((item, sub, sub, None))
                description += f" See [`{sub}`](#{_anchor(sub)})."
            lines.append(
                f"| `{key}` | {_cell(kind)} | {unit} | {_cell(default)} | "
                f"{_cell(_allowed(prop))} | {_cell(description)} |"
            )
        self.sections.append("\n".join(lines))
        for child, child_path, child_title, child_required in children:
            self.table(child, child_path, child_title, child_required)


def _anchor(title: str) -> str:
    """GitHub's anchor for a heading ``## `title` ``."""
    keep = [c for c in title.lower() if c.isalnum() or c in "-_ "]
    return "".join(keep).replace(" ", "-")


def markdown() -> str:
    """The whole reference page."""
    schema = json_schema()
    writer = _Writer(schema)
    root = schema["properties"]
    required = set(schema.get("required", ()))
    top = [
        "## Top-level tables",
        "",
        "| table | required | what it holds |",
        "|---|---|---|",
    ]
    for key, prop in root.items():
        name = _ref_name(prop)
        what = schema["definitions"][name].get("description", "") if name else prop["description"]
        top.append(
            f"| [`[{key}]`](#{_anchor(key)}) | {'yes' if key in required else 'no'} | "
            f"{_cell(what)} |"
        )
    for key, prop in root.items():
        name = _ref_name(prop)
        if name is not None:
            writer.table(name, key, key, key in required)
    for about in ("sources", "uncertainty"):  # tables keyed by the dotted paths of others
        item = _ref_name(root[about]["additionalProperties"])
        writer.sections.append(f"## `{about}`\n\n{_cell(root[about]['description'])}")
        writer.table(item, f'{about}."<key path>"', f'{about}."<key path>"', None)
    parts = [
        INTRO,
        "\n".join(top),
        *writer.sections,
        "## Rules between keys\n\n" + RULES,
        LIMITS,
        PROVENANCE,
    ]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


# --------------------------------------------------------------------------- command


def stale_files() -> list[Path]:
    """The generated files that differ from what the generator produces now."""
    wanted = {REFERENCE_FILE: markdown(), SCHEMA_FILE: json_schema_text()}
    return [
        path
        for path, text in wanted.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) docs/scenario-reference.md and docs/scenario.schema.json."""
    parser = argparse.ArgumentParser(
        prog=REGENERATE,
        description="Write docs/scenario-reference.md and docs/scenario.schema.json "
        "from the scenario schema.",
    )
    parser.add_argument(
        "--check", action="store_true", help="Only report whether the files are up to date."
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"{path}: out of date; run `{REGENERATE}`", file=sys.stderr)
        return 1 if stale else 0
    DOCS.mkdir(exist_ok=True)
    for path, text in ((REFERENCE_FILE, markdown()), (SCHEMA_FILE, json_schema_text())):
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
