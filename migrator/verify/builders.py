"""Find and drive an image builder: docker (with buildx), podman or buildah.

Everything here goes through :mod:`subprocess`; the decisions made on what a
builder returns live in :mod:`migrator.verify.compare`. All three builders are
driven so that a verification leaves nothing behind but the log file:

* builds cache their layers (``--layers`` for podman and buildah, BuildKit's
  own cache for docker buildx), so the migrated file's builder stage, which
  starts with the original's instructions byte for byte, reuses the layers
  the original's build just made instead of running them again;
* what a verification created is removed after it, and nothing else: its two
  tags, and the layer images its builds committed (read from the builder's
  ``--> <id>`` lines) that did not exist before it started
  (:meth:`Builder.cleanup`). Layer images that were already there and that a
  build reused stay, and so do images tagged by anyone else. With podman this
  is exact (``rmi --no-prune``, ``untag``); ``buildah rmi`` always removes the
  untagged parents left without a child, so a pre-existing *dangling* image
  (no name, no child) that a buildah build reused goes with it. Docker buildx
  keeps only its own build cache, as every docker build does;
* intermediate containers are removed (``--force-rm``);
* podman and buildah write Docker-format images (``--format docker``), since
  the OCI format drops HEALTHCHECK, which must be compared;
* containers started to look inside an image are removed (``run --rm``,
  ``buildah rm``) and have no network;
* an image's files are read without starting anything in it
  (:meth:`Builder.filesystem`): mounted (``podman image mount``, ``buildah
  mount``) when the builder can, else exported as a tar stream from a created,
  never started container (``docker``/``podman create`` + ``export``; ``tar``
  under ``buildah unshare``), so images without a shell (distroless, scratch)
  can be read too.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import threading
import tarfile
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence, TextIO

from migrator.verify.compare import BuildOutcome
from migrator.verify.imagefs import DirTree, MemoryTree, Tree, tree_from_tar

BUILDER_ORDER = ("docker", "podman", "buildah")
"""Builders tried by ``--builder auto``, first usable wins."""

PROBE_TIMEOUT = 20
"""Seconds allowed to a builder's version/info probe."""

EXPORT_TIMEOUT = 900
"""Seconds allowed to export an image's file system as a tar stream."""

LISTING_ATTEMPTS = 5
"""Times an image listing is tried: it fails when an image is removed while
it is read, by a build running at the same time."""

NO_ENTRYPOINT = "/dockerfile-migrator-never-started"
"""Entrypoint given to containers that are created only to be exported."""

_STEP_PATTERNS = (
    # podman / buildah: "STEP 3/7: RUN pip install", "[1/2] STEP 3/7: RUN ..."
    re.compile(r"^((?:\[\d+/\d+\] )?STEP \d+/\d+: .*)$"),
    # docker buildx --progress=plain: "#8 [builder 3/6] RUN pip install ..."
    re.compile(r"^#\d+ (\[[^\]]*\d+/\d+\] .*)$"),
)

RLIMIT_HINT = (
    "\nhint: the container runtime cannot set its default open-files limit on this machine; "
    'put default_ulimits = ["nofile=N:N"] (N = `ulimit -Hn`) under [containers] in a '
    "containers.conf named by CONTAINERS_CONF (scripts/e2e-setup.sh writes one)"
)

_IMAGE_LINE = re.compile(r"^--> (?:Using cache )?(?:sha256:)?([0-9a-f]{11,64})\s*$")
"""podman/buildah with ``--layers``: each step ends with ``--> <id>`` (the layer
image it committed) or ``--> Using cache <id>``; the last line is the image's
full ID alone."""

_FULL_ID_LINE = re.compile(r"^(?:sha256:)?([0-9a-f]{64})\s*$")

_ERROR_HINTS = re.compile(r"(^Error|^error|ERROR|error building|failed to solve|did not complete successfully)")


class BuilderUnavailable(Exception):
    """No usable builder (or not the one asked for); one line for the user."""


class BuilderError(Exception):
    """A builder command that should not fail did (inspect, run, rm)."""


