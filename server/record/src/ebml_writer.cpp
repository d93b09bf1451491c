#include "fluxmeet/record/ebml_writer.hpp"

#include <bit>
#include <cassert>
#include <cstring>

namespace fluxmeet::record::ebml {
namespace {

void putBigEndian(Bytes& out, uint64_t value, size_t bytes) {
  for (size_t i = bytes; i > 0; --i) out.push_back(static_cast<uint8_t>(value >> (8 * (i - 1))));
}

size_t uintLength(uint64_t value) {
  size_t length = 1;
  while (length < 8 && (value >> (8 * length)) != 0) ++length;
  return length;
}

}  // namespace

void putId(Bytes& out, uint32_t id) {
  // IDs keep their VINT marker, so their length is the position of the highest set byte.
  putBigEndian(out, id, uintLength(id));
}

void putSize(Bytes& out, uint64_t size) {
  assert(size <= kMaxSize);
  size_t length = 1;
  // A length-n VINT holds 7n bits; the all-ones value means "unknown".
  while (length < 8 && size >= (uint64_t{1} << (7 * length)) - 1) ++length;
  putBigEndian(out, size | (uint64_t{1} << (7 * length)), length);
}

void putSize8(Bytes& out, uint64_t size) {
  assert(size <= kMaxSize);
  putBigEndian(out, size | (uint64_t{1} << 56), 8);
}

void putUint(Bytes& out, uint32_t id, uint64_t value) {
  putId(out, id);
  const size_t length = uintLength(value);
  putSize(out, length);
  putBigEndian(out, value, length);
}

void putFloat(Bytes& out, uint32_t id, double value) {
  putId(out, id);
  putSize(out, 8);
  putBigEndian(out, std::bit_cast<uint64_t>(value), 8);
}

void putString(Bytes& out, uint32_t id, std::string_view value) {
  putId(out, id);
  putSize(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

void putBinary(Bytes& out, uint32_t id, std::span<const uint8_t> value) {
  putId(out, id);
  putSize(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

void putMaster(Bytes& out, uint32_t id, const Bytes& children) {
  putId(out, id);
  putSize(out, children.size());
  out.insert(out.end(), children.begin(), children.end());
}

void putVoid(Bytes& out, size_t totalSize) {
  assert(totalSize >= 2);
  putId(out, kVoid);
  // A one-byte size covers up to 126 data bytes; past that use the fixed 8-byte form.
  const size_t data = totalSize - 2 <= 126 ? totalSize - 2 : totalSize - 9;
  if (totalSize - 2 <= 126) {
    putSize(out, data);
  } else {
    putSize8(out, data);
  }
  out.insert(out.end(), data, 0);
}

}  // namespace fluxmeet::record::ebml
