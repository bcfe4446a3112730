"""Markdown (the subset docs/ uses) and uxc's --help text, written as man(7)
roff. The man pages are made of these two sources only (mkman), so a page
cannot say what the docs or the program do not.
"""
import re
from dataclasses import dataclass, field


# ---- Text ----

def escape(text):
    """Plain text for roff: a backslash printed as one."""
    return text.replace("\\", "\\e")


def code(text):
    """Literal text, bold, its hyphens minus signs (as options are typed)."""
    return "\\fB" + escape(text).replace("-", "\\-") + "\\fR"


def guard_lines(text):
    """A line starting with . or ' would be a request: \\& makes it text."""
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in text.split("\n"))


_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|\[([^\]]+)\]\(([^)]+)\)",
                     re.S)


def inline(text):
    """Markdown inline markup: `code`, **bold**, *emphasis*, [text](link)."""
    out, last = [], 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[last:m.start()]))
        if m.group(1) is not None:
            out.append(code(m.group(1)))
        elif m.group(2) is not None:
            out.append("\\fB" + escape(m.group(2).replace("`", "")) + "\\fR")
        elif m.group(3) is not None:
            out.append("\\fI" + inline(m.group(3)) + "\\fR")
        else:
            out.append(inline(m.group(4)))
        last = m.end()
    out.append(escape(text[last:]))
    return guard_lines("".join(out))


def plain_heading(text):
    return re.sub(r"[`*]", "", text).strip()


def first_sentence(text, program=""):
    """The first sentence, for NAME: without its full stop, the program's
    name it starts with, and a capital."""
    sentence = re.split(r"(?<=\.)\s", text.strip(), maxsplit=1)[0].rstrip(".")
    sentence = sentence.removeprefix(program + " ") if program else sentence
    return sentence[0].lower() + sentence[1:] if sentence[:1].isupper() and sentence[1:2].islower() else sentence


# ---- Page parts ----

def title(name, section, version, manual):
    return (".\\\" Written by packaging/man/mkman from uxc's --help and docs/: edit those, not this.\n"
            f".TH \"{name}\" \"{section}\" \"\" \"uxc {version}\" \"{manual}\"")


def name_section(name, description):
    return f".SH NAME\n{escape(name)} \\- {inline(description)}"


def synopsis(lines):
    """Command lines, each its program in bold, kept as written."""
    out = [".nf"]
    for line in lines:
        words = line.strip().split(" ", 1)
        rest = " " + code_args(words[1]) if len(words) > 1 else ""
        out.append("\\fB" + escape(words[0]) + "\\fR" + rest)
    out.append(".fi")
    return "\n".join(out)


def code_args(text):
    return guard_lines(escape(text).replace("-", "\\-"))


def definitions(pairs):
    out = []
    for term, text in pairs:
        out.append(".TP\n\\fB" + escape(term) + "\\fR" + ("\n" + inline(text) if text else "\n"))
    return "\n".join(out)


def see_also(pages):
    names = []
    for page in pages:
        name, section = page[:-1].split("(")
        names.append(f"\\fB{escape(name)}\\fR({section})")
    return ".SH SEE ALSO\n" + ",\n".join(names)


def key_table(tsv):
    """`uxc config keys` as a definition list."""
    out = []
    for line in tsv.splitlines():
        pattern, kind, support, summary, reason = (line.split("\t") + [""] * 5)[:5]
        text = f"{kind}, {support}" + (f": {summary}" if summary else "")
        if reason:
            text += f". {reason[0].upper()}{reason[1:]}"
        out.append(".TP\n" + code(pattern) + "\n" + guard_lines(escape(text)))
    return "\n".join(out)


# ---- --help text ----

@dataclass
class HelpBlock:
    kind: str                      # "usage", "para" or "list"
    text: str = ""                 # para
    lines: list = field(default_factory=list)   # usage: the command lines
    title: str = ""                # list: "Options:", "Commands:", ...
    items: list = field(default_factory=list)   # list: (label, text)


def parse_help(text):
    """uxc's help layout (launcher/args FormatHelp) and the helpers': usage
    lines, paragraphs, and "Title:" lines over two-space-indented
    "label  text" items (an option with no short form is indented further)
    whose text may wrap onto deeper-indented lines."""
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif re.match(r"(?i)usage: ", line):
            block = HelpBlock("usage", lines=[line.split(":", 1)[1].strip()])
            i += 1
            while i < len(lines) and lines[i].startswith(" ") and lines[i].strip():
                block.lines.append(lines[i].strip())
                i += 1
            blocks.append(block)
        elif re.fullmatch(r"[A-Z][\w ]*:", line):
            block = HelpBlock("list", title=line)
            i += 1
            while i < len(lines) and lines[i].startswith("  "):
                if re.match(r"  \S| {2,6}-", lines[i]):
                    label, _, rest = lines[i].strip().partition("  ")
                    block.items.append([label, rest.strip()])
                else:
                    block.items[-1][1] = (block.items[-1][1] + " " + lines[i].strip()).strip()
                i += 1
            blocks.append(block)
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"(?i)usage: ", lines[i]):
                para.append(lines[i].strip())
                i += 1
            blocks.append(HelpBlock("para", text=" ".join(para)))
    return blocks


