"""The hostile walk: every URL pattern of the resolver, as every role, with hostile values in
every path segment, every query parameter and every form field the view reads.

Nothing here is a hand list of URLs or fields. Patterns come from the resolver (a view added
later is walked without anyone remembering it). The parameters and fields of a view are the keys
it reads from request.GET / request.POST / request.FILES during a plain request (recorded while
the request runs), so a new form field is walked as soon as the view reads it.
"""

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.datastructures import MultiValueDict

# Raw bytes for a path segment (percent-encoded when the URL is built). Those the segment's
# converter accepts reach the view, each; of those refused before any view (by the edge guard,
# or by the converter: the resolver's 404) the first of each kind (Walker.path_values_for).
PATH_VALUES = [
    b"a\x00b",
    b"abc",
    b"99999999999999999999",
    "测".encode() * 300,  # 900 bytes of CJK
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    "\u202e\u0301🙂\ufeff".encode(),
]
# Values of a query parameter or form field, one field at a time (the others valid).
FIELD_VALUES = ["abc", "99999999999999999999"]
# Refused by the edge guard (common.middleware) before any view, form or session lookup sees
# them, whichever field carries them: sent once per URL, method and role, in the first field.
EDGE_FIELD_VALUES = ["a\x00b"]
# Values given to every field at once (a form cleans each field on its own).
ALL_FIELD_VALUES = [
    "999999999999.99999",
    "x" * 20000,
    "测" * 300,
    "1e309",
    "-1",
    "\u202e\u0301🙂\ufeff",
]
# Raw, not-UTF-8 bytes in a query string or urlencoded body (the edge guard's too: once).
UNDECODABLE = [b"%ED%A0%80"]


@dataclass(frozen=True)
class Pattern:
    """One leaf of the resolver: its routes from the root, converters and full name."""

    parts: tuple  # (RoutePattern | RegexPattern, ...) from the root down
    name: str | None
    params: tuple  # ((name, converter-or-None), ...)

    @property
    def label(self) -> str:
        return "".join(str(part) for part in self.parts)


def url_patterns(resolver: URLResolver | None = None, parts=(), prefix="") -> list[Pattern]:
    """Every leaf pattern of the URLconf, with admin and every include."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        chain = (*parts, entry.pattern)
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found.extend(url_patterns(entry, chain, namespace))
        elif isinstance(entry, URLPattern):
            params = []
            for part in chain:
                if isinstance(part, RoutePattern):
                    params.extend(part.converters.items())
                elif isinstance(part, RegexPattern):
                    params.extend((name, None) for name in part.regex.groupindex)
            name = f"{prefix}{entry.name}" if entry.name else None
            found.append(Pattern(parts=chain, name=name, params=tuple(params)))
    return found


def build_url(pattern: Pattern, values: dict[str, bytes]) -> str:
    """The pattern's URL with each parameter set to the (raw, then percent-encoded) value."""
    url = "/"
    for part in pattern.parts:
        text = str(part)
        if isinstance(part, RoutePattern):
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values[m[1]], safe=""), text)
        else:
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: quote(values[m[1]], safe=""), text)
            text = text.lstrip("^").rstrip("$").replace("\\", "")
        url += text
    return url


@dataclass
class Reads:
    query: set = field(default_factory=set)
    form: set = field(default_factory=set)
    files: set = field(default_factory=set)


