"""Convert the `us` dataset from tradelaw/1 to tradelaw/2, keeping its comments (draft, issue 12).

Run: ``.venv/bin/python notes/us-research/tools/us_to_v2.py OUT_FOLDER``. It writes a copy of
the dataset in tradelaw/2 and checks that it loads into the same items. State (1 Dec 2026):
the copy is equal item for item (14,779 -> 13,895 lines), but its named lists are named
mechanically (the first `U.S. note` a citation names, then the item id) and are per file;
before the rewrite lands, name each list as the law does and share lists across files.
"""
import re, shutil, sys, tomllib, collections
from pathlib import Path
from attrs import evolve
from tradelaw import load, Measure
from tradelaw.io import _converter, _toml, _v2
from tradelaw.scope import CodeList

SRC = Path("/work/main/src/tradelaw/datasets/us")
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
    # named lists: goods sets used by several versions or items
    uses = collections.defaultdict(list)
    for it in schedule.items:
        for codes in (it.goods.prefixes, it.goods.exclude):
            if len(codes) >= MIN_CODES:
                uses[codes].append(it)
    lists = []
    taken = set()
    for codes, users in sorted(uses.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        if len(users) < MIN_USES:
            continue
        name = list_name(users, codes, taken)
        n = 2
        while name in taken:
            name = f"{list_name(users, codes, taken)}-{n}"
            n += 1
        taken.add(name)
        title = users[0].title
        cite = next((c for it in users for c in it.citations if "note" in c), users[0].citations[0] if users[0].citations else "")
        lists.append(CodeList(name, codes, citation=cite, title=f"goods of: {', '.join(dict.fromkeys(u.id for u in users))}"))
    c = _converter(schedule.zone)
    unstructured = [c.unstructure(i) for i in schedule.items]
    compact = _v2.compact_items(unstructured, lists)
    head = {k: v for k, v in tomllib.loads("\n".join(l for l in header if not l.lstrip().startswith("#"))).items()}
    head["format"] = "tradelaw/2"
    out = [l for l in header if l.lstrip().startswith("#") or not l.strip()]
    while out and not out[-1].strip():
        out.pop()
    body = _toml.write({k: v for k, v in head.items() if k != "items"} | ({"lists": _v2.list_tables(lists)} if lists else {})).rstrip("\n")
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
