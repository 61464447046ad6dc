// MD5 message digest (RFC 1321). herd7's `Hash=` line is built from MD5 digests.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace paddock::report {

class Md5 {
 public:
  using Digest = std::array<uint8_t, 16>;

  Md5();
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Finishes the computation; the object must not be updated afterwards.
  Digest finish();

 private:
  void block(const uint8_t* p);
  uint32_t state_[4];
  uint64_t length_ = 0;  // bytes hashed so far
  uint8_t buffer_[64];
  size_t buffered_ = 0;
};

// Raw 16-byte digest of `data`.
Md5::Digest md5(std::string_view data);
// Raw digest as a 16-character binary string (convenient for concatenating digests).
std::string md5_raw(std::string_view data);
// Lower-case hexadecimal (32 characters) of the digest of `data`.
std::string md5_hex(std::string_view data);
std::string to_hex(const Md5::Digest& d);

}  // namespace paddock::report
