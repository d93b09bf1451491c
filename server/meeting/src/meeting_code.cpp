#include "fluxmeet/meeting/meeting_code.hpp"

#include <sodium.h>

#include <cstdlib>

#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::meeting {
namespace {

bool isHyphenPosition(size_t i) { return i == 3 || i == 8; }

}  // namespace

std::string generateMeetingCode() {
  if (!ensureSodiumInitialized()) std::abort();  // no entropy source: cannot make codes safely
  std::string code(kMeetingCodeLength, '-');
  for (size_t i = 0; i < code.size(); ++i) {
    if (isHyphenPosition(i)) continue;
    // randombytes_uniform rejects samples to avoid modulo bias.
    code[i] = static_cast<char>('a' + randombytes_uniform(26));
  }
  return code;
}

bool isValidMeetingCode(std::string_view code) {
  if (code.size() != kMeetingCodeLength) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (isHyphenPosition(i) ? c != '-' : (c < 'a' || c > 'z')) return false;
  }
  return true;
}

}  // namespace fluxmeet::meeting
