#include "launcher/engine/command_line.h"

namespace uxc::launcher {

Result<std::vector<std::string>> SplitCommandLine(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\\') {
      if (i + 1 == text.size()) return PlainError("the command line ends with a lone backslash");
      word += text[++i];
      in_word = true;
      continue;
    }
    if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return PlainError(std::string("the command line has an unclosed ") + quote);
  if (in_word) words.push_back(word);
  return words;
}

std::string JoinCommandLine(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) {
    joined += joined.empty() ? "'" : " '";
    for (char c : word) joined += c == '\'' ? std::string("'\\''") : std::string(1, c);
    joined += "'";
  }
  return joined;
}

}  // namespace uxc::launcher