def help_blocks(blocks, with_titles=False):
    out = []
    for block in blocks:
        if block.kind == "para":
            out.append(".PP\n" + guard_lines(escape(block.text)))
        elif block.kind == "usage":
            lines = [code_args(line) for line in block.lines]
            out.append(".PP\n\\fBUsage:\\fR " + "\n.br\n".join(lines))
        else:
            if with_titles:
                out.append(".PP\n\\fB" + escape(block.title) + "\\fR")
            for label, text in block.items:
                out.append(".TP\n" + code(label) + "\n" + guard_lines(escape(text)))
    return "\n".join(out)


def command_section(heading, help_text):
    """One command of uxc(1): its --help, every word of it, under .SS."""
    return f".SS \"{escape(heading)}\"\n" + help_blocks(parse_help(help_text), with_titles=True)


# ---- Markdown ----

_HEADING = re.compile(r"(#{1,6}) (.*)")
_ITEM = re.compile(r"( *)(?:[-*]|(\d+)\.) (.*)")


def sections_of(text):
    """(level, heading, body) of every heading, in order."""
    found, current, fenced = [], None, False
    for line in text.split("\n"):
        fenced ^= line.startswith("```")
        m = _HEADING.fullmatch(line)
        if m and not fenced:
            current = [len(m.group(1)), m.group(2).strip(), []]
            found.append(current)
        elif current is not None:
            current[2].append(line)
    return [(level, heading, "\n".join(body)) for level, heading, body in found]


def intro(text):
    """What stands between the page's title and its first section."""
    lines = text.split("\n")
    body = []
    fenced = False
    for line in lines[1:]:
        fenced ^= line.startswith("```")
        if _HEADING.fullmatch(line) and not fenced:
            break
        body.append(line)
    return "\n".join(body)


def first_paragraph(text, heading):
    for _, name, body in sections_of(text):
        if name == heading:
            return body.strip().split("\n\n")[0]
    raise KeyError(f"no section {heading!r}")


def markdown(text, sections=None):
    """Markdown to roff: the whole text, or only the named sections (any
    level, in the document's order; ## becomes .SH, deeper .SS)."""
    if sections is None:
        return blocks_to_roff(text.split("\n"))
    wanted = set(sections)
    out = []
    for level, heading, body in sections_of(text):
        if heading not in wanted:
            continue
        wanted.discard(heading)
        name = plain_heading(heading)
        out.append(f".SH \"{escape(name.upper())}\"" if level <= 2 else f".SS \"{escape(name)}\"")
        out.append(blocks_to_roff(body.split("\n")))
    if wanted:
        raise KeyError(f"no section {sorted(wanted)}")
    return "\n".join(p for p in out if p)


def blocks_to_roff(lines, in_item=False):
    out, i = [], 0
    para_request = ".IP" if in_item else ".PP"
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            out.append(literal(lines[i + 1:end], para_request))
            i = end + 1
        elif line.startswith("    "):
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out.append(literal(block, para_request))
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            out.append(table(rows))
        elif _ITEM.fullmatch(line):
            end = list_end(lines, i)
            out.append(list_to_roff(lines[i:end], in_item))
            i = end
        else:
            para = []
            while (i < len(lines) and lines[i].strip() and not lines[i].startswith(("```", "|"))
                   and not _ITEM.fullmatch(lines[i])):
                para.append(lines[i].strip())
                i += 1
            out.append(para_request + "\n" + inline("\n".join(para)))
    return "\n".join(out)


def literal(lines, para_request):
    body = [guard_lines(escape(line).replace("-", "\\-")) for line in lines]
    return para_request + "\n.RS 4\n.nf\n" + "\n".join(body) + "\n.fi\n.RE"


def table(rows):
    """A markdown table as a definition list: the first column is the term;
    with more than two columns each cell is named by its header."""
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    header, body = cells[0], [r for r in cells[1:] if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    out = []
    for row in body:
        rest = row[1:]
        if len(header) > 2:
            text = "; ".join(f"{header[k + 1]}: {cell}" for k, cell in enumerate(rest) if k + 1 < len(header))
        else:
            text = " ".join(rest)
        out.append(".TP\n" + inline(row[0]) + "\n" + inline(text))
    return "\n".join(out)


def list_end(lines, start):
    """Where a list that starts at `start` ends: at a blank line followed by
    a line that is neither indented nor an item."""
    i = start + 1
    while i < len(lines):
        if not lines[i].strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j == len(lines) or not (lines[j].startswith(" ") or _ITEM.fullmatch(lines[j])):
                return i
            i = j
        elif _HEADING.fullmatch(lines[i]) or lines[i].startswith("```") and not lines[i].startswith(" "):
            return i
        else:
            i += 1
    return i


def list_to_roff(lines, nested):
    indent = len(_ITEM.fullmatch(lines[0]).group(1))
    items = []
    for line in lines:
        m = _ITEM.fullmatch(line)
        if m and len(m.group(1)) == indent:
            items.append((m.group(2), [m.group(3)]))
        else:
            # Continuation: strip the item's text indent (the marker's width).
            items[-1][1].append(line[indent + 2:] if line.startswith(" " * (indent + 2)) else line.strip())
    out = [".RS 2"] if nested else []
    for number, body in items:
        out.append(f".IP {number}. 4" if number else ".IP \\(bu 2")
        first_end = next((k for k, l in enumerate(body) if not l.strip() or _ITEM.fullmatch(l)
                          or l.startswith("    ")), len(body))
        out.append(inline("\n".join(l.strip() for l in body[:first_end])))
        rest = blocks_to_roff(body[first_end:], in_item=True)
        if rest:
            out.append(rest)
    if nested:
        out.append(".RE")
    return "\n".join(out)
