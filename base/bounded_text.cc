#include "base/bounded_text.h"

#include <cerrno>
#include <cstring>

namespace uxc {

void ClearText(char* buffer, size_t size) {
  if (buffer != nullptr && size > 0) buffer[0] = '\0';
}

void AppendText(char* buffer, size_t size, const char* text) {
  if (buffer == nullptr || size == 0 || text == nullptr) return;
  size_t used = strnlen(buffer, size - 1);
  size_t length = strnlen(text, size - 1 - used);
  memcpy(buffer + used, text, length);
  buffer[used + length] = '\0';
}

void AppendDecimal(char* buffer, size_t size, long long value) {
  char digits[24];
  size_t count = 0;
  unsigned long long magnitude = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                           : static_cast<unsigned long long>(value);
  do {
    digits[count++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  char text[sizeof digits + 2];
  size_t at = 0;
  if (value < 0) text[at++] = '-';
  while (count > 0) text[at++] = digits[--count];
  text[at] = '\0';
  AppendText(buffer, size, text);
}

}  // namespace uxc