class _RecordingQueryDict(QueryDict):
    kind = ""

    def _note(self, key):
        if RECORDER.reads is not None:
            getattr(RECORDER.reads, self.kind).add(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


class _RecordingGet(_RecordingQueryDict):
    kind = "query"


class _RecordingPost(_RecordingQueryDict):
    kind = "form"


class _RecordingFiles(MultiValueDict):
    def get(self, key, default=None):
        if RECORDER.reads is not None:
            RECORDER.reads.files.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        if RECORDER.reads is not None:
            RECORDER.reads.files.add(key)
        return super().getlist(key, default)


class _Recorder:
    reads: Reads | None = None


RECORDER = _Recorder()


class RecordingMiddleware:
    """Test-only, first in MIDDLEWARE: the request's GET, POST and FILES record what is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if RECORDER.reads is not None:
            request.GET.__class__ = _RecordingGet
            if request.method == "POST":
                request.POST.__class__ = _RecordingPost
                request.FILES.__class__ = _RecordingFiles
        return self.get_response(request)


@contextmanager
def recording_reads():
    """Records every key a view reads from request.GET, request.POST and request.FILES."""
    RECORDER.reads = Reads()
    try:
        yield RECORDER.reads
    finally:
        RECORDER.reads = None


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 hostile walk", content_type="application/pdf")


def hostile_uploads() -> list[SimpleUploadedFile]:
    return [
        upload("测" * 100 + ".pdf"),  # 300+ bytes: longer than a file system allows
        upload("a" * 250 + ".pdf"),
        upload("../../etc/passwd.pdf"),
        upload("🙂\u202e.pdf"),
        SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
        SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream"),
    ]


def is_logout(response) -> bool:
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie is not None and cookie.value == ""


@dataclass
class WalkResult:
    exercised: set = field(default_factory=set)  # pattern labels requested and resolved
    failures: list = field(default_factory=list)
    requests: int = 0


class Walker:
    """Sends the hostile requests; `valid` gives good values for names the walk meets."""

    def __init__(
        self, clients: dict, path_values: dict, field_values: dict, after=None, roles=None
    ):
        self.after = after or (lambda: None)  # restores what a pattern's requests changed
        self.clients = clients  # role -> (Client, user or None)
        # pattern -> the roles that walk it (default: every role)
        self.roles = roles or (lambda pattern: list(self.clients))
        self.path_values = path_values  # path parameter name -> a valid raw value
        self.field_values = field_values  # (method, key) -> a valid value
        self.result = WalkResult()
        self.timings = []
        self.progress = False

    # --- sending ---------------------------------------------------------------------------

    def send(self, role, method, url, data=None, raw=None):
        client, user = self.clients[role]
        self.result.requests += 1
        try:
            with transaction.atomic():  # a database error must not poison the later requests
                response = self._request(client, method, url, data, raw)
        except Exception as error:
            self.result.failures.append(f"{role} {method} {url[:120]}: {error!r}"[:400])
            return None
        if response.status_code >= 500:
            self.result.failures.append(f"{role} {method} {url[:120]} {str(data)[:120]}: 500")
        if is_logout(response) and user is not None:
            client.force_login(user)
        return response

    @staticmethod
    def _request(client, method, url, data, raw):
        if raw is not None:
            return client.generic(
                "POST", url, raw, content_type="application/x-www-form-urlencoded"
            )
        return getattr(client, method)(url, data or {})

    @staticmethod
    def resolves_to(url: str, pattern: Pattern) -> bool:
        match = resolve(url)
        name = ":".join([*match.namespaces, match.url_name]) if match.url_name else None
        if pattern.name is not None:
            return name == pattern.name
        return match.route == "".join(str(p) for p in pattern.parts)

    # --- the walk ------------------------------------------------------------------------------

    def valid_path(self, pattern: Pattern) -> dict[str, bytes]:
        values = {}
        for name, converter in pattern.params:
            default = "1" if converter is not None and converter.regex == "[0-9]+" else "x"
            values[name] = str(self.path_values.get(name, default)).encode()
        return values

    def discover(self, role, url) -> Reads:
        """The keys the view reads as this role: a GET, a POST, and a POST with those keys."""
        with recording_reads() as reads:
            self.send(role, "get", url)
            self.send(role, "post", url)
            if reads.form:
                self.send(role, "post", url, self._base("post", reads.form))
        return reads

    def walk(self, patterns: list[Pattern]):
        for pattern in patterns:
            valid = self.valid_path(pattern)
            url = build_url(pattern, valid)
            if not self.resolves_to(url, pattern):
                self.result.failures.append(f"no URL could be built for {pattern.label}")
                continue
            self.result.exercised.add(pattern.label)
            started = time.monotonic()
            before = self.result.requests
            for role in self.roles(pattern):
                reads = self.discover(role, url)
                self._walk_path(role, pattern, valid)
                self._walk_fields(role, url, "get", reads.query)
                self._walk_fields(role, url, "post", reads.form)
                self._walk_files(role, url, reads)
                self.after()
            spent = time.monotonic() - started
            self.timings.append((spent, self.result.requests - before, pattern.label))
            if self.progress:
                print(
                    f"{spent:6.2f} s {self.result.requests - before:5d} {pattern.label}", flush=True
                )
        return self.result

    @staticmethod
    def path_values_for(converter) -> list[bytes]:
        """The PATH_VALUES the converter accepts (each reaches the view), the first that the edge
        guard refuses (NUL, not UTF-8) and the first the converter refuses (the resolver's 404):
        any other value of those two kinds takes the same way as the first."""
        if converter is None:  # a group of a regex pattern: every value
            return list(PATH_VALUES)
        reach, edge, unresolved = [], [], []
        for value in PATH_VALUES:
            try:
                text = value.decode()
            except UnicodeDecodeError:
                edge.append(value)
                continue
            if "\x00" in text:
                edge.append(value)
            elif re.fullmatch(converter.regex, text):
                reach.append(value)
            else:
                unresolved.append(value)
        return reach + edge[:1] + unresolved[:1]

    def _walk_path(self, role, pattern, valid):
        for name, converter in pattern.params:
            for value in self.path_values_for(converter):
                url = build_url(pattern, {**valid, name: value})
                response = self.send(role, "get", url)
                if response is not None and response.status_code == 405:
                    self.send(role, "post", url)

    def _base(self, method, keys):
        return {k: self.field_values.get((method, k), "1") for k in keys}

    def _walk_fields(self, role, url, method, keys):
        base = self._base(method, keys)
        for key in sorted(keys, key=str):
            for value in FIELD_VALUES:
                self.send(role, method, url, {**base, key: value})
        if not keys:
            return
        first = min(keys, key=str)
        for value in EDGE_FIELD_VALUES:
            self.send(role, method, url, {**base, first: value})
        for raw in UNDECODABLE:
            encoded = quote(str(first)).encode() + b"=" + raw
            if method == "get":
                self.send(role, "get", f"{url}?{encoded.decode()}")
            else:
                self.send(role, "post", url, raw=encoded)
        # Every field hostile at once, and a field given twice.
        for value in ALL_FIELD_VALUES:
            self.send(role, method, url, dict.fromkeys(keys, value))
        self.send(role, method, url, {k: ["1", "2"] for k in keys})

    def _walk_files(self, role, url, reads):
        base = self._base("post", reads.form)
        for key in sorted(reads.files, key=str):
            for hostile in hostile_uploads():
                self.send(role, "post", url, {**base, key: hostile})
            self.send(role, "post", url, {**base, key: hostile_uploads()})