@dataclass(frozen=True)
class RunResult:
    """Exit code and combined output of a command run inside an image."""

    exit_code: int | None
    output: str
    timed_out: bool = False


def step_from_line(line: str) -> str | None:
    """The build step a builder's output line announces, or ``None``.

    >>> step_from_line("[2/2] STEP 3/11: COPY --from=builder /opt/venv /opt/venv")
    '[2/2] STEP 3/11: COPY --from=builder /opt/venv /opt/venv'
    >>> step_from_line("#8 [builder 3/6] RUN pip install -r requirements.txt")
    '[builder 3/6] RUN pip install -r requirements.txt'
    """
    line = line.rstrip("\r\n")
    for pattern in _STEP_PATTERNS:
        m = pattern.match(line)
        if m:
            return m.group(1)
    return None


def image_from_line(line: str) -> str | None:
    """The image ID (hex, short or full, no ``sha256:``) a podman/buildah
    build output line names, or ``None``.

    >>> image_from_line("--> 0894846c314")
    '0894846c314'
    >>> image_from_line("--> Using cache 0894846c314693e9390c1b105a16c01832deb1190f5d28531dfd141176e86f32")[:11]
    '0894846c314'
    >>> image_from_line("STEP 2/4: RUN echo --> 0894846c314") is None
    True
    """
    line = line.rstrip("\r\n")
    m = _IMAGE_LINE.match(line) or _FULL_ID_LINE.match(line)
    return m.group(1) if m else None


def error_summary(lines: Sequence[str], limit: int = 3) -> str:
    """The builder's last error lines (or its last lines), joined by `` | ``."""
    cleaned = [line.strip() for line in lines if line.strip()]
    errors = [line for line in cleaned if _ERROR_HINTS.search(line)]
    picked = (errors or cleaned)[-limit:]
    return " | ".join(p[:300] for p in picked) or "the builder failed without output"


def _probe(argv: list[str]) -> bool:
    try:
        proc = subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=PROBE_TIMEOUT, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


