// A small PNG reader for the tests: size from IHDR, pixels from the inflated IDAT stream (8-bit RGB, RGBA,
// grey+alpha or palette), so that a test can look at a rendered graph's colours.
#pragma once
#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace png {

struct Image {
  uint32_t width = 0, height = 0;
  std::vector<std::array<uint8_t, 3>> rgb;  // row-major, alpha composed over white
};

inline uint32_t be32(const std::string& s, size_t at) {
  return uint32_t(uint8_t(s[at])) << 24 | uint32_t(uint8_t(s[at + 1])) << 16 | uint32_t(uint8_t(s[at + 2])) << 8 |
         uint32_t(uint8_t(s[at + 3]));
}

inline Image decode(const std::string& f) {
  if (f.size() < 8 || f.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) throw std::runtime_error("not a PNG");
  Image img;
  int depth = 0, ctype = 0;
  std::string idat, plte;
  for (size_t at = 8; at + 8 <= f.size();) {
    uint32_t len = be32(f, at);
    std::string type = f.substr(at + 4, 4);
    if (at + 12 + len > f.size()) throw std::runtime_error("truncated chunk");
    std::string data = f.substr(at + 8, len);
    if (type == "IHDR") {
      img.width = be32(data, 0), img.height = be32(data, 4);
      depth = uint8_t(data[8]), ctype = uint8_t(data[9]);
      if (uint8_t(data[12]) != 0) throw std::runtime_error("interlaced");
    } else if (type == "PLTE") plte = data;
    else if (type == "IDAT") idat += data;
    else if (type == "IEND") break;
    at += 12 + len;
  }
  if (depth != 8) throw std::runtime_error("bit depth " + std::to_string(depth));
  size_t bpp = ctype == 6 ? 4 : ctype == 2 ? 3 : ctype == 4 ? 2 : ctype == 3 || ctype == 0 ? 1 : 0;
  if (!bpp) throw std::runtime_error("colour type");
  size_t stride = size_t(img.width) * bpp;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf n = uLongf(raw.size());
  if (uncompress(raw.data(), &n, reinterpret_cast<const Bytef*>(idat.data()), uLong(idat.size())) != Z_OK ||
      n != raw.size())
    throw std::runtime_error("bad IDAT");
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.rgb.reserve(size_t(img.width) * img.height);
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t* row = &raw[y * (stride + 1)];
    uint8_t filter = row[0];
    for (size_t x = 0; x < stride; ++x) {
      int a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      int pred = 0;
      switch (filter) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) / 2; break;
        case 4: {
          int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw std::runtime_error("filter");
      }
      cur[x] = uint8_t(row[1 + x] + pred);
    }
    for (uint32_t x = 0; x < img.width; ++x) {
      const uint8_t* p = &cur[x * bpp];
      std::array<uint8_t, 3> px;
      int alpha = 255;
      if (ctype == 6) px = {p[0], p[1], p[2]}, alpha = p[3];
      else if (ctype == 2) px = {p[0], p[1], p[2]};
      else if (ctype == 4) px = {p[0], p[0], p[0]}, alpha = p[1];
      else if (ctype == 0) px = {p[0], p[0], p[0]};
      else px = {uint8_t(plte[p[0] * 3u]), uint8_t(plte[p[0] * 3u + 1]), uint8_t(plte[p[0] * 3u + 2])};
      for (auto& ch : px) ch = uint8_t((ch * alpha + 255 * (255 - alpha)) / 255);
      img.rgb.push_back(px);
    }
    std::swap(prev, cur);
  }
  return img;
}

// Pixels within `tol` of the colour on every channel.
inline size_t count(const Image& img, std::array<uint8_t, 3> c, int tol = 40) {
  size_t n = 0;
  for (const auto& p : img.rgb)
    n += std::abs(p[0] - c[0]) <= tol && std::abs(p[1] - c[1]) <= tol && std::abs(p[2] - c[2]) <= tol;
  return n;
}

}  // namespace png
