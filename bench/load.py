"""HTTP load with wrk, and the one reader's visit that a comment-posting run starts from."""

import http.client
import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

LUA_DIR = Path(__file__).resolve().parent / "wrk"
# A stored comment redirects back to the article; a refused one too, but to ?unposted=,
# which post_comments.lua counts as "303 refused".
ACCEPTED_STATUSES = {"302", "303"}
N = "__BENCH_N__"  # replaced by wrk with a number unique to each request


class NoCommentForm(RuntimeError):
    """The article page has no comment form to post to."""


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: `apt-get install -y wrk` (make bench does it)")
    return found


def cpu_times() -> tuple[int, int, int]:
    """Machine-wide CPU ticks from /proc/stat: (all, idle including I/O wait, stolen)."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return sum(ticks), ticks[3] + ticks[4], ticks[7] if len(ticks) > 7 else 0


def run_wrk(
    url, *, connections, duration, headers=None, script="report.lua", script_args=(), env=None
):
    """One wrk run, bounded by `duration` seconds; wrk's figures as a dict."""
    command = [
        wrk_binary(),
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=5s",
        f"--script={LUA_DIR / script}",
    ]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    command += [url, "--", *script_args]
    cpu_before = cpu_times()
    finished = subprocess.run(  # noqa: S603 - wrk from PATH, our arguments
        command,
        capture_output=True,
        text=True,
        timeout=duration + 30,
        env={**os.environ, "BENCH_LUA_DIR": str(LUA_DIR), **(env or {})},
        check=True,
    )
    for line in finished.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            break
    else:
        raise RuntimeError(f"wrk printed no figures:\n{finished.stdout}\n{finished.stderr}")
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    total, idle, stolen = (
        after - before for after, before in zip(cpu_times(), cpu_before, strict=True)
    )
    return {
        "connections": connections,
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(raw["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 2),
        "max_ms": round(raw["latency_us"]["max"] / 1000, 2),
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
        # wrk counts an answer of 400 or above as a status error.
        "errors": sum(errors.values()),
        "error_detail": errors,
        "statuses": raw.get("statuses"),
        "seconds": round(seconds, 2),
        # On a virtual machine the host may run others on "our" cores: stolen time makes
        # every figure of the run lower, the ratios less so.
        "cpu_busy_pct": round(100 * (total - idle) / total, 1) if total else None,
        "cpu_steal_pct": round(100 * stolen / total, 1) if total else None,
    }


def fetch(base_url, path, headers=None):
    """One GET: status, headers and body, so a run never measures a redirect or an error."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class FormFinder(HTMLParser):
    """The fields of the comment form: the first form inside (or being) the #respond element."""

    def __init__(self):
        super().__init__()
        self.open_in_respond = 0  # elements open inside #respond, itself included
        self.in_form = False
        self.action = None
        self.fields = []  # (name, type, value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.open_in_respond and attrs.get("id") != "respond":
            return
        if tag not in VOID_TAGS:
            self.open_in_respond += 1
        if tag == "form" and self.action is None:
            self.in_form = True
            # A browser never sends the fragment (#respond) it will scroll to.
            self.action = urldefrag(attrs.get("action") or "")[0]
        elif self.in_form and tag in {"input", "button"} and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            self.fields.append((attrs["name"], kind, attrs.get("value") or ""))
        elif self.in_form and tag == "textarea" and attrs.get("name"):
            self.fields.append((attrs["name"], "textarea", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not self.open_in_respond or tag in VOID_TAGS:
            return
        if tag == "form":
            self.in_form = False
        self.open_in_respond -= 1


def parse_comment_form(html: str):
    """The comment form at #respond: (action, [(name, type, value), ...])."""
    finder = FormFinder()
    finder.feed(html)
    if finder.action is None:
        raise NoCommentForm("no comment form at #respond")
    return finder.action, finder.fields


def fill_comment_form(fields, marker: str) -> str:
    """The urlencoded form a reader sends, with __BENCH_N__ where each request differs.

    Hidden fields (csrf token, signed timestamp) keep their values; the name, email and
    comment are filled in; anything else (the honeypot, the website) stays empty, as a
    person leaves it.
    """
    values = []
    pressed = False
    for name, kind, value in fields:
        lowered = name.lower()
        if kind == "hidden":
            values.append((name, value))
        elif kind == "textarea":
            body = (
                f"Comment {N} from the load test ({marker}). The depot sale needs a proper "
                "public debate before the March vote, not a line in an appendix."
            )
            values.append((name, body))
        elif kind in {"text", "email"} and "email" in lowered:
            values.append((name, f"reader-{N}@bench.example"))
        elif kind == "text" and "name" in lowered:
            values.append((name, f"Bench Reader {N}"))
        elif kind == "submit" and not pressed:
            # Only the button pressed is sent: Post Comment, the first (Preview follows).
            values.append((name, value))
            pressed = True
    # urlencode leaves the placeholder's underscores as they are.
    return urlencode(values)


def comment_form(base_url, article_path, headers, marker):
    """What one reader's browser holds after reading an article: cookie, form, fields.

    Returns (action path, urlencoded body with __BENCH_N__ placeholders, headers).
    """
    status, response_headers, body = fetch(base_url, article_path, headers)
    if status != 200:
        raise RuntimeError(f"GET {article_path} answered {status}")
    action, fields = parse_comment_form(body.decode())
    cookie = SimpleCookie()
    for name, value in response_headers:
        if name.lower() == "set-cookie":
            cookie.load(value)
    # Anonymous readers' pages set no cookie (their posts are checked by Origin).
    post_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        post_headers["Cookie"] = "; ".join(f"{name}={kept.value}" for name, kept in cookie.items())
    action = urljoin(article_path, action or article_path)
    return action, fill_comment_form(fields, marker), post_headers


def run_comment_posts(base_url, article_path, *, connections, duration, headers, marker):
    """wrk posting unique comments from one reader's session; counts by status code.

    Also returns the ids of the comments whose posting was answered with a redirect to
    them ("accepted_ids"), so that the caller can check each of them was stored.
    """
    action, form_body, post_headers = comment_form(base_url, article_path, headers, marker)
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-post-") as scratch:
        ids_file = Path(scratch, "accepted-ids")
        body_file = Path(scratch, "body")
        body_file.write_text(form_body)
        headers_file = Path(scratch, "headers")
        headers_file.write_text("".join(f"{k}: {v}\n" for k, v in post_headers.items()))
        figures = run_wrk(
            base_url + action,
            connections=connections,
            duration=duration,
            script="post_comments.lua",
            script_args=[action, str(body_file), str(headers_file)],
            env={"BENCH_ACCEPTED_IDS_FILE": str(ids_file)},
        )
        accepted_ids = [int(line) for line in ids_file.read_text().split()]
    statuses = figures["statuses"] or {}
    accepted = sum(count for code, count in statuses.items() if code in ACCEPTED_STATUSES)
    figures["accepted"] = accepted
    figures["accepted_ids"] = accepted_ids
    figures["accepted_per_s"] = round(accepted / figures["seconds"], 1)
    figures["failed"] = figures["requests"] - accepted
    return figures
