"""Sphinx directives that generate reference pages from the code, so they cannot drift.

``.. tradelaw-cli::`` prints the ``--help`` of the command and of every subcommand.
``.. tradelaw-kinds::`` lists every registered kind with its fields, types and defaults.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import attrs
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from pathlib import Path

    from tradelaw.schedule import Schedule
    from tradelaw.scope import CodeList, Goods

# How each field type is written in a schedule file.
_IN_A_FILE = {
    "str": "text",
    "int": "integer",
    "bool": "true or false",
    "Decimal": 'number: a string such as "2.5", or an integer',
    "Money": "{ amount, currency }",
    "Decimal | Money": "number, or { amount, currency }",
    "Period": "{ start, end }: ISO dates (12:01 a.m. in the zone) or instants",
    "Period | None": "{ start, end }, or absent",
    "tuple[Period, ...]": "list of { start, end }",
    "Goods": "{ prefixes = [codes], exclude = [codes] }; empty prefixes: all goods",
    "Origins": "{ terms = [countries or groups], exclude = [countries] }; empty: all",
    "Condition | None": "a condition table (kind compare, one-of, …), or absent",
    "Condition": "a condition table",
    "tuple[Condition, ...]": "list of condition tables",
    "RateExpression": "a rate table (kind ad-valorem, specific, …)",
    "RateExpression | None": "a rate table, or absent",
    "tuple[RateExpression, ...]": "list of rate tables",
    "tuple[str, ...]": "list of text",
    "Targets": "{ measures = [ids or globs], layers = [layers] }",
    "RateReduction | OffsetPool": "a rate-reduction or offset-pool table",
    "FactValue": "text, integer, true/false, { date }, { instant }, { number }, "
    "{ amount, currency }",
    "tuple[FactValue, ...]": "list of fact values",
    "Operator": '"==", "!=", "<", "<=", ">" or ">="',
}


class CommandHelp(SphinxDirective):
    """Render ``tradelaw --help`` and ``tradelaw COMMAND --help``."""

    def run(self) -> list[nodes.Node]:
        os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal width
        from tradelaw.cli import commands, parser

        top = parser()
        found: list[nodes.Node] = [nodes.literal_block(text=top.format_help())]
        for name, command in commands(top).items():
            section = nodes.section(ids=[f"command-{name}"])
            section += nodes.title(text=f"tradelaw {name}")
            section += nodes.literal_block(text=command.format_help())
            found.append(section)
        return found


class Kinds(SphinxDirective):
    """Render a table of fields for every registered kind."""

    def run(self) -> list[nodes.Node]:
        from tradelaw.registry import kinds

        found: list[nodes.Node] = []
        for name, cls in sorted(kinds().items()):
            if cls.__module__.split(".")[0] != "tradelaw":
                continue  # an installed plug-in's kinds are its own docs' business
            section = nodes.section(ids=[f"kind-{name}"])
            section += nodes.title(text=f'kind = "{name}"')
            lines = (cls.__doc__ or "").strip().splitlines()
            summary = (lines[0] if lines else "").replace("``", "")
            section += nodes.paragraph(text=f"{cls.__module__}.{cls.__name__}: {summary}")
            fields = [f for f in attrs.fields(cls) if f.init and not f.name.startswith("_")]
            if fields:
                section += _table(
                    ["field", "in a file", "default"],
                    [[f.name, _in_a_file(f), _default(f)] for f in fields],
                )
            else:
                section += nodes.paragraph(text="No fields.")
            found.append(section)
        return found


class DatasetItems(SphinxDirective):
    """Render every item of an embedded dataset, one table per source file."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from pathlib import Path

        from tradelaw import datasets
        from tradelaw.io import load
        from tradelaw.measures import Measure

        folder = Path(datasets.__file__).parent / self.arguments[0]
        found: list[nodes.Node] = []
        for file in sorted(folder.glob("*.toml")):
            if file.name == "index.toml":
                continue
            schedule = load(file)
            section = nodes.section(ids=[f"file-{file.stem}"])
            section += nodes.title(text=f"{schedule.name} ({file.name})")
            own = _own_lists(file, schedule)
            if own:
                section += nodes.paragraph(text="Named lists:")
                section += _table(
                    ["list", "what it is", "codes", "citation"],
                    [[x.name, x.title, _codes(x.codes, 6), x.citation] for x in own],
                )
            lists = sorted(schedule.lists, key=lambda x: (-len(x.codes), x.name))
            rows = []
            for item in schedule.items:
                rate = str(item.rate) if isinstance(item, Measure) else type(item).__name__.lower()
                known = "always" if item.recorded is None else str(item.recorded)
                rows.append(
                    [
                        item.id + (" (void)" if item.void else ""),
                        getattr(item, "heading", ""),
                        str(item.period),
                        rate,
                        f"{_goods(item.goods, lists)} / {item.origins}",
                        known,
                        "; ".join(item.citations) + (f". {item.note}" if item.note else ""),
                    ]
                )
            if rows:
                section += _table(
                    ["id", "heading", "period", "rate", "goods / origins", "recorded", "citation"],
                    rows,
                )
            found.append(section)
        return found


def _own_lists(file: Path, schedule: Schedule) -> list[CodeList]:
    """The named lists a file itself defines (not those of the files it includes)."""
    import tomllib

    names = tomllib.loads(file.read_text(encoding="utf-8")).get("lists", {})
    return [x for x in schedule.lists if x.name in names]


def _goods(goods: Goods, lists: list[CodeList]) -> str:
    """The goods of an item by the names of its lists; other long lists shortened."""

    def named(codes: tuple[str, ...]) -> str:
        rest, names = set(codes), []
        for code_list in lists:  # the largest first, as a tradelaw/2 file names them
            if rest and set(code_list.codes) <= rest:
                names.append(f"list {code_list.name}")
                rest -= set(code_list.codes)
        return ", ".join([*names, _codes(tuple(sorted(rest)))] if rest else names)

    text = named(goods.prefixes) if goods.prefixes else "all goods"
    return f"{text} except {named(goods.exclude)}" if goods.exclude else text


def _codes(codes: tuple[str, ...], shown: int = 12) -> str:
    from tradelaw.scope import dotted

    if len(codes) <= shown:
        return ", ".join(map(dotted, codes))
    return f"{', '.join(map(dotted, codes[:shown]))} … ({len(codes)} codes in all)"


def _in_a_file(field: attrs.Attribute) -> str:  # type: ignore[type-arg]
    return _IN_A_FILE.get(str(field.type), str(field.type))


def _default(field: attrs.Attribute) -> str:  # type: ignore[type-arg]
    if field.default is attrs.NOTHING:
        return "required"
    if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
        return "all" if "all" in getattr(field.default.factory, "__name__", "") else "empty"
    if field.default == ():
        return "empty"
    return "absent" if field.default is None else repr(field.default)


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(header)
    group += head
    body = nodes.tbody()
    for row in rows:
        body += _row(row)
    group += body
    return table


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=text)
        row += entry
    return row


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("tradelaw-cli", CommandHelp)
    app.add_directive("tradelaw-kinds", Kinds)
    app.add_directive("tradelaw-dataset", DatasetItems)
    return {"parallel_read_safe": True}
