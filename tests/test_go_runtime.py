"""go-runtime: a built Go program on distroless, scratch or its OS image (issue 10 item 4).

The Go sources are read from a build context made in a temporary folder, so
each test shows what the transform decides from what the context holds.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from contexts import context as make_context
from migrator.context import BuildContext
from migrator.context.go import read_go_sources
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options
from transforms.go_runtime import GoRuntime

SERVER = """\
package main

import (
	"fmt"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	http.ListenAndServe(":8080", nil)
}
"""

TEMPLATES_FROM_DISK = """\
package main

import (
	"html/template"
	"net/http"
)

var pages = template.Must(template.ParseGlob("templates/*.html"))

func main() {
	http.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("./static"))))
	http.ListenAndServe(":8080", nil)
}
"""

TEMPLATES_EMBEDDED = """\
package main

import (
	"embed"
	"html/template"
	"net/http"
)

//go:embed templates/*.html
var files embed.FS

var pages = template.Must(template.ParseFS(files, "templates/*.html"))

func main() { http.ListenAndServe(":8080", nil) }
"""

CGO = """\
package main

// #include <stdlib.h>
import "C"

func main() { C.free(nil) }
"""

DOCKERFILE = """\
FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
EXPOSE 8080
CMD ["app"]
"""


def go_app(tmp_path: Path, main: str = SERVER, **extra: str) -> BuildContext:
    return make_context(tmp_path, {"go.mod": "module example.com/app\n\ngo 1.22\n", "main.go": main, **extra})


def migrate(text: str, context: BuildContext | None, **kw):
    return migrate_text(textwrap.dedent(text), Options(context=context, **kw), "Dockerfile")


def runtime_stage(output: str) -> str:
    return output[output.rindex("\nFROM ") + 1:]


def go_change(result):
    return next(c for c in result.changes if c.transform == "go-runtime")


def go_offer(result):
    return next(r for r in result.refusals if r.transform == "go-runtime")


# ---------------------------------------------------------------------------
# Reading the Go sources


def test_sources_show_cgo_embeds_and_disk_reads(tmp_path):
    ctx = make_context(tmp_path, {
        "go.mod": "module m\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.0.0 // indirect\n)\nrequire c.d/e v0.1.0\n",
        "main.go": TEMPLATES_FROM_DISK,
        "web/embed.go": 'package web\n\nimport "embed"\n\n//go:embed all:assets "my files" *.css\nvar F embed.FS\n',
        "native/c.go": CGO,
        "vendor/x/x.go": CGO,                 # a dependency's code: not the program's sources
        "main_test.go": CGO,                  # tests are not built into the binary
    })
    src = read_go_sources(ctx)
    assert src.cgo == ("native/c.go",)
    assert src.embeds == ("web/assets", "web/my files", "web/*.css")
    assert src.disk_reads == ("templates/*.html", "./static")
    assert src.go_mod_requires == ("github.com/a/b", "c.d/e")
    assert src.complete and src.has_go_mod
    assert src.embedded("web/assets") and src.embedded("web") and not src.embedded("templates")


def test_reads_through_an_embed_fs_are_not_disk_reads(tmp_path):
    src = read_go_sources(go_app(tmp_path, TEMPLATES_EMBEDDED))
    assert src.disk_reads == ()
    assert src.embedded("templates")


def test_source_reading_is_bounded(tmp_path):
    ctx = make_context(tmp_path, {f"p{i}/f.go": "package p\n" for i in range(5)})
    src = read_go_sources(ctx, max_files=3)
    assert len(src.files) == 3 and not src.complete


def test_no_go_sources_nothing_to_say(tmp_path):
    assert read_go_sources(make_context(tmp_path, {"README": "x"})) is None


# ---------------------------------------------------------------------------
# The default: distroless when it is provably safe


def test_static_build_lands_on_distroless_by_default(tmp_path):
    r = migrate(DOCKERFILE, go_app(tmp_path))
    change = go_change(r)
    assert change.applicability.value == "safe"
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM gcr.io/distroless/static-debian12 AS runtime\n")
    assert "COPY --from=builder /usr/local/bin/app /usr/local/bin/app\n" in runtime
    assert "USER 65532:65532\n" in runtime
    assert "COPY . ." not in runtime and "go " not in runtime and "RUN" not in runtime
    # distroless carries CA certificates and zoneinfo: nothing copied for them
    assert "ca-certificates" not in runtime
    # non-root-user finds the final stage non-root and adds nothing
    assert not any(c.transform == "non-root-user" for c in r.changes)
    assert r.output.startswith("FROM golang:1.22-bookworm AS builder\n")


def test_templates_folder_read_from_disk_is_copied(tmp_path):
    ctx = go_app(tmp_path, TEMPLATES_FROM_DISK, **{"templates/index.html": "<p>{{.}}</p>", "static/app.css": "p{}"})
    r = migrate(DOCKERFILE, ctx)
    runtime = runtime_stage(r.output)
    assert "COPY --from=builder /src/templates /src/templates\n" in runtime
    assert "COPY --from=builder /src/static /src/static\n" in runtime
    assert go_change(r).applicability.value == "safe"
    assert "/src/templates" in go_change(r).reason


def test_embedded_templates_need_no_copy(tmp_path):
    ctx = go_app(tmp_path, TEMPLATES_EMBEDDED, **{"templates/index.html": "<p>{{.}}</p>"})
    r = migrate(DOCKERFILE, ctx)
    runtime = runtime_stage(r.output)
    assert "templates" not in runtime
    assert go_change(r).applicability.value == "safe"


def test_conventional_folder_without_a_literal_path_is_copied(tmp_path):
    # the path is built at run time; the folder's name is one Go servers read, so it is copied, but the
    # read can't be shown to be inside it: the change is only offered as unsafe, naming the call
    main = SERVER.replace('"net/http"', '"net/http"\n\t"os"').replace(
        "http.ListenAndServe", 'os.ReadDir(os.Getenv("DIR") + "migrations")\n\thttp.ListenAndServe')
    ctx = go_app(tmp_path, main, **{"migrations/001_init.sql": "create table t(id int);"})
    offer = go_offer(migrate(DOCKERFILE, ctx))
    assert offer.unsafe_only
    assert 'main.go:11: `os.ReadDir(os.Getenv("DIR") + "migrations")` reads a path the tool can\'t resolve' \
        in offer.reason
    runtime = runtime_stage(migrate(DOCKERFILE, ctx, unsafe=True).output)
    assert "COPY --from=builder /src/migrations /src/migrations\n" in runtime


def test_file_named_by_cmd_is_copied(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'CMD ["app", "-config", "config/app.yaml"]')
    ctx = go_app(tmp_path, **{"config/app.yaml": "port: 8080\n"})
    runtime = runtime_stage(migrate(text, ctx).output)
    assert "COPY --from=builder /src/config/app.yaml /src/config/app.yaml\n" in runtime


# ---------------------------------------------------------------------------
# --go-runtime


def test_scratch_copies_certificates_and_zoneinfo(tmp_path):
    r = migrate(DOCKERFILE, go_app(tmp_path), go_runtime="scratch")
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM scratch AS runtime\n")
    assert "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n" in runtime
    assert "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo\n" in runtime
    assert "USER 65532:65532\n" in runtime
    builder = r.output[:r.output.rindex("\nFROM ")]
    # golang images lack tzdata (buildpack-deps curl: ca-certificates, netbase): installed in the builder
    assert "apt-get install -y --no-install-recommends tzdata" in builder
    assert go_change(r).applicability.value == "safe"


def test_scratch_on_alpine_installs_tzdata_with_apk(tmp_path):
    text = DOCKERFILE.replace("golang:1.22-bookworm", "golang:1.22-alpine")
    builder = migrate(text, go_app(tmp_path), go_runtime="scratch").output.split("\nFROM scratch")[0]
    assert "RUN apk add --no-cache tzdata\n" in builder


def test_debian_slim_choice_installs_certificates_and_leaves_the_user_to_non_root_user(tmp_path):
    r = migrate(DOCKERFILE, go_app(tmp_path), go_runtime="debian-slim")
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM debian:bookworm-slim AS runtime\n")
    assert "apt-get install -y --no-install-recommends ca-certificates tzdata netbase" in runtime
    assert "USER 10001:10001" in runtime and "65532" not in runtime
    assert go_change(r).applicability.value == "safe"


def test_options_go_runtime_is_validated_in_configuration(tmp_path):
    from migrator.config import ConfigError, load_config

    (tmp_path / ".dockerfile-migrator.toml").write_text('go-runtime = "scratch"\n')
    assert load_config(tmp_path).to_options().go_runtime == "scratch"
    assert load_config(tmp_path).to_options(go_runtime="debian-slim").go_runtime == "debian-slim"
    (tmp_path / ".dockerfile-migrator.toml").write_text('go-runtime = "alpine"\n')
    with pytest.raises(ConfigError, match="'go-runtime' must be one of distroless, scratch, debian-slim"):
        load_config(tmp_path)


# ---------------------------------------------------------------------------
# What makes the build static


def test_no_import_c_and_no_requirements_gets_cgo_disabled(tmp_path):
    text = DOCKERFILE.replace("CGO_ENABLED=0 go build", "go build")
    r = migrate(text, go_app(tmp_path))
    assert "RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .\n" in r.output
    change = go_change(r)
    assert change.applicability.value == "safe"
    assert 'no Go source imports "C"' in change.reason


def test_import_c_is_a_cgo_build_on_the_os_image_unsafe(tmp_path):
    text = DOCKERFILE.replace("CGO_ENABLED=0 go build", "go build")
    ctx = go_app(tmp_path, **{"native/c.go": CGO})
    r = migrate(text, ctx)
    offer = go_offer(r)
    assert offer.unsafe_only and 'native/c.go imports "C"' in offer.reason
    assert "AS builder" not in r.output or "distroless" not in r.output
    r = migrate(text, ctx, unsafe=True)
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM debian:bookworm-slim AS runtime\n")
    assert "xargs -r apt-get install -y --no-install-recommends < /tmp/go-runtime/.runtime-packages" in runtime
    assert "dpkg-query --search" in r.output[:r.output.rindex("\nFROM ")]   # the record step in the builder


CGO_DEFAULT = DOCKERFILE.replace("CGO_ENABLED=0 go build", "go build")


def go_mod(go: str = "1.22", *requires: str) -> str:
    return f"module m\n\ngo {go}\n" + "".join(f"\nrequire {r} v1.0.0\n" for r in requires)


def test_go_mod_requiring_a_stub_module_keeps_cgo(tmp_path):
    # go-sqlite3 compiles a stub without cgo that fails only at run time: CGO_ENABLED=0 is never added
    ctx = make_context(tmp_path, {"go.mod": go_mod("1.22", "github.com/mattn/go-sqlite3"), "main.go": SERVER})
    offer = go_offer(migrate(CGO_DEFAULT, ctx))
    assert offer.unsafe_only
    assert "go.mod names github.com/mattn/go-sqlite3, which needs cgo (without it: stub" in offer.reason
    r = migrate(CGO_DEFAULT, ctx, unsafe=True)
    assert "CGO_ENABLED=0" not in r.output
    assert runtime_stage(r.output).startswith("FROM debian:bookworm-slim AS runtime\n")


def test_go_sum_names_a_cgo_module_required_indirectly(tmp_path):
    ctx = make_context(tmp_path, {
        "go.mod": go_mod("1.22", "gorm.io/driver/sqlite"), "main.go": SERVER,
        "go.sum": "gorm.io/driver/sqlite v1.5.0 h1:abc=\ngorm.io/driver/sqlite v1.5.0/go.mod h1:def=\n"
                  "github.com/mattn/go-sqlite3 v1.14.17 h1:ghi=\n"})
    offer = go_offer(migrate(CGO_DEFAULT, ctx))
    assert "go.sum names github.com/mattn/go-sqlite3" in offer.reason


def test_go_sum_lines_for_go_mod_only_are_not_built_modules(tmp_path):
    ctx = make_context(tmp_path, {
        "go.mod": go_mod("1.22", "example.com/pure"), "main.go": SERVER,
        "go.sum": "example.com/pure v1.0.0 h1:abc=\ngithub.com/mattn/go-sqlite3 v1.14.17/go.mod h1:ghi=\n"})
    r = migrate(CGO_DEFAULT, ctx, unsafe=True)
    assert "CGO_ENABLED=0 go build" in r.output


def test_a_major_version_suffix_matches_the_module(tmp_path):
    ctx = make_context(tmp_path, {"go.mod": go_mod("1.22", "github.com/libgit2/git2go/v31"), "main.go": SERVER})
    offer = go_offer(migrate(CGO_DEFAULT, ctx))
    assert "go.mod names github.com/libgit2/git2go/v31, which needs cgo (without it: build fails" in offer.reason


def test_unknown_modules_get_cgo_disabled_as_a_build_time_guard_unsafe(tmp_path):
    ctx = make_context(tmp_path, {"go.mod": go_mod("1.22", "github.com/gin-gonic/gin"), "main.go": SERVER,
                                  "go.sum": "github.com/gin-gonic/gin v1.10.0 h1:abc=\n"})
    offer = go_offer(migrate(CGO_DEFAULT, ctx))
    assert offer.unsafe_only
    assert "none of the 1 modules of go.mod/go.sum is one go-cgo-modules.json knows to need cgo" in offer.reason
    assert "not in go-cgo-modules.json would fail at run time" in offer.reason
    r = migrate(CGO_DEFAULT, ctx, unsafe=True)
    assert "RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .\n" in r.output
    assert runtime_stage(r.output).startswith("FROM gcr.io/distroless/static-debian12 AS runtime\n")


def test_old_go_mod_without_go_sum_does_not_list_indirect_modules(tmp_path):
    ctx = make_context(tmp_path, {"go.mod": go_mod("1.16", "github.com/gin-gonic/gin"), "main.go": SERVER})
    offer = go_offer(migrate(CGO_DEFAULT, ctx))
    assert "without go.sum a go.mod before Go 1.17 does not list" in offer.reason
    assert "CGO_ENABLED=0" not in migrate(CGO_DEFAULT, ctx, unsafe=True).output


VENDORED = {
    "go.mod": go_mod("1.22", "example.com/dep"),
    "main.go": SERVER,
    "vendor/modules.txt": "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n",
    "vendor/example.com/dep/dep.go": "package dep\n\nfunc X() {}\n",
}


def test_vendored_sources_without_cgo_make_the_static_build_safe(tmp_path):
    r = migrate(CGO_DEFAULT, make_context(tmp_path, VENDORED))
    change = go_change(r)
    assert change.applicability.value == "safe"
    assert "the vendored modules the build uses included" in change.reason
    assert "RUN CGO_ENABLED=0 go build" in r.output


def test_vendored_package_importing_c_keeps_cgo(tmp_path):
    files = dict(VENDORED, **{"vendor/example.com/dep/c.go": CGO.replace("package main", "package dep")})
    offer = go_offer(migrate(CGO_DEFAULT, make_context(tmp_path, files)))
    assert 'vendor/example.com/dep imports "C"' in offer.reason


def test_vendored_cgo_file_for_another_os_is_not_built(tmp_path):
    files = dict(VENDORED, **{"vendor/example.com/dep/c_darwin.go": CGO.replace("package main", "package dep"),
                              "vendor/example.com/dep/w.go": "//go:build windows\n\n" + CGO})
    assert go_change(migrate(CGO_DEFAULT, make_context(tmp_path, files))).applicability.value == "safe"


def test_vendor_ignored_by_mod_mod_is_not_read(tmp_path):
    text = CGO_DEFAULT.replace("go build -o", "go build -mod=mod -o")
    offer = go_offer(migrate(text, make_context(tmp_path, VENDORED)))
    assert "not in go-cgo-modules.json would fail at run time" in offer.reason


def test_own_cgo_file_for_another_os_is_not_cgo(tmp_path):
    r = migrate(CGO_DEFAULT, go_app(tmp_path, **{"native/c_windows.go": CGO}))
    assert go_change(r).applicability.value == "safe"


@pytest.mark.parametrize("text, name, cgo, builds", [
    ("package x\n", "a.go", False, True),
    ("//go:build !cgo\n\npackage x\n", "a.go", True, False),
    ("//go:build !cgo\n\npackage x\n", "a.go", False, True),
    ("// Copyright\n\n//go:build linux && (amd64 || arm64)\n\npackage x\n", "a.go", True, True),
    ("//go:build darwin || windows\n\npackage x\n", "a.go", True, False),
    ("// +build linux,cgo\n\npackage x\n", "a.go", False, False),
    ("// +build darwin linux\n\npackage x\n", "a.go", True, True),
    ("package x\n", "a_darwin.go", True, False),
    ("package x\n", "a_linux_arm64.go", True, True),
    ("package x\n", "a_386.go", True, False),
    ("package x\n\n//go:build windows\n", "a.go", True, True),     # after the package clause: no constraint
])
def test_build_constraints(text, name, cgo, builds):
    from migrator.context.go import may_build

    assert may_build(text, name, cgo=cgo) is builds


def test_cgo_module_data_has_a_source_and_verdict_for_each():
    from migrator.context.go import cgo_modules

    data = cgo_modules()
    assert "github.com/mattn/go-sqlite3" in data
    for module, entry in data.items():
        assert entry["without_cgo"] in ("build fails", "stub", "fallback"), module
        assert entry["source"].startswith("https://github.com/") and "/tree/" in entry["source"], module
        assert entry["packages"], module
        # a stub or fallback is a `!cgo` file someone read; "build fails" has none
        assert bool(entry["no_cgo_variant"]) == (entry["without_cgo"] != "build fails"), module


def test_regeneration_script_classifies_a_module_tree(tmp_path):
    import subprocess
    import sys

    stub = tmp_path / "stub"
    make_context(stub, {"go.mod": "module example.com/stub\n", "a.go": CGO.replace("package main", "package s"),
                        "mock.go": "//go:build !cgo\n\npackage s\n"})
    fails = tmp_path / "fails"
    make_context(fails, {"go.mod": "module example.com/fails\n",
                         "sub/a.go": CGO.replace("package main", "package sub"), "b_darwin.go": CGO})
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "scripts" / "regen_go_cgo_modules.py"), str(stub), str(fails)],
                         capture_output=True, text=True, check=True).stdout
    import json

    got = json.loads(out)
    assert got["example.com/stub"] == {"packages": ["."], "no_cgo_variant": {".": ["mock.go"]}}
    assert got["example.com/fails"] == {"packages": ["sub"], "no_cgo_variant": {}}


def test_echo_and_mkdir_of_the_workdir_before_the_build_need_no_replay(tmp_path):
    text = DOCKERFILE.replace("WORKDIR /src", 'RUN mkdir -p /src && echo "building"\nWORKDIR /src')
    assert go_change(migrate(text, go_app(tmp_path))).applicability.value == "safe"
    text = DOCKERFILE.replace("WORKDIR /src", "RUN mkdir /data\nWORKDIR /src")
    assert "runs `mkdir` before the build" in go_offer(migrate(text, go_app(tmp_path))).reason
    text = DOCKERFILE.replace("WORKDIR /src", "RUN echo x > /etc/app.conf\nWORKDIR /src")
    assert "runs `echo` before the build" in go_offer(migrate(text, go_app(tmp_path))).reason


def test_binary_path_that_is_a_context_folder_is_left_to_split_stages(tmp_path):
    text = DOCKERFILE.replace("-o /usr/local/bin/app", "-o app").replace('CMD ["app"]', 'CMD ["./app"]')
    df = parse(text)
    outcome = GoRuntime().run(df, Options(context=go_app(tmp_path, **{"app/x.go": "package app\n"})))
    assert not outcome.fixes
    assert any("names a folder of the build context" in n for n in outcome.notes)


def test_cgo_enabled_1_is_dynamic(tmp_path):
    text = DOCKERFILE.replace("CGO_ENABLED=0", "CGO_ENABLED=1")
    offer = go_offer(migrate(text, go_app(tmp_path)))
    assert "CGO_ENABLED=1 on line 6" in offer.reason


def test_netgo_osusergo_static_ldflags_is_static(tmp_path):
    text = DOCKERFILE.replace(
        "CGO_ENABLED=0 go build", """go build -tags netgo,osusergo -ldflags '-extldflags "-static"'""")
    r = migrate(text, go_app(tmp_path))
    assert go_change(r).applicability.value == "safe"
    assert "netgo" in go_change(r).reason


@pytest.mark.parametrize("tag, static", [("1.22-alpine", True), ("1.19-alpine", False)])
def test_golang_alpine_without_a_c_compiler(tmp_path, tag, static):
    text = DOCKERFILE.replace("golang:1.22-bookworm", f"golang:{tag}").replace("CGO_ENABLED=0 go build", "go build")
    ctx = go_app(tmp_path, **{"native/c.go": CGO})    # no compiler: cgo off whatever the sources say (Go >= 1.20)
    r = migrate(text, ctx)
    if static:
        assert go_change(r).applicability.value == "safe"
        assert "no C compiler" in go_change(r).reason
        assert "CGO_ENABLED=0 go build" not in r.output
    else:
        assert go_offer(r).unsafe_only


def test_golang_alpine_with_gcc_installed_has_cgo(tmp_path):
    text = DOCKERFILE.replace("golang:1.22-bookworm", "golang:1.22-alpine").replace(
        "WORKDIR /src", "RUN apk add --no-cache gcc musl-dev\nWORKDIR /src").replace(
        "CGO_ENABLED=0 go build", "go build")
    ctx = go_app(tmp_path, **{"native/c.go": CGO})
    r = migrate(text, ctx, unsafe=True)
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM alpine:3 AS runtime\n")
    assert "xargs -r apk add --no-cache < /tmp/go-runtime/.runtime-packages" in runtime
    assert "gcc" not in runtime


# ---------------------------------------------------------------------------
# Unsafe reasons


def test_no_build_context_is_unsafe():
    r = migrate(DOCKERFILE, None)
    offer = go_offer(r)
    assert offer.unsafe_only and "no build context" in offer.reason
    # split-stages makes no second, competing unsafe offer
    assert not any(x.transform == "split-stages" for x in r.refusals)


def refused(result, *phrases):
    """The go-runtime refusal of ``result``: a hard one (not an unsafe offer), naming each phrase."""
    offer = go_offer(result)
    assert not offer.unsafe_only
    assert not any(c.transform == "go-runtime" for c in result.changes)
    for phrase in phrases:
        assert phrase in offer.reason
    return offer


def test_run_after_the_build_using_go_is_refused_even_with_unsafe(tmp_path):
    text = DOCKERFILE.replace('EXPOSE 8080', 'RUN go version > /src/go-version.txt\nEXPOSE 8080')
    for unsafe in (False, True):
        r = migrate(text, go_app(tmp_path), unsafe=unsafe)
        refused(r, "line 7 runs go, a tool of the golang image the runtime lacks")
        # no stage after the split runs `go` without the golang image
        for stage in r.output.split("\nFROM ")[1:]:
            assert "go version" not in stage or stage.startswith("golang:")


def test_healthcheck_with_a_tool_of_the_golang_image_is_refused(tmp_path):
    text = DOCKERFILE.replace('EXPOSE 8080', 'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\nEXPOSE 8080')
    refused(migrate(text, go_app(tmp_path), unsafe=True), "HEALTHCHECK runs curl, a tool of the golang image")


def test_cmd_running_go_is_refused(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'CMD ["go", "run", "."]')
    refused(migrate(text, go_app(tmp_path), unsafe=True), "CMD runs go, a tool of the golang image")


def test_run_after_the_build_needs_a_shell_os_image(tmp_path):
    text = DOCKERFILE.replace('EXPOSE 8080', 'RUN mkdir -p /src/cache\nEXPOSE 8080')
    r = migrate(text, go_app(tmp_path))
    change = go_change(r)
    assert change.applicability.value == "safe"
    assert runtime_stage(r.output).startswith("FROM debian:bookworm-slim AS runtime\n")
    assert "needs a shell" in change.reason


def test_cmd_running_another_program_is_unsafe_on_the_os_image(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'CMD ["sh", "-c", "app --port $PORT"]')
    offer = go_offer(migrate(text, go_app(tmp_path)))
    assert 'line 8: CMD runs sh, not the built binary /usr/local/bin/app' in offer.reason
    # distroless has no sh: the unsafe fix lands where sh is
    r = migrate(text, go_app(tmp_path), unsafe=True)
    assert runtime_stage(r.output).startswith("FROM debian:bookworm-slim AS runtime\n")


def test_shell_script_cmd_goes_to_the_os_image(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'CMD app --port 8080 && echo done')
    r = migrate(text, go_app(tmp_path), unsafe=True)
    assert "is not only the built binary" in go_change(r).reason
    assert runtime_stage(r.output).startswith("FROM debian:bookworm-slim AS runtime\n")


def test_shell_form_cmd_of_the_binary_goes_to_the_os_image(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'CMD app --port 8080')
    r = migrate(text, go_app(tmp_path))
    assert go_change(r).applicability.value == "safe"
    assert runtime_stage(r.output).startswith("FROM debian:bookworm-slim AS runtime\n")


def test_binary_found_only_on_the_golang_path_is_refused(tmp_path):
    text = DOCKERFILE.replace("-o /usr/local/bin/app", "-o /go/bin/app")
    refused(migrate(text, go_app(tmp_path), unsafe=True), "CMD runs app, found on the golang image's PATH (/go/bin)")


def test_named_user_the_runtime_lacks_is_refused(tmp_path):
    text = DOCKERFILE.replace('WORKDIR /src', 'RUN useradd app\nWORKDIR /src').replace(
        'CMD ["app"]', 'USER app\nCMD ["app"]')
    refused(migrate(text, go_app(tmp_path), unsafe=True),
            "USER app names a user gcr.io/distroless/static-debian12 has no entry for")


def test_named_user_the_runtime_has_is_kept(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'USER nonroot\nCMD ["app"]')
    r = migrate(text, go_app(tmp_path))
    assert go_change(r).applicability.value == "safe"
    assert runtime_stage(r.output).endswith("USER nonroot\nCMD [\"app\"]\n")


def test_named_user_made_after_the_build_is_kept(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'RUN useradd app\nUSER app\nCMD ["app"]')
    r = migrate(text, go_app(tmp_path))
    assert go_change(r).applicability.value == "safe"
    assert runtime_stage(r.output).startswith("FROM debian:bookworm-slim AS runtime\n")


def test_volume_is_unsafe_on_distroless(tmp_path):
    text = DOCKERFILE.replace('EXPOSE 8080', 'VOLUME /data\nEXPOSE 8080')
    offer = go_offer(migrate(text, go_app(tmp_path)))
    assert "VOLUME /data would belong to root" in offer.reason


# ---------------------------------------------------------------------------
# Left to split-stages


@pytest.mark.parametrize("change, why", [
    (("-o /usr/local/bin/app .", "."), "without -o"),
    (("/usr/local/bin/app .", "app . && mv app /usr/local/bin/"), "runs `mv` after `go build`"),
])
def test_builds_it_cannot_take_on_are_left_to_split_stages(tmp_path, change, why):
    df = parse(DOCKERFILE.replace(*change))
    outcome = GoRuntime().run(df, Options(context=go_app(tmp_path)))
    assert not outcome.fixes
    assert any(why in n for n in outcome.notes)


def test_second_run_changes_nothing(tmp_path):
    ctx = go_app(tmp_path, TEMPLATES_FROM_DISK, **{"templates/index.html": "x"})
    first = migrate(DOCKERFILE, ctx)
    again = migrate_text(first.output, Options(context=ctx), "Dockerfile")
    assert again.output == first.output


# ---------------------------------------------------------------------------
# verify: what a Go runtime leaves behind on purpose, and a smoke without a shell


def test_verify_reads_the_go_toolchain_env_as_left_on_purpose():
    from migrator.verify.compare import compare_env

    golang = ["PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
              "GOLANG_VERSION=1.22.5", "GOTOOLCHAIN=local", "GOPATH=/go", "APP_ENV=production"]
    distroless = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "APP_ENV=production"]
    diff = compare_env(golang, distroless)
    assert diff.status == "equivalent"
    assert "GOPATH stays with the Go toolchain" in diff.explanation
    assert "PATH loses the Go toolchain's /go/bin, /usr/local/go/bin" in diff.explanation
    # a variable of the app's own is still a change
    assert compare_env(golang, distroless[:2]).status == "changed"


def test_verify_smoke_as_a_json_array_runs_without_a_shell():
    from migrator.verify.inspect import exec_form

    assert exec_form('["/usr/local/bin/app", "-selftest"]') == ["/usr/local/bin/app", "-selftest"]
    assert exec_form("python -c 'import app'") is None
    assert exec_form("[ -f /app/x ] && echo yes") is None      # a shell test command, not JSON


def test_readme_go_example_is_the_corpus_case():
    from migrator.context import BuildContext as Context

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme.split("\n### Go\n", 1)[1].split("\n### ", 1)[0]
    before = section.split("```dockerfile\n", 2)[1].split("```", 1)[0]
    after = section.split("```dockerfile\n", 2)[2].split("```", 1)[0]
    case = Path(__file__).resolve().parent.parent / "corpus" / "go-runtime-templates-folder"
    assert before == (case / "before.Dockerfile").read_text("utf-8")
    result = migrate_text(before, Options(context=Context.at(case / "context")), "Dockerfile")
    assert result.output == after


def test_cli_go_runtime_flag(tmp_path):
    from click.testing import CliRunner

    from migrator.cli import cli

    go_app(tmp_path)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    runner = CliRunner()
    out = runner.invoke(cli, ["diff", "--go-runtime", "scratch", str(tmp_path / "Dockerfile")])
    assert out.exit_code == 0 and "+FROM scratch AS runtime" in out.output
    out = runner.invoke(cli, ["diff", "--go-runtime", "alpine", str(tmp_path / "Dockerfile")])
    assert out.exit_code == 2 and "'alpine' is not one of 'distroless', 'scratch', 'debian-slim'" in out.output
    out = runner.invoke(cli, ["batch", str(tmp_path), "--go-runtime", "debian-slim", "--patch", "-", "--quiet"])
    assert out.exit_code == 0 and "+FROM debian:bookworm-slim AS runtime" in out.output


def test_healthcheck_running_the_binary_keeps_distroless(tmp_path):
    text = DOCKERFILE.replace('CMD ["app"]', 'HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "-health"]\n'
                                             'CMD ["app"]')
    r = migrate(text, go_app(tmp_path))
    assert go_change(r).applicability.value == "safe"
    assert runtime_stage(r.output).startswith("FROM gcr.io/distroless/static-debian12 AS runtime\n")


def test_healthcheck_with_curl_goes_to_the_os_image_with_curl_installed(tmp_path):
    text = DOCKERFILE.replace("WORKDIR /src", "RUN apt-get update && apt-get install -y curl gcc && "
                                              "rm -rf /var/lib/apt/lists/*\nWORKDIR /src").replace(
        'CMD ["app"]', 'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\nCMD ["app"]')
    r = migrate(text, go_app(tmp_path))
    assert go_change(r).applicability.value == "safe"
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM debian:bookworm-slim AS runtime\n")
    assert "apt-get install -y --no-install-recommends curl " in runtime and "gcc" not in runtime


def test_modules_replaced_by_context_folders_are_seen(tmp_path):
    files = {"go.mod": go_mod("1.22", "example.com/lib") + "\nreplace example.com/lib => ./lib\n",
             "main.go": SERVER, "lib/go.mod": "module example.com/lib\n", "lib/lib.go": "package lib\n"}
    r = migrate(CGO_DEFAULT, make_context(tmp_path, files))
    change = go_change(r)
    assert change.applicability.value == "safe"
    assert "the modules go.mod replaces with folders of the context included" in change.reason
    assert "RUN CGO_ENABLED=0 go build" in r.output


def test_a_replaced_module_importing_c_keeps_cgo(tmp_path):
    files = {"go.mod": go_mod("1.22", "example.com/lib") + "\nreplace (\n\texample.com/lib v1.0.0 => ./lib\n)\n",
             "main.go": SERVER, "lib/go.mod": "module example.com/lib\n",
             "lib/c.go": CGO.replace("package main", "package lib")}
    assert 'lib/c.go imports "C"' in go_offer(migrate(CGO_DEFAULT, make_context(tmp_path, files))).reason


@pytest.mark.parametrize("target", ["../lib", "example.com/fork v1.2.0", "./_lib"])
def test_replacements_outside_the_read_sources_are_not_seen(tmp_path, target):
    files = {"go.mod": go_mod("1.22", "example.com/lib") + f"\nreplace example.com/lib => {target}\n",
             "main.go": SERVER}
    offer = go_offer(migrate(CGO_DEFAULT, make_context(tmp_path, files)))
    assert "(example.com/lib...)" in offer.reason and "would fail at run time" in offer.reason


def test_vendored_cgo_package_with_a_no_cgo_stub_says_so(tmp_path):
    files = dict(VENDORED, **{"vendor/example.com/dep/c.go": CGO.replace("package main", "package dep"),
                              "vendor/example.com/dep/mock.go": "//go:build !cgo\n\npackage dep\n"})
    offer = go_offer(migrate(CGO_DEFAULT, make_context(tmp_path, files)))
    assert 'vendor/example.com/dep imports "C" (its no-cgo variant may be a stub' in offer.reason
    # an ordinary file beside the cgo one is no variant
    files = dict(VENDORED, **{"vendor/example.com/dep/c.go": CGO.replace("package main", "package dep")})
    offer = go_offer(migrate(CGO_DEFAULT, make_context(tmp_path / "b", files)))
    assert 'vendor/example.com/dep imports "C"' in offer.reason and "variant" not in offer.reason


def test_a_tool_installed_after_the_build_is_in_the_runtime(tmp_path):
    text = DOCKERFILE.replace('EXPOSE 8080', 'RUN apt-get update && apt-get install -y curl\n'
                                             'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\nEXPOSE 8080')
    r = migrate(text, go_app(tmp_path), unsafe=True)
    runtime = runtime_stage(r.output)
    assert runtime.startswith("FROM debian:bookworm-slim AS runtime\n")
    assert "apt-get install -y curl" in runtime and "HEALTHCHECK CMD curl" in runtime


# ---------------------------------------------------------------------------
# Computed paths of disk reads (review 3, D5)

COMPUTED_CONFIG = """\
package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

