/*
 * A cached credentials entry's rules, for stint-cached.c, as dev.stint.cli.credentials.CredentialCache
 * applies them: when an entry may still be served ("Expiration" far enough ahead, "checked_until"
 * not passed) and whose it is ("owner"). The entry is stint's own JSON, read by its fields' first
 * occurrences as CredentialCache reads it. Included by stint-cached.c alone, which is built as one
 * file (the Makefile, packaging/dist.sh, the Homebrew formula): wherever stint-cached.c is copied,
 * this file goes beside it.
 */
#ifndef STINT_CACHE_ENTRY_H
#define STINT_CACHE_ENTRY_H

#include <stddef.h>
#include <string.h>
#include <time.h>

/* CredentialCache.MIN_REMAINING: entries closer than this to expiry are fetched again. */
static const long long MIN_REMAINING_SECONDS = 5 * 60;

static int digits(const char *s, int from, int to, int *value) {
  *value = 0;
  for (int i = from; i < to; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return 0;
    }
    *value = *value * 10 + (s[i] - '0');
  }
  return 1;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* CredentialCache.epochSecond: yyyy-MM-ddTHH:mm:ss[.digits]Z, validated like LocalDateTime. */
static int epoch_second(const char *s, size_t len, long long *out) {
  if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
      || s[len - 1] != 'Z') {
    return 0;
  }
  for (size_t i = 19; i < len - 1; i++) {
    if (i == 19 ? s[i] != '.' : (s[i] < '0' || s[i] > '9')) {
      return 0;
    }
  }
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, &y) || !digits(s, 5, 7, &mo) || !digits(s, 8, 10, &d)
      || !digits(s, 11, 13, &h) || !digits(s, 14, 16, &mi) || !digits(s, 17, 19, &se)) {
    return 0;
  }
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap)
      || h > 23 || mi > 59 || se > 59) {
    return 0;
  }
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return 1;
}

/* CredentialCache.field: the value after the first "key":", up to its closing quote; 0 if none. */
static int field(const char *json, const char *key, const char **value, size_t *len) {
  const char *start = strstr(json, key);
  if (start == NULL) {
    return 0;
  }
  start += strlen(key);
  const char *end = strchr(start, '"');
  if (end == NULL || end == start) {
    return 0;
  }
  *value = start;
  *len = (size_t) (end - start);
  return 1;
}

/*
 * CredentialCache.usable and CredentialCache.checked: the first "Expiration":"…" more than five
 * minutes away, and the first "checked_until":"…" still ahead (past it the server must say again
 * that the entry's grant stands, which only the JVM asks).
 */
static int usable(const char *json, time_t now) {
  const char *start;
  size_t len;
  long long expires, checked;
  if (!field(json, "\"Expiration\":\"", &start, &len) || !epoch_second(start, len, &expires)) {
    return 0;
  }
  if (!field(json, "\"checked_until\":\"", &start, &len) || !epoch_second(start, len, &checked)) {
    return 0;
  }
  return expires > (long long) now + MIN_REMAINING_SECONDS && checked > (long long) now;
}

/*
 * CredentialCache.read's owner rule: the entry's "owner" is exactly the caller's (the logged-in
 * person's, or the lease token's). Compared in constant time, as CredentialCache does: a lease
 * owner's hash is what only the token's holder can name. The length is no secret (fixed formats).
 */
static int owned_by(const char *json, const char *owner) {
  const char *value;
  size_t len;
  if (!field(json, "\"owner\":\"", &value, &len) || len != strlen(owner)) {
    return 0;
  }
  unsigned char diff = 0;
  for (size_t i = 0; i < len; i++) {
    diff |= (unsigned char) (value[i] ^ owner[i]);
  }
  return diff == 0;
}

#endif
