"""WordPress eXtended RSS (WXR 1.0–1.2): what writing it needs (namespaces, CDATA, our
post meta), shared by the exporter and the importer, and reading it as a stream of plain
records.

Hostile XML is refused before anything is read from the document: defusedxml parses the
prolog, where a DTD with entity declarations (billion laughs, external entities) would
have to be, and refuses any entity declaration or external reference. The document
itself is then streamed with the stdlib's C pull parser (defusedxml's own parser is pure
Python, and slower for it, which matters for exports of hundreds of MB): with no
declarations, an entity reference in the body can only be an "undefined entity" error.
Every top-level element is cleared once turned into a record, and no field may grow past
its limit while it is read, so memory stays flat whatever the file holds.
"""

import contextlib
import re
import xml.etree.ElementTree as ET  # noqa: S405 -- the prolog is checked by defusedxml first
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.parsers import expat  # noqa: S410 -- only to find a line again, after the checks

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

# WXR 1.0 to 1.2 put WordPress fields in a versioned namespace (http or https); the
# reader speaks of them by their usual prefixes whatever the version.
_NAMESPACE_PREFIXES = [
    (re.compile(r"wordpress\.org/export/1\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"wordpress\.org/export/1\.\d+/?$"), "wp"),
    (re.compile(r"purl\.org/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"purl\.org/dc/elements/1\.1/?$"), "dc"),
    (re.compile(r"wellformedweb\.org/CommentAPI/?$"), "wfw"),
]

# The namespaces a WXR 1.2 file declares, as WordPress writes them (what exports write).
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
# Post meta of our own export: the whole byline, where WordPress keeps one author per post.
BYLINES_META_KEY = "_newsroom_bylines"

# Characters XML 1.0 cannot carry at all, even in CDATA.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text):
    """Text as CDATA; a "]]>" inside is split across two sections, as WordPress does."""
    text = NOT_XML.sub("", text or "")
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_start_tag():
    """The <rss> start tag of a WXR 1.2 file, declaring its namespaces."""
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    return f'<rss version="2.0" {declarations}>'


class WxrError(Exception):
    """The file cannot be imported: not XML, hostile XML, or not a WordPress export."""


class FieldLimit(NamedTuple):
    """The most characters a field may hold, and how to speak of it in an error."""

    max_length: int
    what: str  # "the text", "the excerpt"
    why: str = ""  # "the comment form's limit"


# Any field of the file, named or not: what memory a field may take while it is read.
FIELD_MAX_LENGTH = 1_000_000
# The most bytes one character can take in the file ("&#x10FFFF;"). A field still open
# after max_length × this many bytes is too long whatever it holds, and is refused then,
# before the rest of it is read.
MAX_BYTES_PER_CHARACTER = 10
CHUNK_SIZE = 64 * 1024


@dataclass
class WxrAuthor:
    login: str
    # WordPress's user id (0 when the export leaves it out): `/?author=<id>` links.
    wordpress_id: int = 0
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    # Which element of the file this record is (see line_of()).
    position: int = 0


@dataclass
class WxrTerm:
    """A category (taxonomy "category") or tag ("post_tag") declared in the channel."""

    taxonomy: str
    slug: str
    name: str
    description: str = ""
    # WordPress's term id (0 when the export leaves it out): `/?cat=<id>` links.
    wordpress_id: int = 0
    # The parent category's slug ("" at the top): /category/<parent>/<child>/ links.
    parent: str = ""
    position: int = 0


@dataclass
class WxrComment:
    id: int
    parent_id: int
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str


@dataclass
class WxrItem:
    post_id: int
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    password: str = ""
    # "1" for a sticky post, which WordPress keeps at the top of the front page.
    is_sticky: str = "0"
    comment_status: str = "open"
    # An attachment's file, where the old site served it.
    attachment_url: str = ""
    # The post id of a page's parent page (0: none).
    parent_id: int = 0
    # (taxonomy, slug, name) in document order.
    terms: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    # wp:postmeta key -> value
    meta: dict = field(default_factory=dict)
    position: int = 0


_prefix_cache = {}


def _name(tag):
    """'{https://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    try:
        return _prefix_cache[tag]
    except KeyError:
        pass
    uri, local = tag[1:].split("}", 1)
    prefix = next((p for pattern, p in _NAMESPACE_PREFIXES if pattern.search(uri)), uri)
    _prefix_cache[tag] = name = f"{prefix}:{local}"
    return name


def _texts(element):
    """Each child's text by its prefixed name (first occurrence wins)."""
    texts = {}
    for child in element:
        texts.setdefault(_name(child.tag), (child.text or "").strip())
    return texts


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _author(element):
    t = _texts(element)
    return WxrAuthor(
        login=t.get("wp:author_login", ""),
        wordpress_id=_int(t.get("wp:author_id")),
        email=t.get("wp:author_email", ""),
        display_name=t.get("wp:author_display_name", ""),
        first_name=t.get("wp:author_first_name", ""),
        last_name=t.get("wp:author_last_name", ""),
    )


def _category(element):
    t = _texts(element)
    return WxrTerm(
        taxonomy="category",
        slug=t.get("wp:category_nicename", ""),
        name=t.get("wp:cat_name", ""),
        description=t.get("wp:category_description", ""),
        wordpress_id=_int(t.get("wp:term_id")),
        parent=t.get("wp:category_parent", ""),
    )


def _tag(element):
    t = _texts(element)
    return WxrTerm(
        taxonomy="post_tag",
        slug=t.get("wp:tag_slug", ""),
        name=t.get("wp:tag_name", ""),
        description=t.get("wp:tag_description", ""),
        wordpress_id=_int(t.get("wp:term_id")),
    )


def _term(element):
    t = _texts(element)
    return WxrTerm(
        taxonomy=t.get("wp:term_taxonomy", ""),
        slug=t.get("wp:term_slug", ""),
        name=t.get("wp:term_name", ""),
        description=t.get("wp:term_description", ""),
        wordpress_id=_int(t.get("wp:term_id")),
        parent=t.get("wp:term_parent", ""),
    )


_COMMENT_FIELDS = {
    "wp:comment_id": "id",
    "wp:comment_parent": "parent_id",
    "wp:comment_author": "author",
    "wp:comment_author_email": "author_email",
    "wp:comment_author_url": "author_url",
    "wp:comment_author_IP": "author_ip",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_approved": "approved",
    "wp:comment_type": "type",
}


def _comment(element):
    fields = dict.fromkeys(_COMMENT_FIELDS.values(), "")
    content = ""
    for child in element:
        name = _name(child.tag)
        if name == "wp:comment_content":
            # Content keeps its whitespace: the commenter's line breaks are paragraphs.
            content = child.text or ""
        elif name in _COMMENT_FIELDS:
            fields[_COMMENT_FIELDS[name]] = (child.text or "").strip()
    fields["id"] = _int(fields["id"])
    fields["parent_id"] = _int(fields["parent_id"])
    return WxrComment(content=content, **fields)


def _item(element):
    item = WxrItem(post_id=0, post_type="", status="")
    simple = {
        "title": "title",
        "link": "link",
        "guid": "guid",
        "dc:creator": "creator",
        "wp:post_id": "post_id",
        "wp:post_type": "post_type",
        "wp:status": "status",
        "wp:post_date": "post_date",
        "wp:post_date_gmt": "post_date_gmt",
        "wp:post_name": "post_name",
        "wp:post_password": "password",
        "wp:is_sticky": "is_sticky",
        "wp:comment_status": "comment_status",
        "wp:attachment_url": "attachment_url",
        "wp:post_parent": "parent_id",
    }
    for child in element:
        name = _name(child.tag)
        if name in simple:
            setattr(item, simple[name], (child.text or "").strip())
        elif name == "content:encoded":
            item.content = child.text or ""
        elif name == "excerpt:encoded":
            item.excerpt = child.text or ""
        elif name == "category":
            item.terms.append(
                (child.get("domain", "category"), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:comment":
            item.comments.append(_comment(child))
        elif name == "wp:postmeta":
            meta = _texts(child)
            item.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
    item.post_id = _int(item.post_id)
    item.parent_id = _int(item.parent_id)
    return item


_READERS = {
    "wp:author": _author,
    "wp:category": _category,
    "wp:tag": _tag,
    "wp:term": _term,
    "item": _item,
}


@contextlib.contextmanager
def _opened(source):
    if hasattr(source, "read"):
        source.seek(0)
        yield source
    else:
        with open(source, "rb") as stream:
            yield stream


def line_of(source, position):
    """The line on which the file's `position`-th element (from 1, in document order)
    starts: for errors, so only then is the file read again, up to there."""
    parser = expat.ParserCreate()  # noqa: S314 -- read_wxr() has checked the file

    class Found(Exception):
        pass

    def start(name, attributes):
        nonlocal position
        position -= 1
        if position == 0:
            raise Found(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    with _opened(source) as stream:
        try:
            while chunk := stream.read(CHUNK_SIZE):
                parser.Parse(chunk, False)
        except Found as found:
            return found.args[0]
        except expat.ExpatError:
            pass
    return None


def describe(record, comment, element):
    """What `element` (open, or just read) belongs to, in an operator's words: an item,
    a comment on one, or one of the channel's authors, categories and tags (`record`,
    the channel's child it is in, and `comment`, the last comment started in it)."""
    top = record if record is not None else element
    name = _name(top.tag)
    if name != "item":
        login = _texts(top).get("wp:author_login") if name == "wp:author" else None
        return f"the author “{login}”" if login else f"<{name}>"
    texts = _texts(record)
    title = texts.get("title", "")
    if len(title) > 60:
        title = title[:59] + "…"
    subject = f"the item “{title}”" if title else "an untitled item"
    if texts.get("wp:post_id"):
        subject += f" (post id {texts['wp:post_id']})"
    if comment is not None and any(child is element for child in comment):
        comment_id = _texts(comment).get("wp:comment_id")
        subject = f"comment {comment_id or '(no id)'} on {subject}"
    return subject


def _too_long(source, record, comment, element, position, limit):
    what = limit.what if limit.what != "the field" else f"the <{_name(element.tag)}> field"
    why = f", {limit.why}" if limit.why else ""
    subject = describe(record, comment, element)
    return WxrError(
        f"Line {line_of(source, position)}: {what} of {subject} is longer than "
        f"{limit.max_length:,} characters{why}."
    )


def read_wxr(source, *, field_limits=None):
    """Yield WxrAuthor, WxrTerm and WxrItem records from a WXR file, in document order.

    `source` is a path or a seekable binary file object. `field_limits` maps fields (by
    prefixed name, "wp:comment_content") to a FieldLimit; every other field may hold up
    to FIELD_MAX_LENGTH characters. Raises WxrError, naming the line, for malformed XML,
    a field over its limit (as soon as it is read that far), when the file is hostile,
    or when it is not a WordPress export.
    """
    field_limits = field_limits or {}
    default_limit = FieldLimit(FIELD_MAX_LENGTH, "the field")
    limits = {}  # by tag, as the parser gives it
    depth = 0
    channel = None
    seen_wordpress_fields = False
    # Elements started so far: the count at an element's start tag is its position, which
    # line_of() finds again; the record's (the channel's child) is kept for the importer.
    started = record_position = 0
    record_element = comment = None
    try:
        with _opened(source) as stream:
            # Up to the root element's start tag: everything a DTD could declare.
            for _ in iterparse(
                stream, events=("start",), forbid_entities=True, forbid_external=True
            ):
                break
            stream.seek(0)
            parser = ET.XMLPullParser(events=("start", "end"))  # noqa: S314
            fed = 0
            # What is read since the last event is the text of one element (or between
            # two): where that began (to a chunk), and the limit it is under.
            text_since, text_limit = 0, default_limit
            text_element, text_position = None, 0
            while True:
                chunk = stream.read(CHUNK_SIZE)
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                for event, element in parser.read_events():
                    text_since = fed
                    if event == "start":
                        depth += 1
                        started += 1
                        text_limit = limits.get(element.tag)
                        if text_limit is None:
                            text_limit = field_limits.get(_name(element.tag), default_limit)
                            limits[element.tag] = text_limit
                        text_element, text_position = element, started
                        if depth == 1 and element.tag != "rss":
                            raise WxrError(
                                f"This is not a WordPress export: the document is "
                                f"<{element.tag}>, not <rss>."
                            )
                        if depth == 2:
                            channel = element
                        elif depth == 3:
                            record_element, record_position, comment = element, started, None
                        elif depth == 4 and _name(element.tag) == "wp:comment":
                            comment = element
                        continue
                    depth -= 1
                    text = element.text
                    if text is not None and len(text) > limits[element.tag].max_length:
                        raise _too_long(
                            source,
                            record_element,
                            comment,
                            element,
                            text_position,
                            limits[element.tag],
                        )
                    text_limit = default_limit
                    if depth != 2:
                        continue
                    name = _name(element.tag)
                    if name.startswith("wp:"):
                        seen_wordpress_fields = True
                    reader = _READERS.get(name)
                    if reader is not None:
                        record = reader(element)
                        record.position = record_position
                        if name == "item" and record.post_type:
                            seen_wordpress_fields = True
                        yield record
                    # Everything before this element is done with: drop it to keep memory
                    # flat.
                    channel.clear()
                if not chunk:
                    break
                fed += len(chunk)
                if fed - text_since > text_limit.max_length * MAX_BYTES_PER_CHARACTER + CHUNK_SIZE:
                    raise _too_long(
                        source, record_element, comment, text_element, text_position, text_limit
                    )
    except ET.ParseError as error:
        line, column = error.position
        reason = re.sub(r":? line \d+, column \d+$", "", str(error))
        raise WxrError(
            f"The file is not well-formed XML: {reason} at line {line}, column {column}."
        ) from error
    except EntitiesForbidden as error:
        raise WxrError(
            f"The file declares the XML entity {error.name!r}. Entity declarations are "
            "refused (they are how entity-expansion bombs and external-entity attacks work); "
            "a genuine WordPress export never has them."
        ) from error
    except ExternalReferenceForbidden as error:
        raise WxrError(
            f"The file refers to an external resource ({error.sysid or error.pubid}); "
            "external references are refused."
        ) from error
    except DefusedXmlException as error:
        raise WxrError(f"The file uses a refused XML feature: {error}.") from error
    if not seen_wordpress_fields:
        raise WxrError("This is not a WordPress export: no WordPress (wp:) fields were found.")
