// `uxc create -t download` against an LXC image server tree the test builds
// and serves with python3's http.server on 127.0.0.1.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/templates_fixture.h"

namespace uxc::testing {
namespace {

constexpr char kImageDir[] = "/images/testdist/r1/amd64/default/20240101_00:00/";

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

class DownloadTemplateTest : public TemplatesTest {
 protected:
  void SetUp() override {
    TemplatesTest::SetUp();
    root_ = Scratch() + "/server";
    std::string image = root_ + kImageDir;
    Shell("mkdir -p " + root_ + "/meta/1.0 '" + image + "'");
    Shell("printf 'otherdist;r9;amd64;default;20230101_00:00;/images/otherdist/\\n"
          "testdist;r1;amd64;default;20240101_00:00;" + std::string(kImageDir) + "\\n"
          "testdist;r2;arm64;default;20240101_00:00;/images/testdist/r2/\\n' > " + root_ + "/meta/1.0/index-user");

    std::string tree = Scratch() + "/tree";
    Shell("mkdir -p " + tree + "/etc " + tree + "/usr/bin " + tree + "/var/log");
    Shell("printf 'LXC_NAME\\n' > " + tree + "/etc/hostname && printf 'ID=testdist\\n' > " + tree +
          "/etc/os-release");
    Shell("tar --numeric-owner -cJf '" + image + "rootfs.tar.xz' -C " + tree + " .");
    std::string meta = Scratch() + "/meta";
    Shell("mkdir -p " + meta);
    Shell("printf 'lxc.include = LXC_TEMPLATE_CONFIG/common.conf\\nlxc.arch = x86_64\\n' > " + meta +
          "/config-user");
    Shell("printf '/etc/hostname\\n' > " + meta + "/templates");
    Shell("printf './var/log\\n' > " + meta + "/excludes-user");
    Shell("tar --numeric-owner -cJf '" + image + "meta.tar.xz' -C " + meta + " .");
    Shell("chmod -R a+rX " + root_);

    cache_ = Scratch() + "/cache";
    MakeOwnedDirectory(cache_, user_);
    server_log_ = Scratch() + "/server.log";
    port_ = FreeLoopbackPort();
    ASSERT_GT(port_, 0);
    server_ = fork();
    ASSERT_GE(server_, 0);
    if (server_ == 0) {
      setpgid(0, 0);
      int log = open(server_log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (log < 0 || dup2(log, 2) < 0) _exit(127);
      execl("/usr/bin/python3", "python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory",
            root_.c_str(), std::to_string(port_).c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Readiness, not speed: give the interpreter up to a minute to listen.
    for (int i = 0; i < 600 && !Accepts(port_); ++i) usleep(100 * 1000);
    ASSERT_TRUE(Accepts(port_)) << "python3 -m http.server did not start";
    server_url_ = "http://127.0.0.1:" + std::to_string(port_);
  }

  void TearDown() override {
    if (server_ > 0) {
      kill(-server_, SIGTERM);
      waitpid(server_, nullptr, 0);
    }
    TemplatesTest::TearDown();
  }

  // Each test has its own image cache, so no test sees another's downloads.
  std::vector<std::string> ImageArgs(const std::string& release = "r1") {
    return {"-d", "testdist", "-r", release, "-a", "amd64", "--server", server_url_, "--cache-dir", cache_};
  }

  // How often the server was asked for `path`.
  int Requests(const std::string& path) {
    std::string log = ReadFileOrDie(server_log_);
    int count = 0;
    for (size_t at = log.find("GET " + path); at != std::string::npos; at = log.find("GET " + path, at + 1)) {
      ++count;
    }
    return count;
  }

  // Signs every served file of the image and the index with a new key;
  // returns the public keyring the test user can read.
  std::string SignImage() {
    std::string home = Scratch() + "/gnupg";
    Shell("mkdir -m 0700 " + home);
    std::string gpg = "GNUPGHOME=" + home + " gpg --batch --quiet --pinentry-mode loopback --passphrase '' ";
    Shell(gpg + "--quick-gen-key 'uxc test <uxc-test@invalid>' default default never");
    for (const std::string& file : {root_ + "/meta/1.0/index-user", root_ + kImageDir + "rootfs.tar.xz",
                                    root_ + kImageDir + "meta.tar.xz"}) {
      Shell(gpg + "--yes --armor --detach-sign --output '" + file + ".asc' '" + file + "'");
    }
    std::string keyring = Scratch() + "/keyring.gpg";
    Shell(gpg + "--export > " + keyring + " && chmod 0644 " + keyring + " && chmod -R a+rX " + root_);
    return keyring;
  }

  // `uxc ARGS...` as the test user on a real terminal: script(1) gives it a
  // pty and relays `input` to it.
  CommandResult UxcOnATerminal(const std::vector<std::string>& args, const std::string& input = "") {
    std::string command = InstalledBinary("uxc");
    for (const std::string& arg : args) command += " '" + arg + "'";
    RunOptions options;
    options.stdin_data = input;
    options.timeout_seconds = 120;
    return RunAs(user_, {"script", "--quiet", "--return", "--command", command, "/dev/null"}, options);
  }

  std::vector<std::string> CreateArgs(const std::string& name, const std::vector<std::string>& template_args) {
    std::vector<std::string> args = {"create", name, "-P", path_, "-t", "download", "--"};
    args.insert(args.end(), template_args.begin(), template_args.end());
    return args;
  }

  std::string root_;
  std::string cache_;
  std::string server_log_;
  int port_ = 0;
  pid_t server_ = -1;
  std::string server_url_;
};

TEST_F(DownloadTemplateTest, PlainHttpNeedsNoValidateOrAKeyring) {
  auto refused = Create("d1", "download", ImageArgs());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not https"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--no-validate"), std::string::npos) << refused.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(DownloadTemplateTest, UnpacksTheServedImage) {
  auto args = ImageArgs();
  args.push_back("--no-validate");
  auto made = Create("d2", "download", args);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  // Off a terminal, no progress.
  EXPECT_EQ(made.err.find("downloading"), std::string::npos) << made.err;
  EXPECT_EQ(made.err.find("%"), std::string::npos) << made.err;
  EXPECT_EQ(StatOrDie(Rootfs("d2")).st_uid, kSubidStart);
  EXPECT_EQ(StatOrDie(Rootfs("d2") + "/etc/os-release").st_uid, kSubidStart);
  EXPECT_EQ(ReadFileOrDie(Rootfs("d2") + "/etc/hostname"), "d2\n");
  EXPECT_FALSE(Exists(Rootfs("d2") + "/var/log"));
  EXPECT_TRUE(Exists(Rootfs("d2") + "/dev/pts"));
  std::string config = ReadFileOrDie(ContainerDir("d2") + "/config");
  EXPECT_NE(config.find("lxc.arch = x86_64\n"), std::string::npos) << config;
  EXPECT_EQ(config.find("LXC_TEMPLATE_CONFIG"), std::string::npos) << config;
  EXPECT_NE(config.find("lxc.uts.name = d2\n"), std::string::npos) << config;
  EXPECT_EQ(ListDirectory(ContainerDir("d2")), (std::vector<std::string>{"config", "rootfs"}));
  EXPECT_EQ(Destroy("d2").exit_code, 0);
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(DownloadTemplateTest, SecondCreateUsesTheCachedImage) {
  auto args = ImageArgs();
  args.push_back("--no-validate");
  ASSERT_EQ(Create("c1", "download", args).exit_code, 0);
  auto second = Create("c2", "download", args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("using the cached image"), std::string::npos) << second.err;
  std::string rootfs = std::string(kImageDir) + "rootfs.tar.xz";
  EXPECT_EQ(Requests(rootfs), 1);
  EXPECT_EQ(ReadFileOrDie(Rootfs("c2") + "/etc/hostname"), "c2\n");
  EXPECT_EQ(ReadFileOrDie(cache_ + "/testdist/r1/amd64/default/build_id"), "20240101_00:00\n");

  args.push_back("--flush-cache");
  ASSERT_EQ(Create("c3", "download", args).exit_code, 0);
  EXPECT_EQ(Requests(rootfs), 2);
  // Only the finished entry is left in the cache.
  EXPECT_EQ(ListDirectory(cache_ + "/testdist/r1/amd64"), std::vector<std::string>{"default"});
}

TEST_F(DownloadTemplateTest, SignedImageIsCheckedAgainstTheKeyring) {
  std::string keyring = SignImage();
  auto args = ImageArgs();
  args.insert(args.end(), {"--keyring", keyring});
  auto made = Create("d3", "download", args);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(ReadFileOrDie(Rootfs("d3") + "/etc/hostname"), "d3\n");

  // Replace the rootfs after signing: the old signature no longer matches.
  std::string rootfs = root_ + kImageDir + "rootfs.tar.xz";
  Shell("mkdir -p " + Scratch() + "/evil/etc && echo evil > " + Scratch() + "/evil/etc/evil && tar -cJf '" +
        rootfs + "' -C " + Scratch() + "/evil . && chmod 0644 '" + rootfs + "'");
  args.push_back("--flush-cache");
  auto tampered = Create("d4", "download", args);
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_NE(tampered.err.find("check the signature of"), std::string::npos) << tampered.err;
  EXPECT_FALSE(Exists(ContainerDir("d4")));
  // The checked copy from before stays cached; the failed download is gone.
  EXPECT_EQ(ListDirectory(cache_ + "/testdist/r1/amd64"), std::vector<std::string>{"default"});
  EXPECT_TRUE(Exists(cache_ + "/testdist/r1/amd64/default/rootfs.tar.xz"));
}

TEST_F(DownloadTemplateTest, MissingImageListsWhatTheServerHas) {
  auto args = ImageArgs("r7");
  args.push_back("--no-validate");
  auto result = Create("d5", "download", args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no image testdist/r7/amd64"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("r1/amd64/default"), std::string::npos) << result.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(DownloadTemplateTest, BadInputLeavesNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{"-r", "r1", "--no-validate", "--server", server_url_}, "needs -d DIST and -r RELEASE"},
      {{"-d", "testdist", "-r", "r1", "--no-validate", "--server", "ftp://127.0.0.1/"}, "--server must be"},
      {{"-d", "testdist", "-r", "r1", "--no-validate", "--server", "http://127.0.0.1:1"}, "download http://"},
      {{"-d", "testdist", "-r", "r1", "--no-validate", "--keyring", "/k", "--server", server_url_},
       "contradict"},
  };
  for (const auto& c : cases) {
    auto result = Create("bad", "download", c.args);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find(c.expected), std::string::npos) << c.expected << "\n" << result.err;
    EXPECT_TRUE(ListDirectory(path_).empty()) << c.expected;
  }
}

// Issue 10: curl --silent hid the whole transfer, even on a terminal.
TEST_F(DownloadTemplateTest, ATerminalSeesEachDownloadsProgress) {
  auto args = ImageArgs();
  args.push_back("--no-validate");
  auto made = UxcOnATerminal(CreateArgs("p1", args));
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  std::string rootfs_url = server_url_ + kImageDir + "rootfs.tar.xz";
  EXPECT_NE(made.out.find("uxc: downloading " + rootfs_url), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("100.0%"), std::string::npos) << "no curl progress bar:\n" << made.out;
  EXPECT_NE(made.out.find("Created container p1"), std::string::npos) << made.out;
  EXPECT_EQ(ReadFileOrDie(Rootfs("p1") + "/etc/hostname"), "p1\n");
}

// Issue 10: lxc-download --list, which uxc did not have.
TEST_F(DownloadTemplateTest, ListPrintsTheServersImagesAndMakesNothing) {
  auto listed = Create("l1", "download", {"--list", "--server", server_url_, "--no-validate"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out,
            "DIST       RELEASE  ARCH   VARIANT  BUILD\n"
            "otherdist  r9       amd64  default  20230101_00:00\n"
            "testdist   r1       amd64  default  20240101_00:00\n"
            "testdist   r2       arm64  default  20240101_00:00\n");
  auto filtered = Create("l1", "download", {"--list", "-d", "testdist", "-a", "arm64", "--server", server_url_,
                                            "--no-validate"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(filtered.out, "DIST      RELEASE  ARCH   VARIANT  BUILD\ntestdist  r2       arm64  default  20240101_00:00\n");
  EXPECT_TRUE(ListDirectory(path_).empty());
  // The plain-http rule holds for the list too.
  auto refused = Create("l1", "download", {"--list", "--server", server_url_});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not https"), std::string::npos) << refused.err;
}

// Issue 10: lxc-download asks for what is missing on a terminal.
TEST_F(DownloadTemplateTest, MissingDistAndReleaseAreAskedForOnATerminal) {
  auto made = UxcOnATerminal(CreateArgs("q1", {"--server", server_url_, "--no-validate", "--cache-dir", cache_}),
                             "testdist\nr1\n\n");
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  EXPECT_NE(made.out.find("testdist   r1       amd64  default  20240101_00:00"), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("Distribution: "), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("Release: "), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("Architecture [amd64]: "), std::string::npos) << made.out;
  EXPECT_EQ(ReadFileOrDie(Rootfs("q1") + "/etc/hostname"), "q1\n");

  // Off a terminal it fails as before, and names --list.
  auto refused = Create("q2", "download", {"--server", server_url_, "--no-validate"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("needs -d DIST and -r RELEASE"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--list"), std::string::npos) << refused.err;
  EXPECT_FALSE(Exists(ContainerDir("q2")));
}

}  // namespace
}  // namespace uxc::testing
