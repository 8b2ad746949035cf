"""healthcheck (opt-in): a ``HEALTHCHECK`` in the final (runtime) stage.

Seed 004's health check: ``HEALTHCHECK --interval=30s --timeout=10s
--start-period=5s --retries=3``, probing the URL given by
``Options.healthcheck_url`` (``--healthcheck-url URL``). The probe uses what
the runtime image already has, so nothing is installed for it:

- a Python image (the base image's interpreter, a Python the stage installs
  with apt/apk, or the virtualenv on PATH, whose interpreter is used by its
  absolute path): ``python -c "import sys, urllib.request; ..."`` in exec
  form (https://docs.python.org/3/library/urllib.request.html);
- a Node image of Node 18 or later, whose global ``fetch`` needs no package
  (https://nodejs.org/docs/latest-v18.x/api/globals.html#fetch):
  ``node -e "fetch(...)"`` in exec form;
- else curl or wget, only where the runtime has them: installed by the
  stage (apt-get install / apk add), in the full ``buildpack-deps`` based
  images (python, node, golang, buildpack-deps: their ``*-curl`` layer
  installs curl and wget), or BusyBox's wget on Alpine; shell form with
  ``|| exit 1``, since only 0 and 1 are meaningful exit codes
  (https://docs.docker.com/reference/dockerfile/#healthcheck: "1:
  unhealthy", "2: reserved - do not use this exit code"; curl and wget use
  others).

A file that already has a ``HEALTHCHECK`` (``NONE`` included) is left alone,
with a note. Without a URL, or when the runtime has none of those clients,
the transform refuses with the reason.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from migrator.analysis.stage import end_context, global_arg_defaults, read_run, substitute, walk
from migrator.analysis.commands import Kind
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction, Stage
from migrator.options import Options
from migrator.analysis.packages import describe_base_image, read_data
from migrator.model.render import keyword
from migrator.transform import Outcome

TIMING = ("--interval=30s", "--timeout=10s", "--start-period=5s", "--retries=3")
"""The HEALTHCHECK options of seed 004 (probe every 30 s, fail after 10 s,
ignore failures in the first 5 s, unhealthy after 3 failures in a row)."""

PROBE_TIMEOUT = 5
"""Seconds the probe itself waits for the answer: less than ``--timeout``,
so a slow answer is the probe's own failure (exit 1), not a kill."""

FULL_IMAGES_WITH_CURL = ("python", "pypy", "node", "golang", "buildpack-deps")
"""Docker Official Images whose full variants are built on
``buildpack-deps:<release>`` and so carry curl and wget (buildpack-deps'
``curl`` variant installs ``ca-certificates curl gnupg netbase wget``;
https://github.com/docker-library/buildpack-deps)."""

FIRST_NODE_WITH_FETCH = 18
"""Node's global ``fetch`` is on by default from Node 18
(https://nodejs.org/en/blog/announcements/v18-release-announce#fetch-experimental)."""

_URL_UNSAFE = re.compile(r"[\s'\"\\`$]")


class Healthcheck:
    """Add a HEALTHCHECK probing ``options.healthcheck_url`` to the final stage."""

    id = "healthcheck"
    title = "Add a HEALTHCHECK"
    rationale = ("Docker, Compose and Swarm restart or stop routing to a container whose app stopped "
                 "answering, which they can only tell with a health check")
    default = False
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the HEALTHCHECK; see the module docstring.

        Args:
            df: the file (its last stage is the image that ships).
            options: ``options.healthcheck_url`` is the URL to probe.
        Returns:
            one fix inserting the HEALTHCHECK before the final stage's
            trailing EXPOSE/CMD/ENTRYPOINT block; a note when the file has a
            HEALTHCHECK; a refusal without a usable URL or HTTP client.
        """
        existing = next((i for i in df.instructions if i.keyword == "HEALTHCHECK"
                         or (i.keyword == "ONBUILD" and i.sub_keyword == "HEALTHCHECK")), None)
        if existing is not None:
            return Outcome(notes=[f"healthcheck: line {existing.start_line} already has a HEALTHCHECK; left alone"])
        url = options.healthcheck_url
        if not url:
            return Outcome.refuse("no URL to probe: give --healthcheck-url URL (configuration key healthcheck-url), "
                                  "e.g. http://127.0.0.1:8000/health")
        problem = url_problem(url)
        if problem:
            return Outcome.refuse(problem)
        stage = df.stages[-1]
        probe, problem = probe_command(df, stage, url, options)
        if problem:
            return Outcome.refuse(problem)
        cont = f" {df.escape}{df.newline}    "
        text = (f"{keyword(df, 'HEALTHCHECK')} {' '.join(TIMING)}{cont}{keyword(df, 'CMD')} {probe}{df.newline}")
        at = _insert_at(df, stage)
        if at == len(df.text) and df.text and not df.text.endswith("\n"):
            text = df.newline + text.removesuffix(df.newline)
        notes = []
        port = _port_note(df, stage, url)
        if port:
            notes.append(port)
        if probe.startswith('["node"') and urlsplit(url).hostname == "localhost":
            # Node 17+ resolves localhost in the resolver's order, ::1 first on most images
            notes.append("healthcheck: node may resolve localhost to ::1 only; an app listening on IPv4 "
                         "(0.0.0.0) then looks unhealthy: prefer http://127.0.0.1 in --healthcheck-url")
        client = probe.split('"')[1].rsplit("/", 1)[-1] if probe.startswith("[") else probe.split()[0]
        reason = (f"the runtime stage gets a HEALTHCHECK probing {url} every 30s with {client}, which the image "
                  "already has, so orchestrators see when the app stops answering")
        return Outcome(fixes=[Fix(reason, (Edit.insert(at, text),))], notes=notes)


def url_problem(url: str) -> str | None:
    """Why ``url`` can't be probed, or None.

    It must be an absolute ``http``/``https`` URL with a host, and hold no
    whitespace, quote, backslash, backquote or ``$`` (it is written inside
    a Python/JavaScript string literal in a JSON array, and in shell form).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"--healthcheck-url {url!r} is not an http:// or https:// URL with a host"
    if _URL_UNSAFE.search(url):
        return f"--healthcheck-url {url!r} holds a quote, space, backslash, backquote or $; percent-encode it"
    return None