const configDir = "config"

func load(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(configDir, name+".json"))
}

func main() {
	b, _ := load("app")
	fmt.Println(string(b))
	http.ListenAndServe(":8080", nil)
}
"""


def go_main(body: str, imports: str = '"os"', extra: str = "") -> str:
    return f"package main\n\nimport (\n\t{imports}\n)\n{extra}\nfunc main() {{\n{body}\n}}\n"


def test_a_constant_folder_joined_with_a_run_time_name_is_copied_and_safe(tmp_path):
    ctx = go_app(tmp_path, COMPUTED_CONFIG, **{"config/app.json": '{"port": 8080}'})
    src = read_go_sources(ctx)
    assert src.disk_reads == ("config/",) and src.unresolved == ()
    assert src.read_sites == (("config/", 'main.go:13: `os.ReadFile(filepath.Join(configDir, name+".json"))`'),)
    r = migrate(DOCKERFILE, ctx)
    assert go_change(r).applicability.value == "safe"
    assert "COPY --from=builder /src/config /src/config\n" in runtime_stage(r.output)


@pytest.mark.parametrize("body, extra, expected", [
    ('\tdir := "data"\n\tos.ReadFile(dir + "/seed.json")', "", "data/seed.json"),
    ('\tconst name = "a.json"\n\tvar dir string = "data"\n\tos.ReadFile(path.Join(dir, "x", name))', "",
     "data/x/a.json"),
    ('\tos.ReadFile(fmt.Sprintf("%s/%s.yaml", base, "app"))', 'const base = "conf"', "conf/app.yaml"),
    ('\tos.ReadFile(fmt.Sprintf("templates/%s.html", os.Args[1]))', "", "templates/"),
    ('\tos.ReadFile(("static") + "/" + os.Args[1])', "", "static/"),
    ('\tos.ReadDir(root)', 'var (\n\tother = 1\n\troot  = filepath.Join("var", "lib")\n)', "var/lib"),
])
def test_constant_expressions_are_resolved(tmp_path, body, extra, expected):
    main = go_main(body, '"fmt"\n\t"os"\n\t"path"\n\t"path/filepath"', extra)
    src = read_go_sources(go_app(tmp_path, main))
    assert src.disk_reads == (expected,) and src.unresolved == ()


@pytest.mark.parametrize("body, extra", [
    ('\tos.ReadFile(os.Args[1])', ""),                                           # a run-time value
    ('\tflag.Parse()\n\tos.ReadFile(filepath.Join(dir, "a.json"))', 'var dir = "config"\n\n'
     'func init() { flag.StringVar(&dir, "config", dir, "folder") }'),      # a flag can change it
    ('\tdir := "a"\n\tif len(os.Args) > 1 {\n\t\tdir = os.Args[1]\n\t}\n\tos.ReadFile(dir + "/x")', ""),
    ('\tos.ReadFile(fmt.Sprintf("%s/app.json", os.Getenv("DIR")))', ""),
    ('\tfiles := os.Args[1:]\n\ttemplate.ParseFiles(files...)', ""),
])
def test_a_path_with_no_constant_folder_is_unresolved(tmp_path, body, extra):
    main = go_main(body, '"flag"\n\t"fmt"\n\t"os"\n\t"path/filepath"\n\t"text/template"', extra)
    src = read_go_sources(go_app(tmp_path, main))
    assert src.disk_reads == () and len(src.unresolved) == 1
    assert src.unresolved[0].startswith("main.go:")


def test_a_package_constant_of_another_file_resolves_but_not_another_package_s(tmp_path):
    ctx = make_context(tmp_path, {
        "go.mod": "module m\n\ngo 1.22\n",
        "main.go": go_main('\tos.ReadFile(filepath.Join(dataDir, os.Args[1]))\n\tos.ReadFile(cfg.Dir + "/x")',
                           '"os"\n\t"path/filepath"\n\t"m/cfg"'),
        "paths.go": 'package main\n\nconst dataDir = "data"\n',
        "cfg/cfg.go": 'package cfg\n\nconst Dir = "conf"\nconst dataDir = "elsewhere"\n',
    })
    src = read_go_sources(ctx)
    assert src.disk_reads == ("data/",)
    assert src.unresolved == ('main.go:11: `os.ReadFile(cfg.Dir + "/x")`',)


def test_creates_probes_and_embed_reads_are_no_unresolved_reads(tmp_path):
    body = ('\tos.OpenFile(os.Args[1], os.O_CREATE|os.O_WRONLY, 0o644)\n\tos.Stat(os.Args[2])\n'
            '\tfiles.ReadFile(os.Args[3])')
    src = read_go_sources(go_app(tmp_path, go_main(body, '"embed"\n\t"os"', "//go:embed a\nvar files embed.FS\n")))
    assert src.disk_reads == () and src.unresolved == ()


def test_path_argument_positions_and_config_libraries(tmp_path):
    body = ('\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {\n'
            '\t\thttp.ServeFile(w, r, "public/index.html")\n\t})\n'
            '\tviper.AddConfigPath("./settings")\n\tviper.SetConfigFile(cfg)\n\tgodotenv.Load()\n'
            '\trouter.Static("/assets", "./assets")\n\trouter.LoadHTMLGlob("views/*")')
    extra = 'const cfg = "etc/app.yaml"\n'
    src = read_go_sources(go_app(tmp_path, go_main(body, '"net/http"', extra)))
    assert src.disk_reads == ("public/index.html", "./settings", "etc/app.yaml", ".env", "./assets", "views/*")
    assert src.unresolved == ()


def unsafe_reason(ctx) -> str:
    offer = go_offer(migrate(DOCKERFILE, ctx))
    assert offer.unsafe_only
    return offer.reason


def test_an_unresolved_read_makes_the_change_unsafe_naming_the_call(tmp_path):
    main = COMPUTED_CONFIG.replace("filepath.Join(configDir, name+\".json\")", "name")
    reason = unsafe_reason(go_app(tmp_path, main, **{"config/app.json": "{}"}))
    assert "main.go:13: `os.ReadFile(name)` reads a path the tool can't resolve to a folder of the build context" \
        in reason


def test_a_constant_folder_the_context_lacks_makes_the_change_unsafe(tmp_path):
    main = COMPUTED_CONFIG.replace('"config"', '"/data"')
    reason = unsafe_reason(go_app(tmp_path, main))
    assert 'reads a file under /data/, a folder the build context does not have' in reason


def test_reading_the_working_directory_or_a_dotenv_file_is_unsafe(tmp_path):
    main = go_main('\tviper.AddConfigPath(".")\n\tgodotenv.Load()\n\thttp.ListenAndServe(":8080", nil)',
                   '"net/http"')
    reason = unsafe_reason(go_app(tmp_path, main, **{".env": "SECRET=1", "app.yaml": "a: 1"}))
    assert 'main.go:8: `viper.AddConfigPath(".")` reads the whole working directory' in reason
    assert "main.go:9: `godotenv.Load()` reads .env, a secrets file the runtime stage does not copy" in reason


def test_with_an_unresolved_read_the_unsafe_fix_copies_the_data_folders(tmp_path):
    main = COMPUTED_CONFIG.replace("filepath.Join(configDir, name+\".json\")", "name")
    ctx = go_app(tmp_path, main, **{"config/app.json": "{}", "lib/x.go": "package lib\n",
                                    "vendor/modules.txt": "", "testdata/a.txt": "a"})
    assert "in doubt, the runtime stage gets every top-level folder" in unsafe_reason(ctx)
    runtime = runtime_stage(migrate(DOCKERFILE, ctx, unsafe=True).output)
    assert "COPY --from=builder /src/config /src/config\n" in runtime
    assert "/src/lib" not in runtime and "/src/vendor" not in runtime and "/src/testdata" not in runtime


# ---------------------------------------------------------------------------
# A cgo binary's runtime release (review 3's open question: golang:1.16 -> debian:buster-slim)

CGO_ON_TAG = """\
FROM {base}
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
"""


@pytest.mark.parametrize("tag, runtime", [
    ("golang:1.16", "debian:bullseye-slim"),          # the last 1.16 images are bullseye, not buster
    ("golang:1.16.5", "debian:buster-slim"),          # before Debian 11's release
    ("golang:1.19", "debian:bookworm-slim"),
])
def test_a_cgo_runtime_is_on_the_release_of_the_golang_image_guessed_unsafe(tmp_path, tag, runtime):
    ctx = go_app(tmp_path, CGO)
    offer = go_offer(migrate(CGO_ON_TAG.format(base=tag), ctx))
    release = runtime.split(":")[1].split("-")[0]
    assert f"runtime lands on {runtime}" in offer.reason
    assert f"{tag} names no Debian release: {release} (the runtime's)" in offer.reason
    assert f"pin the builder to the release it is on (e.g. {tag}-{release})" in offer.reason
    assert f"FROM {runtime} AS runtime" in migrate(CGO_ON_TAG.format(base=tag), ctx, unsafe=True).output


def test_a_cgo_runtime_on_a_release_the_tag_names_has_no_release_reason(tmp_path):
    offer = go_offer(migrate(CGO_ON_TAG.format(base="golang:1.16-buster"), go_app(tmp_path, CGO)))
    assert "runtime lands on debian:buster-slim" in offer.reason and "names no Debian release" not in offer.reason


def test_a_runtime_on_another_debian_release_than_the_builder_is_refused():
    from types import SimpleNamespace

    from transforms.go_runtime import _release_check

    base = SimpleNamespace(family="debian", slim_ref="debian:buster-slim", release="bullseye", floating=False,
                           release_from_default=False, ref="golang:1.16-bullseye")
    refusal, reason = _release_check(base)
    assert reason is None
    assert refusal.startswith("golang:1.16-bullseye is Debian bullseye and the runtime debian:buster-slim is Debian "
                              "buster: a cgo binary on another release's C library fails to start")
    # a floating tag (golang:1.25) follows Debian's stable release, and so does its runtime
    floating = SimpleNamespace(**{**vars(base), "slim_ref": "debian:stable-slim", "release": "trixie",
                                  "floating": True, "release_from_default": True, "ref": "golang:1.25"})
    assert _release_check(floating) == (None, None)


# ---------------------------------------------------------------------------
# Review 5: writes (E2), path literals (E9), exec-form builds (E4), golang tags (E5)

WRITES = """\
package main

