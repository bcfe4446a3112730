#include "launcher/args/args.h"

#include <gtest/gtest.h>

namespace uxc::cli {
namespace {

using Args = std::vector<std::string>;

const std::vector<OptionSpec> kSpec = {
    {"name", 'n', true, false, "NAME", "the container's name"},
    {"set", 's', true, true, "KEY=VALUE", "override a key"},
    {"quiet", 'q', false, false, "", "say less"},
    {"force", 'f', false, false, "", "do it anyway"},
};

ParsedArgs MustParse(const Args& args, bool stop_at_first_positional = false) {
  Result<ParsedArgs> parsed = ParseArgs("test", kSpec, args, stop_at_first_positional);
  EXPECT_TRUE(parsed.ok()) << parsed.error().ToString();
  return parsed.ok() ? *parsed : ParsedArgs{};
}

std::string ErrorOf(const Args& args) {
  Result<ParsedArgs> parsed = ParseArgs("test", kSpec, args);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(ParseArgsTest, LongOptionWithSeparateValue) {
  ParsedArgs parsed = MustParse({"--name", "c1"});
  EXPECT_EQ(parsed.Value("name"), "c1");
}

TEST(ParseArgsTest, LongOptionWithEqualsValueKeepsLaterEquals) {
  ParsedArgs parsed = MustParse({"--set=lxc.uts.name=a=b"});
  EXPECT_EQ(parsed.Values("set"), Args({"lxc.uts.name=a=b"}));
}

TEST(ParseArgsTest, LongOptionWithEmptyEqualsValue) {
  ParsedArgs parsed = MustParse({"--name="});
  EXPECT_TRUE(parsed.Has("name"));
  EXPECT_EQ(parsed.Value("name", "fallback"), "");
}

TEST(ParseArgsTest, ShortOptionAttachedAndSeparate) {
  EXPECT_EQ(MustParse({"-nc1"}).Value("name"), "c1");
  EXPECT_EQ(MustParse({"-n", "c1"}).Value("name"), "c1");
}

TEST(ParseArgsTest, BundledShortFlagsEndingInAValueOption) {
  ParsedArgs parsed = MustParse({"-qfn", "c1"});
  EXPECT_TRUE(parsed.Has("quiet"));
  EXPECT_TRUE(parsed.Has("force"));
  EXPECT_EQ(parsed.Value("name"), "c1");
}

TEST(ParseArgsTest, RepeatableOptionKeepsEveryValueInOrder) {
  ParsedArgs parsed = MustParse({"-s", "a=1", "--set", "b=2", "-sc=3"});
  EXPECT_EQ(parsed.Values("set"), Args({"a=1", "b=2", "c=3"}));
  EXPECT_EQ(parsed.Value("set"), "c=3");
}

TEST(ParseArgsTest, AbsentOptionGivesFallbackAndNoValues) {
  ParsedArgs parsed = MustParse({});
  EXPECT_FALSE(parsed.Has("name"));
  EXPECT_EQ(parsed.Value("name", "dflt"), "dflt");
  EXPECT_TRUE(parsed.Values("set").empty());
}

TEST(ParseArgsTest, OptionsMayFollowPositionals) {
  ParsedArgs parsed = MustParse({"c1", "-s", "a=1", "extra"});
  EXPECT_EQ(parsed.positionals, Args({"c1", "extra"}));
  EXPECT_EQ(parsed.Values("set"), Args({"a=1"}));
}

TEST(ParseArgsTest, DashDashKeepsTheRestVerbatim) {
  ParsedArgs parsed = MustParse({"-q", "--", "-n", "--name", "--"});
  EXPECT_TRUE(parsed.saw_dashdash);
  EXPECT_FALSE(parsed.Has("name"));
  EXPECT_EQ(parsed.after_dashdash, Args({"-n", "--name", "--"}));
}

TEST(ParseArgsTest, LoneDashIsAPositional) { EXPECT_EQ(MustParse({"-"}).positionals, Args({"-"})); }

TEST(ParseArgsTest, StopAtFirstPositionalKeepsCommandOptionsForTheCommand) {
  ParsedArgs parsed = MustParse({"-q", "image", "ls", "-l", "--name"}, true);
  EXPECT_TRUE(parsed.Has("quiet"));
  EXPECT_TRUE(parsed.positionals.empty());
  EXPECT_FALSE(parsed.saw_dashdash);
  EXPECT_EQ(parsed.after_dashdash, Args({"image", "ls", "-l", "--name"}));
}

TEST(ParseArgsTest, HelpIsAlwaysAccepted) {
  EXPECT_TRUE(MustParse({"--help"}).Has("help"));
  EXPECT_TRUE(MustParse({"-h"}).Has("help"));
  EXPECT_TRUE(MustParse({"-qh"}).Has("help"));
}

TEST(ParseArgsTest, UnknownLongOptionSuggestsNearestAndHelp) {
  std::string error = ErrorOf({"--nmae", "c1"});
  EXPECT_EQ(error, "unknown option --nmae (did you mean --name?); see `uxc test --help`");
}

TEST(ParseArgsTest, UnknownLongOptionWithoutCloseMatch) {
  EXPECT_EQ(ErrorOf({"--zzzzzz"}), "unknown option --zzzzzz; see `uxc test --help`");
}

TEST(ParseArgsTest, UnknownShortOptionIsNamed) {
  EXPECT_EQ(ErrorOf({"-x"}), "unknown option -x; see `uxc test --help`");
  EXPECT_EQ(ErrorOf({"-q\x01"}), "unknown option -\\x01; see `uxc test --help`");
}

TEST(ParseArgsTest, MissingValueNamesWhatIsNeeded) {
  EXPECT_EQ(ErrorOf({"--name"}), "option --name needs NAME; see `uxc test --help`");
  EXPECT_EQ(ErrorOf({"-qs"}), "option -s needs KEY=VALUE; see `uxc test --help`");
}

TEST(ParseArgsTest, ValueGivenToAFlagIsAnError) {
  EXPECT_EQ(ErrorOf({"--quiet=yes"}),
            "option --quiet takes no value, but was given \"yes\"; see `uxc test --help`");
}

TEST(ParseArgsTest, NonRepeatableValueOptionGivenTwiceIsAnError) {
  EXPECT_EQ(ErrorOf({"-n", "a", "--name=b"}),
            "option --name was given more than once; see `uxc test --help`");
}

TEST(ParseArgsTest, EveryParseErrorIsAUsageError) {
  for (const Args& args : {Args{"--nmae"}, Args{"-x"}, Args{"--name"}, Args{"--quiet=yes"}, Args{"-n", "a", "-nb"}}) {
    Result<ParsedArgs> parsed = ParseArgs("test", kSpec, args);
    ASSERT_FALSE(parsed.ok());
    EXPECT_TRUE(parsed.error().usage) << args.front();
  }
}

TEST(UsageErrorForTest, EndsWithTheHelpHint) {
  Error error = UsageErrorFor("destroy", "give one container name");
  EXPECT_TRUE(error.usage);
  EXPECT_EQ(error.message, "give one container name; see `uxc destroy --help`");
}

TEST(ParseArgsTest, RepeatedFlagIsHarmless) { EXPECT_TRUE(MustParse({"-q", "--quiet"}).Has("quiet")); }

TEST(FormatHelpTest, ListsUsageSummaryAndEveryOptionWithHelp) {
  std::string help = FormatHelp("test", "[OPTIONS] NAME", "Does a test.", kSpec);
  EXPECT_EQ(help,
            "Usage: uxc test [OPTIONS] NAME\n"
            "\n"
            "Does a test.\n"
            "\n"
            "Options:\n"
            "  -n, --name NAME      the container's name\n"
            "  -s, --set KEY=VALUE  override a key\n"
            "  -q, --quiet          say less\n"
            "  -f, --force          do it anyway\n"
            "  -h, --help           show this help and exit\n");
}

TEST(FormatHelpTest, WrapsLongSummariesAndOptionHelp) {
  std::string long_text(30, 'x');
  long_text = long_text + " " + long_text + " " + long_text;
  std::vector<OptionSpec> spec = {{"long-option-name-here", 0, true, false, "SOMETHING-LONG", long_text}};
  std::string help = FormatHelp("test", "", long_text, spec);
  for (size_t start = 0, end; start < help.size(); start = end + 1) {
    end = help.find('\n', start);
    EXPECT_LE(end - start, 79u) << help.substr(start, end - start);
  }
  EXPECT_NE(help.find("      --long-option-name-here SOMETHING-LONG\n"), std::string::npos) << help;
}

}  // namespace
}  // namespace uxc::cli
