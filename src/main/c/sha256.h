/*
 * SHA-256 (FIPS 180-4, section 6.2) of a buffer held in memory, for stint-cached.c, which links
 * no crypto library: a lease entry's owner names its token by this hash, as
 * dev.stint.cli.credentials.Sha256 computes it on the Java side. Included by stint-cached.c alone,
 * which is built as one file (the Makefile, packaging/dist.sh, the Homebrew formula): wherever
 * stint-cached.c is copied, this file goes beside it.
 */
#ifndef STINT_SHA256_H
#define STINT_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SHA256_DIGEST 32
#define SHA256_HEX (2 * SHA256_DIGEST)

static const uint32_t sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t sha256_rotr(uint32_t x, unsigned n) {
  return (x >> n) | (x << (32 - n));
}

/* One 64-byte block into the state h (section 6.2.2). */
static void sha256_block(uint32_t h[8], const unsigned char *block) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++) {
    w[t] = (uint32_t) block[4 * t] << 24 | (uint32_t) block[4 * t + 1] << 16
        | (uint32_t) block[4 * t + 2] << 8 | (uint32_t) block[4 * t + 3];
  }
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = sha256_rotr(w[t - 15], 7) ^ sha256_rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = sha256_rotr(w[t - 2], 17) ^ sha256_rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = k + (sha256_rotr(e, 6) ^ sha256_rotr(e, 11) ^ sha256_rotr(e, 25))
        + ((e & f) ^ (~e & g)) + sha256_k[t] + w[t];
    uint32_t t2 = (sha256_rotr(a, 2) ^ sha256_rotr(a, 13) ^ sha256_rotr(a, 22))
        + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

/* The hash of len bytes at data, as lowercase hex and a NUL: hex holds SHA256_HEX + 1 bytes. */
static void sha256_hex(const unsigned char *data, size_t len, char *hex) {
  static const char digits[] = "0123456789abcdef";
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
      0x1f83d9ab, 0x5be0cd19};
  size_t done = 0;
  for (; len - done >= 64; done += 64) {
    sha256_block(h, data + done);
  }
  /* The padding (section 5.1.1): 0x80, zeros, and the length in bits, big-endian, in 64 bits. */
  unsigned char tail[128] = {0};
  size_t rest = len - done;
  if (rest > 0) {
    memcpy(tail, data + done, rest);
  }
  tail[rest] = 0x80;
  size_t blocks = rest < 56 ? 1 : 2;
  uint64_t bits = (uint64_t) len * 8;
  for (size_t i = 0; i < 8; i++) {
    tail[blocks * 64 - 1 - i] = (unsigned char) (bits >> (8 * i));
  }
  for (size_t i = 0; i < blocks; i++) {
    sha256_block(h, tail + 64 * i);
  }
  for (int i = 0; i < SHA256_DIGEST; i++) {
    unsigned char byte = (unsigned char) (h[i / 4] >> (24 - 8 * (i % 4)));
    hex[2 * i] = digits[byte >> 4];
    hex[2 * i + 1] = digits[byte & 15];
  }
  hex[SHA256_HEX] = '\0';
}

#endif
