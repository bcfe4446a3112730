#include "launcher/templates/download.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "base/read_file.h"
#include "base/unique_fd.h"
#include "launcher/templates/host_command.h"
#include "launcher/templates/image_index.h"
#include "launcher/templates/image_install.h"

namespace uxc::templates {
namespace {

constexpr int kDownloadCompatLevel = 7;
constexpr size_t kMaxIndexBytes = 16 << 20;  // the index of images.linuxcontainers.org: ~100 KiB
constexpr const char* kDefaultServer = "images.linuxcontainers.org";

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// On a terminal the user sees each download and curl's progress bar, as
// with lxc-download; off one, only errors.
bool OnTerminal() { return isatty(STDERR_FILENO) == 1; }

struct Downloader {
  std::string base_url;
  std::string scratch;
  Validation validation;
  std::string keyring;
  bool show_progress = OnTerminal();

  Status Fetch(const std::string& url_path, const std::string& file) const {
    std::vector<std::string> argv = {"curl", "--fail", show_progress ? "--progress-bar" : "--silent",
                                     "--show-error", "--location", "--proto", "=http,https",
                                     "--connect-timeout", "30", "--retry", "2", "--user-agent",
                                     "uxc compat:" + std::to_string(kDownloadCompatLevel),
                                     "--output", file, base_url + url_path};
    HostCommandOptions options;
    options.stderr_to_caller = show_progress;
    if (show_progress) fprintf(stderr, "uxc: downloading %s%s\n", base_url.c_str(), url_path.c_str());
    UXC_RETURN_IF_ERROR(RunHostCommandOrFail(argv, "download " + base_url + url_path, options));
    return OkStatus();
  }

  // Fetches a file and, when validating signatures, its .asc, and checks it.
  Result<std::string> FetchChecked(const std::string& url_path, const std::string& name) const {
    std::string file = scratch + "/" + name;
    UXC_RETURN_IF_ERROR(Fetch(url_path, file));
    if (validation != Validation::kSignatures) return file;
    UXC_RETURN_IF_ERROR(Fetch(url_path + ".asc", file + ".asc"));
    UXC_RETURN_IF_ERROR(RunHostCommandOrFail({"gpgv", "--keyring", keyring, file + ".asc", file},
                                             "check the signature of " + base_url + url_path + " against " + keyring +
                                                 " (a tampered or unsigned image; or the wrong keyring)"));
    return file;
  }

  Result<std::string> FetchIndex() const {
    std::string path = "/meta/1.0/index-user";
    auto file = FetchChecked(path + "." + std::to_string(kDownloadCompatLevel), "index");
    if (file.ok()) return file;
    return FetchChecked(path, "index");
  }
};

Status MakeDirectories(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("make directory " + prefix);
    if (slash == std::string::npos) return OkStatus();
  }
}

// The cached copy of an image, as lxc-download keeps one:
// <cache>/DIST/RELEASE/ARCH/VARIANT/{rootfs.tar.xz,meta.tar.xz,build_id}.
struct ImageCache {
  std::string dir;

  bool Holds(const std::string& build) const {
    auto cached = ReadSmallFile(dir + "/build_id");
    return cached.ok() && *cached == build + "\n" && access((dir + "/rootfs.tar.xz").c_str(), R_OK) == 0 &&
           access((dir + "/meta.tar.xz").c_str(), R_OK) == 0;
  }