class Builder:
    """A container image builder driven through its command line.

    Subclasses set :attr:`name` and implement the command lines.
    """

    name = "builder"

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary or shutil.which(self.name) or self.name

    # --- detection -------------------------------------------------------------

    @classmethod
    def probe(cls) -> str | None:
        """Why this builder cannot be used here, or ``None`` when it can."""
        if shutil.which(cls.name) is None:
            return f"{cls.name} is not installed"
        if not _probe([cls.name, "--version"]):
            return f"`{cls.name} --version` failed"
        return None

    # --- commands ----------------------------------------------------------------

    def build_argv(self, dockerfile: str, context: str, tag: str) -> list[str]:
        """The command line that builds ``dockerfile`` in ``context`` as ``tag``."""
        raise NotImplementedError

    def build(
        self,
        dockerfile: str,
        context: str,
        tag: str,
        log: TextIO,
        on_step: Callable[[str], None] | None = None,
        timeout: float | None = None,
        on_image: Callable[[str], None] | None = None,
    ) -> BuildOutcome:
        """Build an image, streaming the builder's output into ``log``.

        Args:
            dockerfile: path of the Dockerfile.
            context: the build context folder.
            tag: the name to give the image.
            log: an open text file receiving the builder's full output.
            on_step: called with each build step announced ("STEP 3/7: RUN ...").
            timeout: seconds before the build is stopped (``None``: no limit).
            on_image: called with the ID (hex, possibly short) of each image
                the build commits or reuses from the layer cache, as soon as
                the builder names it, so that an interrupted build's layers
                can be removed too (podman and buildah; docker names none).
        Returns:
            a :class:`BuildOutcome`; a failed build carries the last error lines.
        """
        argv = self.build_argv(dockerfile, context, tag)
        log.write(f"$ {' '.join(argv)}\n")
        log.flush()
        start = time.monotonic()
        tail: list[str] = []
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, encoding="utf-8", errors="replace", bufsize=1, start_new_session=True,
            )
        except OSError as exc:
            return BuildOutcome(False, 0.0, f"cannot start {self.binary}: {exc.strerror}")
        timer = None
        timed_out = threading.Event()
        if timeout:
            def _expire() -> None:
                timed_out.set()
                _terminate(proc)
            timer = threading.Timer(timeout, _expire)
            timer.daemon = True
            timer.start()
        try:
            assert proc.stdout is not None
            # Read every line until EOF: closing the pipe early would kill the
            # builder with SIGPIPE and leave its working containers behind.
            for line in proc.stdout:
                log.write(line)
                log.flush()  # the log can be followed with tail -f
                tail.append(line)
                if len(tail) > 200:
                    del tail[:100]
                if on_step is not None:
                    step = step_from_line(line)
                    if step:
                        on_step(step)
                if on_image is not None:
                    image = image_from_line(line)
                    if image:
                        on_image(image)
            code = proc.wait()
        except BaseException:
            # Keep draining the builder's output so it never blocks on a full
            # pipe while it cleans up.
            threading.Thread(target=_drain, args=(proc,), daemon=True).start()
            _terminate(proc)
            raise
        finally:
            if timer is not None:
                timer.cancel()
            log.flush()
        seconds = time.monotonic() - start
        log.write(f"[exit status {code}, {seconds:.1f} s]\n\n")
        log.flush()
        if timed_out.is_set():
            return BuildOutcome(False, seconds, f"build stopped after {timeout:.0f} s (--build-timeout)")
        if code != 0:
            return BuildOutcome(False, seconds, error_summary(tail))
        return BuildOutcome(True, seconds)

    def inspect(self, tag: str) -> tuple[dict, int | None]:
        """The image's config (Docker key names, with ``Healthcheck``) and its
        size in bytes."""
        raise NotImplementedError

    def run(
        self, tag: str, argv: Sequence[str], user: str | None = None, timeout: float | None = 120
    ) -> RunResult:
        """Run ``argv`` in a fresh container of ``tag`` with no network and
        remove the container. ``argv[0]`` replaces the image's entrypoint; the
        image's USER and WORKDIR apply unless ``user`` is given."""
        raise NotImplementedError

    @contextmanager
    def filesystem(self, tag: str) -> Iterator[Tree]:
        """The files of image ``tag``, read without running anything in it.

        The base implementation exports a created (never started) container
        as a tar stream (``create`` + ``export`` + ``rm``), which docker and
        podman both offer.

        Raises:
            BuilderError: the files cannot be read.
        """
        yield self._exported(tag)

    def _exported(self, tag: str) -> MemoryTree:
        name = f"dockerfile-migrator-verify-fs-{secrets.token_hex(6)}"
        proc = _call([self.binary, "create", "--name", name, "--network", "none", "--no-healthcheck",
                      "--entrypoint", NO_ENTRYPOINT, tag])
        if proc.returncode != 0:
            _quiet_call([self.binary, "rm", "--force", name])
            raise BuilderError(f"{self.name} create failed: {proc.stderr.strip()[-300:]}")
        try:
            return tree_from_command([self.binary, "export", name])
        finally:
            _quiet_call([self.binary, "rm", "--force", name])

    def images(self) -> dict[str, tuple[str, ...]] | None:
        """Every image in local storage, layer images included: full ID (hex,
        no ``sha256:``) -> its names; ``None`` when this builder keeps no
        layer images of its own (docker buildx: BuildKit's cache is not images).

        Raises:
            BuilderError: the listing failed.
        """
        return None

    def image_ids(self) -> frozenset[str] | None:
        """The full IDs of :meth:`images` (``None``: no layer images)."""
        listing = self.images()
        return None if listing is None else frozenset(listing)

    def cleanup(self, tags: Sequence[str], images: Sequence[str], before: frozenset[str] | None) -> list[str]:
        """Remove what a verification created, and nothing else.

        Args:
            tags: the names the verification gave its images.
            images: IDs (hex, possibly short) the builds named, in order
                (``on_image`` of :meth:`build`).
            before: :meth:`image_ids` taken before the first build; ``None``
                removes the tags only.
        Returns:
            one line per thing that could not be removed (empty when all went).
        """
        problems = []
        for tag in tags:
            proc = _call([self.binary, "rmi", "--force", tag], timeout=120)
            if proc.returncode != 0 and "image not known" not in proc.stderr and "No such image" not in proc.stderr:
                problems.append(f"{tag}: {proc.stderr.strip()[-200:]}")
        return problems

    def _remove_new_layers(self, images: Sequence[str], before: frozenset[str], argv: list[str]) -> list[str]:
        """Remove, children first, the images of ``images`` that still exist,
        are not in ``before`` and have no name, with ``argv + [id]`` (no
        ``--force``: an image another container or image uses stays). A named
        one is someone else's: a build running at the same time that a build
        of this verification reused as its cache."""
        try:
            now = self.images() or {}
        except BuilderError as exc:
            return [str(exc)]
        new = {image for image, names in now.items() if image not in before and not names}
        problems, seen = [], set()
        for short in reversed(images):
            matches = [full for full in new if full.startswith(short)]
            if len(matches) != 1 or matches[0] in seen:
                continue
            seen.add(matches[0])
            proc = _call([*argv, matches[0]], timeout=120)
            if proc.returncode != 0:
                problems.append(f"{matches[0][:12]}: {proc.stderr.strip()[-200:]}")
        return problems

    def _image_id(self, tag: str) -> str | None:
        proc = _call([self.binary, "image", "inspect", "--format", "{{.Id}}", tag])
        if proc.returncode != 0:
            return None
        return _bare_id(proc.stdout.strip())

    def _run_named(self, tag: str, argv: Sequence[str], user: str | None, timeout: float | None) -> RunResult:
        """``docker``/``podman run --rm`` under a unique name, so that a run
        that times out can be removed (``rm --force NAME``)."""
        name = f"dockerfile-migrator-verify-run-{secrets.token_hex(6)}"
        cmd = [
            self.binary, "run", "--rm", "--name", name, "--network", "none", "--no-healthcheck",
            "--entrypoint", argv[0],
        ]
        if user is not None:
            cmd += ["--user", user]
        return self._run_argv(
            cmd + [tag, *argv[1:]], timeout,
            on_timeout=lambda: _quiet_call([self.binary, "rm", "--force", name]),
        )

    # --- helpers ---------------------------------------------------------------

    def _run_argv(
        self, argv: list[str], timeout: float | None, on_timeout: Callable[[], None] | None = None
    ) -> RunResult:
        """Run a builder command to completion; on timeout stop it, call
        ``on_timeout`` (removes the container) and return ``timed_out``."""
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            return RunResult(None, f"cannot start {argv[0]}: {exc.strerror}")
        try:
            out_b, err_b = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _terminate(proc, grace=5)
            out_b, err_b = proc.communicate()
            if on_timeout is not None:
                on_timeout()
            return RunResult(None, (out_b + err_b).decode("utf-8", "replace"), timed_out=True)
        except BaseException:
            _terminate(proc, grace=5)
            if on_timeout is not None:
                on_timeout()
            raise
        out = out_b.decode("utf-8", "replace")
        err = err_b.decode("utf-8", "replace")
        if out and err and not out.endswith("\n"):
            out += "\n"
        text = out + err
        if "error setting rlimit" in text:
            text += RLIMIT_HINT
        return RunResult(proc.returncode, text)


