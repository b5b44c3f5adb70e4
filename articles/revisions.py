"""What changed between two revisions of an article, for editors to read.

Revisions themselves are kept by django-reversion (registered by the article admin, which
records every save with its user; the publish and unpublish actions add theirs). This
module only compares: the headline, the standfirst and the body (read as text, one line a
block: see _ReadableText), line by line and, within a changed line, word by word.
Everything is returned as plain text pieces; the template escapes them like any other
text.
"""

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# (field, label, whether it holds HTML): the headline and standfirst are plain text.
COMPARED_FIELDS = [
    ("title", "Headline", False),
    ("standfirst", "Standfirst", False),
    ("body", "Body", True),
]

_WORDS = re.compile(r"<[^>]*>|\s+|\w+|[^\w\s]")
# Below this likeness, an old and a new line are shown removed and added, not as an edit.
_EDITED_LINE_LIKENESS = 0.5


@dataclass
class Piece:
    """A run of text: unchanged, removed ("del") or added ("ins")."""

    text: str
    change: str = ""


@dataclass
class Line:
    """One line of the comparison: "same", "del" (only in the old), "ins" (only in the
    new) or "changed" (both, with the words that differ marked in `pieces`)."""

    kind: str
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class FieldChange:
    name: str
    label: str
    changed: bool
    lines: list[Line]


class _ReadableText(HTMLParser):
    """The body as an editor reads it: one line a paragraph, heading, list item, quote or
    caption, marked as in plain-text email ("## " a heading, "• " an item, "> " a quote),
    a link's address after its text and an image as its alt text and address. The markup
    the editor rewrites without changing anything (a list item's paragraph, whitespace in
    the source) makes no difference here."""

    HEADINGS = {
        "h1": "# ",
        "h2": "## ",
        "h3": "### ",
        "h4": "#### ",
        "h5": "##### ",
        "h6": "###### ",
    }
    BLOCKS = {"p", "li", "blockquote", "figure", "figcaption", "pre", "tr", "dt", "dd", "caption"}
    BLOCKS |= set(HEADINGS) | {"ul", "ol", "table", "dl"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.current = ""
        self.prefix = ""
        self.quote_depth = 0
        self.lists = []  # for each open list, the next item's number (None: bulleted)
        self.links = []

    def _flush(self):
        text = " ".join(self.current.split())
        if text:
            self.lines.append("> " * self.quote_depth + self.prefix + text)
        self.current = ""
        self.prefix = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.BLOCKS:
            if tag == "p" and self.prefix and not self.current.strip():
                return  # a list item's own paragraph: the item's line goes on
            self._flush()
        if tag in self.HEADINGS:
            self.prefix = self.HEADINGS[tag]
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            if number is None:
                self.prefix = "• "
            else:
                self.prefix = f"{number}. "
                self.lists[-1] = number + 1
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "ol":
            start = attributes.get("start") or "1"
            self.lists.append(int(start) if start.isdigit() else 1)
        elif tag == "blockquote":
            self.quote_depth += 1
        elif tag == "figcaption":
            self.prefix = "Caption: "
        elif tag == "a":
            self.links.append(attributes.get("href") or "")
        elif tag == "img":
            self._flush()
            alt = attributes.get("alt") or ""
            self.lines.append(
                "> " * self.quote_depth + f"[Image: {alt}] {attributes.get('src', '')}"
            )
        elif tag == "br":
            self._flush()
        elif tag == "hr":
            self._flush()
            self.lines.append("———")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.current += f" ({href})"
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self._flush()
        if tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1

    def handle_data(self, data):
        self.current += data

    def close(self):
        super().close()
        self._flush()


def block_lines(text):
    """The text as lines to compare: an article body (HTML) as an editor reads it."""
    reader = _ReadableText()
    reader.feed(text or "")
    reader.close()
    return reader.lines


def _word_diff(old, new):
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(old_words[i1:i2]), "del"))
        if j2 > j1:
            pieces.append(Piece("".join(new_words[j1:j2]), "ins"))
    return pieces


def plain_lines(text):
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def compare_text(old, new, *, html=False):
    """The lines of `old` and `new` as one comparison (of HTML, as read by block_lines)."""
    lines_of = block_lines if html else plain_lines
    old_lines, new_lines = lines_of(old), lines_of(new)
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(Line("same", [Piece(text)]) for text in old_lines[i1:i2])
        else:
            lines.extend(_replaced(old_lines[i1:i2], new_lines[j1:j2]))
    return lines


def _replaced(old_lines, new_lines):
    """Lines replaced by others: each old line with the new one in its place, as an edit
    (the words that changed marked) when the two are alike, else removed and added."""
    lines = []
    for before, after in zip(old_lines, new_lines, strict=False):
        likeness = difflib.SequenceMatcher(a=before, b=after, autojunk=False).ratio()
        if likeness >= _EDITED_LINE_LIKENESS:
            lines.append(Line("changed", _word_diff(before, after)))
        else:
            lines.append(Line("del", [Piece(before, "del")]))
            lines.append(Line("ins", [Piece(after, "ins")]))
    shared = min(len(old_lines), len(new_lines))
    lines.extend(Line("del", [Piece(text, "del")]) for text in old_lines[shared:])
    lines.extend(Line("ins", [Piece(text, "ins")]) for text in new_lines[shared:])
    return lines


def compare_versions(old_fields, new_fields):
    """The headline, standfirst and body of two revisions (their `field_dict`s) compared."""
    changes = []
    for name, label, html in COMPARED_FIELDS:
        old, new = old_fields.get(name) or "", new_fields.get(name) or ""
        lines = compare_text(old, new, html=html)
        changes.append(FieldChange(name, label, old != new, lines))
    return changes