import (
	"database/sql"
	"log"
	"os"
	"path/filepath"
)

const FILE_NAME = "records.bin"

func getEnvOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	f, _ := os.Create(FILE_NAME)
	f.Close()
	dst := filepath.Join(getEnvOr("BASE_DIR", "."), getEnvOr("UPLOADS_DIR", "uploads"), "a.png")
	_ = os.MkdirAll(filepath.Dir(dst), 0o750)
	l, _ := os.OpenFile("logs/app.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	log.SetOutput(l)
	r, _ := os.OpenFile("config.json", os.O_RDONLY, 0)
	r.Close()
	_, _ = sql.Open("sqlite3", "file:data/app.db?cache=shared")
	_, _ = sql.Open("postgres", "postgres://db/app")
	_ = os.WriteFile(filepath.Join(os.TempDir(), "x"), nil, 0o600)
}
"""


def test_writes_are_read_with_their_folders_and_the_dockerfile_env(tmp_path):
    src = read_go_sources(go_app(tmp_path, WRITES), env={"BASE_DIR": "/data"})
    sites = {(folder, file) for folder, _where, file in src.write_sites}
    assert (".", "records.bin") in sites                       # a bare name: the working directory
    assert ("/data/uploads", None) in sites                    # ENV BASE_DIR, UPLOADS_DIR's default, filepath.Dir
    assert ("logs", "logs/app.log") in sites                   # O_APPEND|O_CREATE|O_WRONLY
    assert ("data", "data/app.db") in sites                    # a sqlite DSN: file: prefix and options dropped
    assert ("/tmp", "/tmp/x") in sites                         # os.TempDir() is /tmp without TMPDIR
    assert not any(file == "config.json" for _f, _w, file in src.write_sites)   # opened read-only
    assert not any("postgres" in where for _f, where, _file in src.write_sites)
    assert src.unresolved_writes == ()
    # without the ENV the helper gives its default: relative to the working directory
    src = read_go_sources(go_app(tmp_path, WRITES))
    assert ("uploads", None) in {(folder, file) for folder, _where, file in src.write_sites}


def test_a_getenv_the_dockerfile_does_not_set_is_no_constant(tmp_path):
    main = 'package main\n\nimport "os"\n\nfunc main() { os.WriteFile(os.Getenv("OUT"), nil, 0o600) }\n'
    src = read_go_sources(go_app(tmp_path, main))
    assert src.write_sites == () and len(src.unresolved_writes) == 1
    src = read_go_sources(go_app(tmp_path, main), env={"OUT": "/out/r.txt"})
    assert [(f, file) for f, _w, file in src.write_sites] == [("/out", "/out/r.txt")]


def test_a_relative_write_gives_the_workdir_to_the_runtime_user(tmp_path):
    main = 'package main\n\nimport "os"\n\nconst name = "records.bin"\n\nfunc main() { os.Create(name) }\n'
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN CGO_ENABLED=0 go build -o /app/main .
        CMD ["./main"]
        """, go_app(tmp_path, main))
    change = go_change(result)
    assert change.applicability.value == "safe"
    assert "RUN mkdir -p /tmp/go-runtime-rw/app\n" in result.output
    runtime = runtime_stage(result.output)
    copy = "COPY --from=builder --chown=65532:65532 /tmp/go-runtime-rw/app /app\n"
    assert copy in runtime and runtime.index(copy) < runtime.index("WORKDIR /app")   # COPY makes it, owned
    assert "main.go:7: `os.Create(name)`" in change.reason