def tree_from_command(argv: list[str], timeout: float = EXPORT_TIMEOUT) -> MemoryTree:
    """Run ``argv``, which writes a tar stream of a file system on its
    standard output, and read it into a :class:`MemoryTree`.

    Raises:
        BuilderError: the command cannot start, fails, times out or writes
            something that is not a tar archive.
    """
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                    start_new_session=True)
        except OSError as exc:
            raise BuilderError(f"cannot start {argv[0]}: {exc.strerror}") from None
        timed_out = threading.Event()

        def _expire() -> None:
            timed_out.set()
            _terminate(proc, grace=5)

        timer = threading.Timer(timeout, _expire)
        timer.daemon = True
        timer.start()
        failure = None
        try:
            assert proc.stdout is not None
            try:
                tree = tree_from_tar(proc.stdout)
            except (tarfile.TarError, OSError, EOFError) as exc:
                failure = f"unreadable tar stream ({exc})"
                tree = MemoryTree()
            _drain(proc)
            code = proc.wait()
        except BaseException:
            _terminate(proc, grace=5)
            raise
        finally:
            timer.cancel()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace").strip()
    what = " ".join(argv[:2])
    if timed_out.is_set():
        raise BuilderError(f"{what} did not finish within {timeout:.0f} s")
    if code != 0:
        raise BuilderError(f"{what} failed (exit {code}): {stderr[-300:] or failure or 'no output'}")
    if failure:
        raise BuilderError(f"{what}: {failure}")
    return tree


