#include "common_passwords.hpp"

#include <algorithm>
#include <array>

namespace fluxmeet::auth {
namespace {

// Hand-picked frequent passwords of at least 8 characters, as they appear near the top of
// public breach-derived rankings (e.g. SecLists' common-credentials lists), lower-cased, plus
// the product's own name. Shorter ones are refused by the length rule anyway. Kept sorted so
// lookup is a binary search; the static_assert below enforces the order.
constexpr std::array<std::string_view, 104> kCommonPasswords = {
    "00000000", "01012000", "11111111", "1111111111", "11223344", "12121212", "123123123",
    "12341234", "12344321", "12345678", "123456789", "1234567890", "123456789a", "1234qwer",
    "123qweasd", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "1qazxsw2", "22222222", "55555555",
    "66666666", "77777777", "87654321", "88888888", "987654321", "99999999", "a1234567",
    "a12345678", "aa123456", "abc12345", "abcd1234", "abcdefgh", "access14", "admin123", "asdf1234",
    "asdfasdf", "asdfghjk", "asdfghjkl", "babygirl", "baseball", "basketball", "batman123",
    "bigdaddy", "butterfly", "charlie1", "chocolate", "computer", "corvette", "dragon12",
    "elephant", "fluxmeet", "fluxmeet1", "football", "freedom1", "golfer23", "iloveyou",
    "iloveyou1", "jennifer", "jordan23", "letmein!", "letmein1", "liverpool", "login123",
    "lovelove", "mercedes", "michelle", "midnight", "monkey12", "mustang1", "nicole12", "p@ssw0rd",
    "passw0rd", "password", "password!", "password1", "password12", "password123", "pokemon1",
    "princess", "princess1", "q1w2e3r4", "q1w2e3r4t5", "qazwsxedc", "qwer1234", "qwerty12",
    "qwerty123", "qwertyui", "qwertyuiop", "samantha", "security", "shadow12", "soccer12",
    "starwars", "sunshine", "sunshine1", "superman", "trustno1", "welcome1", "welcome123",
    "whatever", "zaq12wsx", "zxcvbnm1", "zxcvbnma",
};

constexpr bool isSorted() {
  for (size_t i = 1; i < kCommonPasswords.size(); ++i) {
    if (!(kCommonPasswords[i - 1] < kCommonPasswords[i])) return false;
  }
  return true;
}

}  // namespace

bool isCommonPassword(std::string_view lowered) {
  static_assert(isSorted(), "kCommonPasswords must be sorted and free of duplicates");
  return std::binary_search(kCommonPasswords.begin(), kCommonPasswords.end(), lowered);
}

}  // namespace fluxmeet::auth