  // Downloads (and checks) the image into a new directory beside the cache
  // entry, then swaps it in, so a failed download leaves the old entry.
  Status Fill(const Downloader& downloader, const ImageEntry& image) const {
    std::string parent = dir.substr(0, dir.rfind('/'));
    UXC_RETURN_IF_ERROR(MakeDirectories(parent));
    UXC_ASSIGN_OR_RETURN(auto fresh, ScratchDir::Create(parent, image.variant + ".new-"));
    Downloader into = downloader;
    into.scratch = fresh.path();
    UXC_RETURN_IF_ERROR(into.FetchChecked(image.path + "rootfs.tar.xz", "rootfs.tar.xz"));
    UXC_RETURN_IF_ERROR(into.FetchChecked(image.path + "meta.tar.xz", "meta.tar.xz"));
    {
      std::ofstream build_id(fresh.path() + "/build_id");
      build_id << image.build << "\n";
      if (!build_id.flush()) return ErrnoError("write " + fresh.path() + "/build_id");
    }
    UXC_RETURN_IF_ERROR(
        RunHostCommandOrFail({"rm", "-rf", "--one-file-system", "--", dir}, "remove the old cached image"));
    if (rename(fresh.path().c_str(), dir.c_str()) != 0) return ErrnoError("move the image into " + dir);
    return OkStatus();
  }
};

std::string HostMachine() {
  struct utsname name;
  return uname(&name) == 0 ? name.machine : "";
}

}  // namespace

std::string ServerBaseUrl(const std::string& server) {
  std::string url = server.find("://") == std::string::npos ? "https://" + server : server;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string DebianArchitecture(const std::string& machine) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"x86_64", "amd64"}, {"aarch64", "arm64"}, {"armv7l", "armhf"}, {"i686", "i386"},
      {"i386", "i386"},    {"ppc64le", "ppc64el"}, {"s390x", "s390x"}, {"riscv64", "riscv64"}};
  for (const auto& [kernel, debian] : kNames) {
    if (machine == kernel) return debian;
  }
  return machine;
}

Result<Validation> ChooseValidation(const std::string& base_url, bool has_keyring, bool no_validate) {
  if (has_keyring && no_validate) return PlainError("--keyring and --no-validate contradict each other");
  if (has_keyring) return Validation::kSignatures;
  if (no_validate) return Validation::kNone;
  if (StartsWith(base_url, "https://")) return Validation::kTransport;
  return PlainError("the image server " + base_url +
                    " is not https, so nothing would vouch for its files: pass --keyring FILE to check "
                    "their .asc signatures with gpgv, or --no-validate to take them unchecked");
}

namespace {

// The server's base URL and how its files are checked, from the options.
Result<Downloader> ServerFromArgs(const cli::ParsedArgs& args) {
  std::string base_url = ServerBaseUrl(args.Value("server", kDefaultServer));
  if (!StartsWith(base_url, "http://") && !StartsWith(base_url, "https://")) {
    return PlainError("--server must be a host name or an http:// or https:// URL, not " + base_url);
  }
  UXC_ASSIGN_OR_RETURN(auto validation, ChooseValidation(base_url, args.Has("keyring"), args.Has("no-validate")));
  if (validation == Validation::kNone) {
    fprintf(stderr, "uxc: warning: --no-validate: the image from %s is not checked\n", base_url.c_str());
  }
  return Downloader{base_url, "", validation, args.Value("keyring")};
}

struct ServerIndex {
  Downloader downloader;
  std::vector<ImageEntry> images;
};

// The server the options name and its parsed index, downloaded through a
// scratch directory in `scratch_parent`.
Result<ServerIndex> ReadServerIndex(const cli::ParsedArgs& args, const std::string& scratch_parent) {
  UXC_ASSIGN_OR_RETURN(auto downloader, ServerFromArgs(args));
  UXC_ASSIGN_OR_RETURN(auto scratch, ScratchDir::Create(scratch_parent, ".uxc-download-"));
  downloader.scratch = scratch.path();
  UXC_ASSIGN_OR_RETURN(auto index_file, downloader.FetchIndex());
  UXC_ASSIGN_OR_RETURN(auto index_text, ReadSmallFile(index_file, kMaxIndexBytes));
  auto index = ParseImageIndex(index_text);
  if (!index.ok()) return Annotate(index.take_error(), downloader.base_url + "/meta/1.0/index-user");
  return ServerIndex{downloader, std::move(*index)};
}

bool Interactive() { return isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1; }

// One answer from the terminal; `fallback` when the line is empty.
Result<std::string> Ask(const std::string& question, const std::string& fallback) {
  fprintf(stderr, "%s%s: ", question.c_str(), fallback.empty() ? "" : (" [" + fallback + "]").c_str());
  std::string answer;
  if (!std::getline(std::cin, answer)) return PlainError("no answer to \"" + question + "\" (end of input)");
  while (!answer.empty() && (answer.back() == ' ' || answer.back() == '\r')) answer.pop_back();
  if (answer.empty()) answer = fallback;
  if (answer.empty()) return PlainError("no " + question + " given");
  return answer;
}

// As lxc-download does on a terminal: the images, then a question for each
// of distribution, release and (unless -a) architecture not given.
Status AskForTheImage(const std::vector<ImageEntry>& index, const cli::ParsedArgs& args, ImageQuery* query) {
  fputs(FormatImageList(index, {query->dist, query->release, args.Value("arch"), args.Value("variant")}).c_str(),
        stderr);
  for (auto [field, question] : {std::pair{&query->dist, "Distribution"}, std::pair{&query->release, "Release"}}) {
    if (!field->empty()) continue;
    UXC_ASSIGN_OR_RETURN(auto answer, Ask(question, ""));
    *field = answer;
  }
  if (!args.Has("arch")) {
    UXC_ASSIGN_OR_RETURN(auto answer, Ask("Architecture", query->arch));
    query->arch = answer;
  }
  return OkStatus();
}

std::string TemporaryDirectory() {
  const char* tmpdir = getenv("TMPDIR");
  return tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp";
}

}  // namespace