def test_an_env_folder_is_staged_and_a_written_context_folder_copied_with_chown(tmp_path):
    main = textwrap.dedent("""\
        package main

        import (
        	"os"
        	"path/filepath"
        )

        func main() {
        	os.MkdirAll(filepath.Join(os.Getenv("DATA_DIR"), "uploads"), 0o750)
        	os.OpenFile("logs/app.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
        }
        """)
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        ENV DATA_DIR=/data
        RUN CGO_ENABLED=0 go build -o /app/main .
        CMD ["./main"]
        """, go_app(tmp_path, main, **{"logs/.keep": ""}))
    runtime = runtime_stage(result.output)
    assert "COPY --from=builder --chown=65532:65532 /tmp/go-runtime-rw/data/uploads /data/uploads\n" in runtime
    assert "COPY --from=builder --chown=65532:65532 /app/logs /app/logs\n" in runtime
    reason = go_change(result).reason
    assert "the files it reads" not in reason          # logs/ is written, not read
    assert "the folders it writes, owned by 65532:65532 (/data/uploads, /app/logs" in reason


def test_writes_to_tmp_need_no_folder_on_distroless_but_do_on_scratch(tmp_path):
    main = 'package main\n\nimport "os"\n\nfunc main() { os.WriteFile("/tmp/last-run", nil, 0o600) }\n'
    text = """\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN CGO_ENABLED=0 go build -o /app/main .
        CMD ["./main"]
        """
    assert "go-runtime-rw" not in migrate(text, go_app(tmp_path, main)).output
    scratch = migrate(text, go_app(tmp_path, main), go_runtime="scratch").output
    assert "COPY --from=builder --chown=65532:65532 /tmp/go-runtime-rw/tmp /tmp\n" in scratch


def test_an_unresolved_write_makes_the_move_unsafe_naming_the_call(tmp_path):
    main = ('package main\n\nimport (\n\t"flag"\n\t"os"\n)\n\n'
            'func main() {\n\tout := flag.String("out", "r.txt", "")\n\tflag.Parse()\n'
            '\tos.WriteFile(*out, nil, 0o644)\n}\n')
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN CGO_ENABLED=0 go build -o /app/main .
        CMD ["./main"]
        """, go_app(tmp_path, main))
    offer = go_offer(result)
    assert "main.go:11: `os.WriteFile(*out, nil, 0o644)` writes a path the tool can't resolve" in offer.reason


