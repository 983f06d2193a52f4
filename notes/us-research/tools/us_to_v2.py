"""Convert the `us` dataset from tradelaw/1 to tradelaw/2, keeping its comments (issue 12).

Run: ``.venv/bin/python notes/us-research/tools/us_to_v2.py OUT_FOLDER [V1_FOLDER]``, where
V1_FOLDER is a tradelaw/1 copy of the dataset (``git archive 5d2ea9f src/tradelaw/datasets/us``).
It writes the dataset in tradelaw/2 with the named lists of us_lists.py (lists that files
share go to lists.toml) and checks that it loads into the same items. The dataset was
converted with it on 1 December 2026 (15,111 -> 14,058 lines); since then the tradelaw/2
files are the source, edited by hand. same_resolutions.py compares the resolutions.
"""
import re, shutil, sys, tomllib, collections
from pathlib import Path
from attrs import evolve
from tradelaw import load, Measure
from tradelaw.io import _converter, _toml, _v2
from tradelaw.scope import CodeList, dotted

SRC = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/work/main/src/tradelaw/datasets/us")
OUT = Path(sys.argv[1])
if OUT.exists():
    shutil.rmtree(OUT)
shutil.copytree(SRC, OUT)
NOTE = re.compile(r"U\.S\. note (\d+\([a-z]+\)(?:\([ivx]+\))?)")
MIN_CODES, MIN_USES = 4, 2

def blocks(text):
    lines = text.split("\n")
    starts = [i for i, l in enumerate(lines) if l.strip() == "[[items]]"]
    head_end = starts[0] if starts else len(lines)
    # comments directly before [[items]] belong to that item
    def lead(i, floor):
        j = i
        while j > floor and (lines[j-1].lstrip().startswith("#") or not lines[j-1].strip()):
            j -= 1
        return j
    firsts = [lead(s, 0) for s in starts]
    header = lines[:firsts[0]] if starts else lines
    out = []
    for k, s in enumerate(starts):
        begin = firsts[k]
        end = firsts[k+1] if k + 1 < len(starts) else len(lines)
        lead_comments = [l for l in lines[begin:s] if l.strip()]
        body = lines[s:end]
        inner = [l.strip() for l in body if l.lstrip().startswith("#")]
        out.append((lead_comments, inner, "\n".join(l for l in body if not l.lstrip().startswith("#"))))
    return header, out

def list_name(items, codes, taken):
    for it in items:
        for c in it.citations:
            m = NOTE.search(c)
            if m:
                base = f"note-{m.group(1)}"
                if base not in taken:
                    return base
                return f"{base}-{items[0].id}"
    return f"{items[0].id}-goods"

sys.path.insert(0, str(Path(__file__).parent))
from us_lists import LISTS

def codes_of(stem, ident, field):
    schedule = load(SRC / f"{stem}.toml")
    item = [i for i in schedule.items if i.id == ident][-1]
    if field.startswith("goods-minus:"):
        other = [i for i in schedule.items if i.id == field.split(":")[1]][-1]
        return set(item.goods.prefixes) - set(other.goods.prefixes)
    return set(item.goods.prefixes if field == "goods" else item.goods.exclude)

catalogue, bases = {}, {}
for name, title, citation, stem, ident, field, *base in LISTS:
    catalogue[name] = (stem, CodeList(name, codes_of(stem, ident, field), citation=citation, title=title))
    if base:
        bases[name] = base[0]

def tables(lists):
    out = _v2.list_tables(lists)
    for code_list in lists:
        if code_list.name in bases:
            base = catalogue[bases[code_list.name]][1]
            added = sorted(set(code_list.codes) - set(base.codes))
            removed = sorted(set(base.codes) - set(code_list.codes))
            table = {k: v for k, v in out[code_list.name].items() if k != "codes"}
            table["lists"] = [base.name]
            table |= {"codes": [dotted(c) for c in added]} if added else {}
            table |= {"remove": [dotted(c) for c in removed]} if removed else {}
            out[code_list.name] = table
    return out

# lists that items of other files use too (the same list of the law) go to lists.toml,
# which those files include; any other list is used only by its own file
from us_lists import SHARED
shared = [catalogue[name][1] for name in SHARED]
sharing = {stem for name, stems in SHARED.items() for stem in [*stems, catalogue[name][0]]}
file_lists = collections.defaultdict(list)
for name, (stem, code_list) in catalogue.items():
    if code_list not in shared:
        file_lists[stem].append(code_list)
print("shared:", [cl.name for cl in shared], "by", sorted(sharing))
(OUT / "lists.toml").write_text(
    "# Named lists that items of several files of the `us` dataset use; each file that uses\n"
    "# them includes this one.\n"
    + _toml.write({"format": "tradelaw/2", "name": "Named lists shared by the files of the us dataset",
                   "jurisdiction": "US", "zone": "America/New_York", "lists": tables(shared)}),
    encoding="utf-8",
)

total_before = total_after = 0
for path in sorted(SRC.glob("*.toml")):
    text = path.read_text(encoding="utf-8")
    total_before += text.count("\n")
    if path.name == "index.toml":
        new = text.replace('format = "tradelaw/1"', 'format = "tradelaw/2"')
        (OUT / path.name).write_text(new, encoding="utf-8")
        total_after += new.count("\n")
        continue
    header, items = blocks(text)
    schedule = load(path)
    comments = collections.OrderedDict()
    for lead_c, inner, body in items:
        data = tomllib.loads("\n".join(l for l in header if not l.lstrip().startswith("#")) + "\n" + body)
        ident = data["items"][0]["id"]
        seen = comments.setdefault(ident, [])
        for c in [*lead_c, *inner]:
            if c.strip() not in [x.strip() for x in seen]:
                seen.append(c)
    lists = file_lists.get(path.stem, [])
    c = _converter(schedule.zone)
    unstructured = [c.unstructure(i) for i in schedule.items]
    compact = _v2.compact_items(unstructured, [*lists, *(shared if path.stem in sharing else [])])
    head = {k: v for k, v in tomllib.loads("\n".join(l for l in header if not l.lstrip().startswith("#"))).items()}
    head["format"] = "tradelaw/2"
    out = [l for l in header if l.lstrip().startswith("#") or not l.strip()]
    while out and not out[-1].strip():
        out.pop()
    if path.stem in sharing:
        head["include"] = ["lists.toml"]
    body = _toml.write({k: v for k, v in head.items() if k != "items"} | ({"lists": tables(lists)} if lists else {})).rstrip("\n")
    parts = ["\n".join(out), body]
    for item in compact:
        cs = comments.get(item["id"], [])
        block = _toml.write({"items": [item]}).strip("\n")
        parts.append("\n".join([*cs, block]) if cs else block)
    new = "\n\n".join(p for p in parts if p) + "\n"
    (OUT / path.name).write_text(new, encoding="utf-8")
    total_after += new.count("\n")
    print(f"{path.name}: {text.count(chr(10))} -> {new.count(chr(10))} lines, {len(lists)} lists")
print("total", total_before, "->", total_after)
old = load(SRC / "index.toml")
new = load(OUT / "index.toml")
print("equal:", evolve(new, lists=(), tables=old.tables) == old)
