#include "launcher/templates/busybox.h"
#include "launcher/templates/debian.h"
#include "launcher/templates/download.h"
#include "launcher/templates/local.h"
#include "launcher/templates/template.h"

namespace uxc::templates {

const std::vector<TemplateSpec>& AllTemplates() {
  static const std::vector<TemplateSpec> kTemplates = {
      {"busybox",
       "[--busybox-path PATH]",
       "A rootfs of the host's static busybox, like LXC's busybox template",
       {{"busybox-path", 0, true, false, "PATH", "the static busybox to copy (default /bin/busybox)"}},
       CreateBusybox},
      {"local",
       "--fstree FILE.tar[.xz|.gz|.zst] [--metadata FILE] [--no-dev] [--trust-image-config]",
       "A rootfs from a local tarball and LXC image metadata, like LXC's local template",
       {{"fstree", 'f', true, false, "FILE", "the rootfs tarball"},
        {"metadata", 'm', true, false, "FILE", "the LXC meta tarball (config, templates, excludes)"},
        {"no-dev", 0, false, false, "", "leave out dev/ entries (device nodes cannot be made here)"},
        {"trust-image-config", 0, false, false, "",
         "keep the image config's keys that reach the host (hooks, host mounts, ...; docs/templates.md)"}},
       CreateLocal},
      {"debian",
       "[-r RELEASE] [--variant VARIANT] [--init systemd|sysvinit|none] [--packages P1,P2] [--mirror URL] [--cache-dir DIR] "
       "[--flush-cache]",
       "Debian bootstrapped by mmdebstrap from the host's apt mirror, unprivileged",
       {{"release", 'r', true, false, "RELEASE", "the Debian release (default bookworm)"},
        {"variant", 0, true, false, "VARIANT", "mmdebstrap's variant (default minbase)"},
        {"arch", 'a', true, false, "ARCH", "the architecture (default the host's)"},
        {"packages", 0, true, false, "P1,P2", "more packages to install"},
        {"init", 0, true, false, "systemd|sysvinit|none", "systemd (default where a delegated cgroup v2 can be had, else sysvinit): systemd-sysv and dbus; sysvinit: sysvinit-core and an inittab made for a container; none: no init, for uxc execute"},
        {"mirror", 0, true, false, "URL", "the archive (default from /etc/apt/sources*)"},
        {"cache-dir", 0, true, false, "DIR", "where bootstrapped tarballs are kept (default ~/.cache/uxc/debian)"},
        {"flush-cache", 0, false, false, "", "bootstrap again even when a cached tarball exists"}},
       CreateDebian},
      {"download",
       "-d DIST -r RELEASE [-a ARCH] [--variant VARIANT] [--server URL] [--keyring FILE | --no-validate] "
       "[--cache-dir DIR] [--flush-cache] [--trust-image-config] | --list",
       "An image from an LXC image server (default images.linuxcontainers.org). On a terminal, -d and -r "
       "not given are asked for",
       {{"dist", 'd', true, false, "DIST", "the distribution (e.g. debian, alpine)"},
        {"release", 'r', true, false, "RELEASE", "the release (e.g. bookworm, 3.19)"},
        {"arch", 'a', true, false, "ARCH", "the architecture (default the host's)"},
        {"variant", 0, true, false, "VARIANT", "the image variant (default \"default\")"},
        {"server", 0, true, false, "URL", "the image server (host name or http(s) URL)"},
        {"keyring", 0, true, false, "FILE", "check each file's .asc signature with gpgv against FILE"},
        {"no-validate", 0, false, false, "", "take the files unchecked from a plain http server"},
        {"cache-dir", 0, true, false, "DIR", "where downloaded images are kept (default ~/.cache/uxc/download)"},
        {"flush-cache", 0, false, false, "", "download the image again even when the cache has its build"},
        {"trust-image-config", 0, false, false, "",
         "keep the image config's keys that reach the host (hooks, host mounts, ...; docs/templates.md)"},
        {"list", 'l', false, false, "",
         "list the server's images (those matching -d, -r, -a, --variant when given) and make no container"}},
       CreateDownload, AnswerDownloadQuery},
  };
  return kTemplates;
}

const TemplateSpec* FindTemplate(std::string_view name) {
  for (const auto& spec : AllTemplates()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

}  // namespace uxc::templates
