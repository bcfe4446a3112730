// The download template: LXC's image-server protocol, as lxc-download speaks
// it. The index meta/1.0/index-user lists images; an image's directory holds
// rootfs.tar.xz and meta.tar.xz (and .asc signatures next to them).
//
// Validation: with --keyring FILE each file's detached .asc signature is
// checked with gpgv against that keyring. Without one, an https:// server is
// trusted through TLS (as LXC 5's lxc-download does); a plain http:// server
// is refused unless --no-validate says to take its files unchecked.
//
// Downloaded images are kept as lxc-download keeps them, in
// <cache>/DIST/RELEASE/ARCH/VARIANT with the build they are of; a create
// whose index names the same build unpacks the cached files.
#pragma once

#include <string>

#include "launcher/templates/template.h"

namespace uxc::templates {

// "images.linuxcontainers.org" -> "https://images.linuxcontainers.org";
// a value with a scheme is kept, without trailing '/'.
std::string ServerBaseUrl(const std::string& server);

// Debian's name for the architecture of `machine` (uname -m): x86_64 ->
// amd64, aarch64 -> arm64, ...; unknown names are returned as they are.
std::string DebianArchitecture(const std::string& machine);

enum class Validation { kSignatures, kTransport, kNone };
// How the files of `base_url` are validated, or an error telling what to pass.
Result<Validation> ChooseValidation(const std::string& base_url, bool has_keyring, bool no_validate);

// -- --list: prints the server's images (those matching any -d, -r, -a,
// --variant given) and returns true, making no container; false without it.
Result<bool> AnswerDownloadQuery(const cli::ParsedArgs& args);

// With -d or -r missing, asks for them on a terminal (after listing the
// images), as lxc-download does; off a terminal that is an error.
Result<TemplateOutput> CreateDownload(const TemplateContext& context, const cli::ParsedArgs& args);

}  // namespace uxc::templates