def test_a_write_as_root_needs_no_folder(tmp_path):
    main = 'package main\n\nimport "os"\n\nfunc main() { os.WriteFile("/data/x", nil, 0o600) }\n'
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN CGO_ENABLED=0 go build -o /app/main .
        USER root
        CMD ["./main"]
        """, go_app(tmp_path, main))
    assert "go-runtime-rw" not in result.output


def test_a_path_literal_naming_a_context_file_is_copied_unless_embedded_or_code(tmp_path):
    main = textwrap.dedent("""\
        package main

        import (
        	"embed"
        	"fmt"
        	"example.com/lib"
        )

        //go:embed assets
        var assets embed.FS

        func main() {
        	t := lib.Tools{TmplsDir: "./ui/pages/", Base: "ui/layout.tmpl"}
        	fmt.Println(t, "assets", "internal/db", "./missing/", "Dockerfile", ".env")
        }
        """)
    ctx = go_app(tmp_path, main, **{"ui/pages/home.tmpl": "x", "ui/layout.tmpl": "x", "assets/a.css": "x",
                                    "internal/db/db.go": "package db\n", "Dockerfile": "FROM x\n", ".env": "A=1\n"})
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN CGO_ENABLED=0 go build -o /app/main .
        CMD ["./main"]
        """, ctx)
    runtime = runtime_stage(result.output)
    assert "COPY --from=builder /app/ui/pages /app/ui/pages\n" in runtime
    assert "COPY --from=builder /app/ui/layout.tmpl /app/ui/layout.tmpl\n" in runtime
    for absent in ("/app/assets", "/app/internal", "/app/Dockerfile", "/app/.env", "missing"):
        assert absent not in runtime
    assert go_change(result).applicability.value == "safe"