Result<bool> AnswerDownloadQuery(const cli::ParsedArgs& args) {
  if (!args.Has("list")) return false;
  UXC_ASSIGN_OR_RETURN(auto server, ReadServerIndex(args, TemporaryDirectory()));
  ImageQuery filter{args.Value("dist"), args.Value("release"), args.Value("arch"), args.Value("variant")};
  fputs(FormatImageList(server.images, filter).c_str(), stdout);
  return true;
}

Result<TemplateOutput> CreateDownload(const TemplateContext& context, const cli::ParsedArgs& args) {
  ImageQuery query;
  query.dist = args.Value("dist");
  query.release = args.Value("release");
  query.arch = args.Value("arch", DebianArchitecture(HostMachine()));
  query.variant = args.Value("variant", "default");
  bool ask = query.dist.empty() || query.release.empty();
  if (ask && !Interactive()) {
    return PlainError("the download template needs -d DIST and -r RELEASE (e.g. -d debian -r bookworm; "
                      "-- --list shows the server's images)");
  }
  UXC_ASSIGN_OR_RETURN(auto server, ReadServerIndex(args, context.container_dir));
  if (ask) UXC_RETURN_IF_ERROR(AskForTheImage(server.images, args, &query));
  auto image = FindImage(server.images, query);
  if (!image.ok()) return Annotate(image.take_error(), server.downloader.base_url);

  // The index's fields hold no '/' and are not "." or "..": safe as directory names.
  ImageCache cache{args.Value("cache-dir", context.cache_home + "/uxc/download") + "/" + image->dist + "/" +
                   image->release + "/" + image->arch + "/" + image->variant};
  if (!args.Has("flush-cache") && cache.Holds(image->build)) {
    fprintf(stderr, "uxc: using the cached image %s (build %s; --flush-cache to download it again)\n",
            cache.dir.c_str(), image->build.c_str());
  } else {
    UXC_RETURN_IF_ERROR(cache.Fill(server.downloader, *image));
  }
  std::string rootfs = cache.dir + "/rootfs.tar.xz";
  UniqueFd rootfs_fd(open(rootfs.c_str(), O_RDONLY | O_CLOEXEC));
  if (!rootfs_fd) return ErrnoError("open " + rootfs);
  ImageFiles files;
  files.rootfs_fd = rootfs_fd.get();
  files.rootfs_description = "the image " + query.dist + "/" + query.release + "/" + query.arch + " (build " +
                             image->build + ")";
  files.metadata_path = cache.dir + "/meta.tar.xz";
  files.no_dev = true;  // index-user images hold no device nodes; leave out any that slipped in
  files.compat_level = kDownloadCompatLevel;
  files.trust_image_config = args.Has(kTrustImageConfigOption);
  return InstallImage(context, files);
}

}  // namespace uxc::templates