def _drain(proc: subprocess.Popen) -> None:
    try:
        if proc.stdout is not None:
            for _line in proc.stdout:
                pass
    except (OSError, ValueError):
        pass


def _descendants(root: int) -> list[int]:
    """PIDs of every descendant of ``root`` (Linux ``/proc``; ``[]`` elsewhere),
    parents before children."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _kill_payload(proc: subprocess.Popen) -> None:
    """SIGKILL every process below ``proc`` (the RUN step's processes, the OCI
    runtime), children first, leaving ``proc`` itself alive."""
    for pid in reversed(_descendants(proc.pid)):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _terminate(proc: subprocess.Popen, grace: float = 30.0) -> None:
    """Stop a build so that the builder cleans up after itself.

    Signals make podman and buildah exit at once and leave their working
    container behind (and the RUN step's processes running). Killing the
    step's processes instead makes the step fail: the builder then takes its
    error path, where ``--force-rm`` removes the container, and exits. Only
    when that does not end it within ``grace`` seconds is the builder itself
    interrupted, then killed.
    """
    deadline = time.monotonic() + grace
    while proc.poll() is None and time.monotonic() < deadline:
        _kill_payload(proc)
        try:
            proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=10)
    except (subprocess.TimeoutExpired, ProcessLookupError, PermissionError):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()


def _call(argv: list[str], timeout: float | None = 120) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
            errors="replace", timeout=timeout, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuilderError(f"{' '.join(argv[:3])}: {exc}") from None


def _quiet_call(argv: list[str], timeout: float = 60) -> None:
    """Run a cleanup command, ignoring every failure."""
    try:
        _call(argv, timeout=timeout)
    except BuilderError:
        pass


def _json_call(argv: list[str]) -> object:
    proc = _call(argv)
    if proc.returncode != 0:
        raise BuilderError(f"{' '.join(argv[:3])} failed: {proc.stderr.strip()[-300:]}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise BuilderError(f"{' '.join(argv[:3])}: unreadable JSON ({exc})") from None


def _bare_id(text: str) -> str:
    """``sha256:abc...`` -> ``abc...``."""
    return text.strip().removeprefix("sha256:")


def _listed_images(argv: list[str], id_key: str, names_key: str) -> dict[str, tuple[str, ...]]:
    """``{full id: names}`` from a JSON image listing (``podman images
    --format json``: Id, RepoTags; ``buildah images --json``: id, names).

    The listing fails when another process removes an image while it is
    read ("image not known"): it is tried again, up to
    :data:`LISTING_ATTEMPTS` times.
    """
    for attempt in range(LISTING_ATTEMPTS):
        try:
            doc = _json_call(argv)
            break
        except BuilderError:
            if attempt == LISTING_ATTEMPTS - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
    if not isinstance(doc, list):
        raise BuilderError(f"{' '.join(argv[:3])}: not a list of images")
    return {
        _bare_id(str(item[id_key])): tuple(item.get(names_key) or ())
        for item in doc if isinstance(item, dict) and item.get(id_key)
    }


def _first(doc: object) -> dict:
    if isinstance(doc, list):
        doc = doc[0] if doc else {}
    return doc if isinstance(doc, dict) else {}


class Docker(Builder):
    """``docker buildx build --load`` against a running Docker daemon."""

    name = "docker"

    @classmethod
    def probe(cls) -> str | None:
        why = super().probe()
        if why:
            return why
        if not _probe(["docker", "buildx", "version"]):
            return "docker has no buildx plugin"
        if not _probe(["docker", "info"]):
            return "docker cannot reach a Docker daemon"
        return None

    def build_argv(self, dockerfile: str, context: str, tag: str) -> list[str]:
        return [self.binary, "buildx", "build", "--load", "--progress=plain", "-t", tag, "-f", dockerfile, context]

    def inspect(self, tag: str) -> tuple[dict, int | None]:
        doc = _first(_json_call([self.binary, "image", "inspect", tag]))
        size = doc.get("Size")
        return dict(doc.get("Config") or {}), size if isinstance(size, int) else None

    def run(self, tag, argv, user=None, timeout=120):
        return self._run_named(tag, argv, user, timeout)


class Podman(Builder):
    """``podman build`` (Buildah inside) with Docker-format images."""

    name = "podman"

    def build_argv(self, dockerfile: str, context: str, tag: str) -> list[str]:
        return [
            self.binary, "build", "--format", "docker", "--layers", "--force-rm",
            "-t", tag, "-f", dockerfile, context,
        ]

    def images(self) -> dict[str, tuple[str, ...]] | None:
        return _listed_images([self.binary, "images", "--all", "--format", "json"], "Id", "RepoTags")

    def cleanup(self, tags, images, before):
        """Untag a tag whose image existed before (a build that reused it
        whole), else ``rmi --no-prune --force`` it; then ``rmi --no-prune``
        the layer images the builds made, children first. ``--no-prune``
        keeps the untagged parents podman would otherwise remove: those
        that existed before are not the verification's."""
        if before is None:
            return super().cleanup(tags, images, before)
        problems = []
        for tag in tags:
            image = self._image_id(tag)
            if image is None:
                continue
            argv = ([self.binary, "untag", image, tag] if image in before
                    else [self.binary, "rmi", "--no-prune", "--force", tag])
            proc = _call(argv, timeout=120)
            if proc.returncode != 0:
                problems.append(f"{tag}: {proc.stderr.strip()[-200:]}")
        return problems + self._remove_new_layers(images, before, [self.binary, "rmi", "--no-prune"])

    def inspect(self, tag: str) -> tuple[dict, int | None]:
        doc = _first(_json_call([self.binary, "image", "inspect", tag]))
        config = dict(doc.get("Config") or {})
        if doc.get("Healthcheck") and not config.get("Healthcheck"):
            config["Healthcheck"] = doc["Healthcheck"]
        size = doc.get("Size")
        return config, size if isinstance(size, int) else None

    def run(self, tag, argv, user=None, timeout=120):
        return self._run_named(tag, argv, user, timeout)

    @contextmanager
    def filesystem(self, tag: str) -> Iterator[Tree]:
        """``podman image mount`` (root only), else ``create`` + ``export``."""
        proc = _call([self.binary, "image", "mount", tag])
        root = proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 and proc.stdout.strip() else None
        if root is None or not os.path.isdir(root):
            if root is not None:
                _quiet_call([self.binary, "image", "unmount", tag])
            yield self._exported(tag)
            return
        try:
            yield DirTree(root)
        finally:
            _quiet_call([self.binary, "image", "unmount", tag])


class Buildah(Builder):
    """``buildah bud`` for builds, ``buildah from`` + ``buildah run`` to look inside."""

    name = "buildah"

    def build_argv(self, dockerfile: str, context: str, tag: str) -> list[str]:
        return [
            self.binary, "bud", "--format", "docker", "--layers", "--force-rm",
            "-t", tag, "-f", dockerfile, context,
        ]

    def images(self) -> dict[str, tuple[str, ...]] | None:
        return _listed_images([self.binary, "images", "--all", "--json"], "id", "names")

    def cleanup(self, tags, images, before):
        """``buildah rmi`` each tag (which also removes the untagged parents
        left without a child), then the layer images the builds made that
        are still there, children first."""
        problems = super().cleanup(tags, images, before)
        if before is None:
            return problems
        return problems + self._remove_new_layers(images, before, [self.binary, "rmi"])

    def inspect(self, tag: str) -> tuple[dict, int | None]:
        doc = _first(_json_call([self.binary, "inspect", "--type", "image", tag]))
        docker = doc.get("Docker") or {}
        config = dict(docker.get("config") or {})
        if not config:
            oci = (doc.get("OCIv1") or {}).get("config") or {}
            config = {k: oci.get(k) for k in ("User", "Cmd", "Entrypoint", "Env", "ExposedPorts", "WorkingDir")}
        size = None
        try:
            manifest = json.loads(doc.get("Manifest") or "{}")
            size = sum(int(layer.get("size", 0)) for layer in manifest.get("layers", [])) or None
        except (ValueError, TypeError):
            size = None
        return config, size

    def run(self, tag, argv, user=None, timeout=120):
        proc = _call([self.binary, "from", "--pull=never", tag])
        if proc.returncode != 0:
            return RunResult(None, proc.stderr.strip())
        container = proc.stdout.strip().splitlines()[-1]
        try:
            cmd = [self.binary, "run", "--network", "none"]
            if user is not None:
                cmd += ["--user", user]
            return self._run_argv(cmd + [container, "--", *argv], timeout)
        finally:
            _quiet_call([self.binary, "rm", container])

    @contextmanager
    def filesystem(self, tag: str) -> Iterator[Tree]:
        """``buildah from`` + ``buildah mount`` (root), else ``tar`` of the
        mount inside ``buildah unshare`` (rootless); ``buildah rm`` after."""
        proc = _call([self.binary, "from", "--pull=never", tag])
        if proc.returncode != 0:
            raise BuilderError(f"buildah from failed: {proc.stderr.strip()[-300:]}")
        container = proc.stdout.strip().splitlines()[-1]
        try:
            mount = _call([self.binary, "mount", container])
            root = mount.stdout.strip().splitlines()[-1] if mount.returncode == 0 and mount.stdout.strip() else None
            if root is not None and os.path.isdir(root):
                try:
                    yield DirTree(root)
                finally:
                    _quiet_call([self.binary, "umount", container])
                return
            script = 'mnt=$("$1" mount "$2") || exit 1; tar -C "$mnt" -cf - .; code=$?; "$1" umount "$2" >/dev/null; exit $code'
            yield tree_from_command([self.binary, "unshare", "sh", "-c", script, "sh", self.binary, container])
        finally:
            _quiet_call([self.binary, "rm", container])


BUILDERS: dict[str, type[Builder]] = {"docker": Docker, "podman": Podman, "buildah": Buildah}


def find_builder(choice: str = "auto") -> Builder:
    """Return the builder to use.

    Args:
        choice: ``"auto"`` (docker with buildx and a daemon, then podman, then
            buildah) or one of ``"docker"``, ``"podman"``, ``"buildah"``.
    Raises:
        BuilderUnavailable: none usable, with what was tried and why.
    """
    names = BUILDER_ORDER if choice == "auto" else (choice,)
    if choice != "auto" and choice not in BUILDERS:
        raise BuilderUnavailable(f"unknown builder {choice!r} (choose docker, podman or buildah)")
    why_not = []
    for name in names:
        cls = BUILDERS[name]
        why = cls.probe()
        if why is None:
            return cls()
        why_not.append(why)
    if choice == "auto":
        raise BuilderUnavailable(
            "no image builder on this machine (" + "; ".join(why_not) + "): install podman or buildah, "
            "or docker with buildx and a running daemon"
        )
    raise BuilderUnavailable(f"builder {choice} is not usable here: {why_not[0]}")