def test_an_exec_form_build_gets_cgo_off_from_an_env_line(tmp_path):
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN ["go", "build", "-o", "app"]
        CMD ["./app"]
        """, go_app(tmp_path))
    assert 'ENV CGO_ENABLED=0\nRUN ["go", "build", "-o", "app"]\n' in result.output
    assert go_change(result).applicability.value == "safe"
    assert not result.refusals
    assert "from an ENV before line 4" in go_change(result).reason


@pytest.mark.parametrize("tag, version", [
    ("alpine3.11", None), ("alpine", None), ("bookworm", None), ("1-alpine", None), (None, None),
    ("1.21.3-alpine3.18", (1, 21)), ("1.13-alpine3.11", (1, 13)), ("1.22rc2-alpine", (1, 22)), ("1.20", (1, 20)),
])
def test_golang_tags_name_the_go_version_first(tag, version):
    from transforms.go_runtime import _tag_go_version

    assert _tag_go_version(tag) == version


def test_an_alpine_tag_without_a_go_version_is_not_provably_static(tmp_path):
    result = migrate("""\
        FROM golang:alpine3.11
        WORKDIR /app
        COPY . .
        RUN go build -o main .
        CMD ["./main"]
        """, go_app(tmp_path), unsafe=True)
    change = go_change(result)
    assert "can't tell whether this Go version builds with cgo" in change.reason
    assert "FROM alpine:3.11 AS runtime" in result.output


def test_an_exported_helper_of_another_package_of_the_module_resolves(tmp_path):
    ctx = make_context(tmp_path, {
        "go.mod": "module example.com/app\n\ngo 1.22\n",
        "env/env.go": textwrap.dedent("""\
            package env

            import "os"

            func getEnvOr(name string, def string) string {
            	env := os.Getenv(name)
            	if env == "" {
            		return def
            	}
            	return env
            }

            // GetBaseDir is where uploads go.
            func GetBaseDir() string {
            	return getEnvOr("BASE_DIR", ".")
            }
            """),
        "main.go": textwrap.dedent("""\
            package main

            import (
            	"os"
            	"path"

            	"example.com/app/env"
            	other "example.com/lib/env"
            )

            func main() {
            	os.MkdirAll(path.Join(env.GetBaseDir(), "uploads"), 0o750)
            	os.MkdirAll(other.GetBaseDir(), 0o750)
            }
            """),
    })
    src = read_go_sources(ctx, env={"BASE_DIR": "/data"})
    assert [folder for folder, _w, _f in src.write_sites] == ["/data/uploads"]
    assert len(src.unresolved_writes) == 1 and "other.GetBaseDir()" in src.unresolved_writes[0]


def test_on_the_os_image_a_write_outside_the_workdir_is_unsafe_once_per_folder(tmp_path):
    main = ('package main\n\n// #include <stdlib.h>\nimport "C"\nimport "database/sql"\n\n'
            'func main() {\n\tsql.Open("sqlite3", "./static/forum.db")\n\tsql.Open("sqlite3", "./static/forum.db")\n}\n')
    result = migrate("""\
        FROM golang:1.22-bookworm
        WORKDIR /app
        COPY . .
        RUN go build -o /app/main .
        CMD ["./main"]
        """, go_app(tmp_path, main, **{"static/x.css": ""}), unsafe=True)
    reason = go_change(result).reason
    assert reason.count("writes in /app/static") == 1
    assert "main.go:8: `sql.Open(\"sqlite3\", \"./static/forum.db\")` and 1 more writes in /app/static" in reason
