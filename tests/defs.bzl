"""Test kinds beyond plain unit tests. tests/run finds them by tag."""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")

def _root_test(name, srcs, deps, tags, **kwargs):
    cc_test(
        name = name,
        srcs = srcs,
        deps = deps + [
            "//tests/lib:host",
            "//third_party:gtest_main",
        ],
        tags = ["manual"] + tags,
        **kwargs
    )

def uxc_integration_test(name, srcs, deps = [], **kwargs):
    """A GoogleTest binary that needs root, real users, setuid helpers or
    namespaces. `bazel test //...` leaves it out (manual); tests/run runs it
    as root, outside Bazel's sandbox, with UXC_TEST_BIN naming the installed
    binaries under test."""
    _root_test(name, srcs, deps, ["integration"], **kwargs)

def uxc_fuzz_target(name, srcs, corpus, deps = [], **kwargs):
    """A libFuzzer target; build with --config=fuzz. `corpus` is a directory
    of seed inputs beside the BUILD file. tests/run runs it for a bounded time."""
    cc_binary(
        name = name,
        srcs = srcs,
        deps = deps,
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual", "fuzz", "corpus=" + native.package_name() + "/" + corpus],
        testonly = True,
        **kwargs
    )

def uxc_vm_test(name, srcs, deps = [], **kwargs):
    """A GoogleTest binary whose cases run scripts in tests/vm's VMs (QEMU,
    Debian's kernel). Like an integration test it runs as root outside Bazel,
    with UXC_TEST_BIN and UXC_REPO set, but in tests/run's own VM phase."""
    _root_test(name, srcs, deps, ["vm"], **kwargs)