def probe_command(df: Dockerfile, stage: Stage, url: str, options: Options) -> tuple[str, str | None]:
    """The ``CMD`` part of the HEALTHCHECK for ``stage``, or a refusal.

    Returns:
        ``(command text, None)``: a JSON array (exec form) for Python and
        Node, shell form for curl/wget; or ``("", reason)``.
    """
    ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
    base = describe_base_image(ref, options.images)
    python = _python_of(df, stage, base)
    installed = _installed(df, stage)
    if base.language == "node":
        major = _node_major(base.tag)
        if major is None or major >= FIRST_NODE_WITH_FETCH:
            code = (f"fetch('{url}', {{signal: AbortSignal.timeout({PROBE_TIMEOUT * 1000})}})"
                    ".then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))")
            return json.dumps(["node", "-e", code]), None
    if python:
        if base.language == "python" and (base.tag or "").startswith("2"):
            return "", f"line {stage.from_instruction.start_line}: {ref} is Python 2, which has no urllib.request"
        code = (f"import sys, urllib.request; "
                f"sys.exit(0 if urllib.request.urlopen('{url}', timeout={PROBE_TIMEOUT}).status < 400 else 1)")
        return json.dumps([python, "-c", code]), None
    curl = "curl" in installed or (base.full and base.name in FULL_IMAGES_WITH_CURL)
    wget = "wget" in installed or (base.full and base.name in FULL_IMAGES_WITH_CURL)
    if curl:
        return f"curl -fsS -o /dev/null --max-time {PROBE_TIMEOUT} {url} || exit 1", None
    if wget or base.family == "alpine":
        # GNU wget and BusyBox's both take -q -O FILE -T SECONDS
        return f"wget -q -O /dev/null -T {PROBE_TIMEOUT} {url} || exit 1", None
    what = f"Node {_node_major(base.tag)}" if base.language == "node" else ref
    return "", (f"line {stage.from_instruction.start_line}: the runtime stage ({what}) has no Python, Node 18+, "
                "curl or wget to probe the URL with; install one there or write the HEALTHCHECK by hand")


def _python_of(df: Dockerfile, stage: Stage, base) -> str | None:
    """The Python interpreter of the final stage: the virtualenv's on PATH,
    the base image's, or the distro's ``/usr/bin/python3`` the stage
    installs (Debian ``python3``, Alpine ``python3``); None without one."""
    end = end_context(df, stage)
    if base.python or "python3" in _installed(df, stage):
        if end.venv:
            return end.venv.rstrip("/") + "/bin/python"
        return base.python or "/usr/bin/python3"
    return None


def _installed(df: Dockerfile, stage: Stage) -> set[str]:
    """System packages the stage installs (apt-get install, apk add)."""
    out: set[str] = set()
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            if op.kind is Kind.SYSTEM_INSTALL:
                out.update(p.split("=")[0] for p in op.packages)
    return out


def _node_major(tag: str | None) -> int | None:
    """The Node major version a ``node`` tag names (``20-slim`` -> 20,
    ``hydrogen`` -> 18 by the codenames of ``base-images.json``), or None
    for a tag that names none (``latest``, ``lts``, ``alpine``: all of
    them 18 or later today)."""
    word = (tag or "latest").split("-")[0]
    aliases = json.loads(read_data("base-images.json"))["images"]["node"].get("version_aliases", {})
    word = aliases.get(word, word)
    m = re.match(r"(\d+)", word)
    return int(m.group(1)) if m else None


def _insert_at(df: Dockerfile, stage: Stage) -> int:
    """Where the HEALTHCHECK goes: before the block of EXPOSE, CMD,
    ENTRYPOINT and STOPSIGNAL that ends the stage (with the comment lines
    right above it), as in seed 004; the end of the stage without one."""
    tail: Instruction | None = None
    for ins in reversed(stage.body):
        if ins.keyword not in ("EXPOSE", "CMD", "ENTRYPOINT", "STOPSIGNAL"):
            break
        tail = ins
    if tail is None:
        return stage.instructions[-1].end
    at = tail.start
    while at > 0:
        prev = df.text.rfind("\n", 0, at - 1) + 1
        if not df.text[prev:at].lstrip(" \t").startswith("#"):
            break
        at = prev
    return at


def _port_note(df: Dockerfile, stage: Stage, url: str) -> str | None:
    """A note when the URL's port is not one the final stage EXPOSEs."""
    try:
        port = urlsplit(url).port or (443 if url.startswith("https") else 80)
    except ValueError:
        return None
    exposed = set()
    for ins, ctx in walk(df, stage):
        if ins.keyword == "EXPOSE":
            for a in ins.args:
                value = substitute(a, ctx.env) or a
                exposed.add(value.split("/")[0])
    if exposed and str(port) not in exposed:
        return (f"healthcheck: the URL's port {port} is not one the final stage EXPOSEs "
                f"({', '.join(sorted(exposed))}); check --healthcheck-url")
    return None
