#include <catch2/catch.hpp>

#include <string>

#include "report/md5.hpp"

using paddock::report::Md5;
using paddock::report::md5_hex;
using paddock::report::md5_raw;
using paddock::report::to_hex;

TEST_CASE("md5: RFC 1321 test suite", "[md5]") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  std::string digits;
  for (int i = 0; i < 8; ++i) digits += "1234567890";
  CHECK(md5_hex(digits) == "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("md5: padding boundaries and incremental updates agree", "[md5]") {
  // Lengths around the 56- and 64-byte padding boundaries, hashed in one go and byte by byte.
  for (size_t n : {55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u, 1000u}) {
    std::string s(n, 'x');
    for (size_t i = 0; i < n; ++i) s[i] = char('a' + i % 26);
    Md5 h;
    for (char c : s) h.update(&c, 1);
    CHECK(to_hex(h.finish()) == md5_hex(s));
  }
  CHECK(md5_hex(std::string(1000000, 'a')) == "7707d6ae4e027c70eea2a935c2296f21");
  CHECK(md5_raw("abc").size() == 16);
  CHECK(md5_hex(std::string("\0\x01\xff", 3)).size() == 32);
}
