/*
 * stint-cached: the cached path of `stint credentials PROFILE [--server URL]`, and of
 * `stint credentials [--lease-file FILE] [--server URL]` on a task lease, without a JVM.
 *
 * AWS tools start `credential_process` at every process start, so the launcher (bin/stint) runs
 * this first. It serves a cache entry exactly as dev.stint.cli.credentials.CachedCredentials
 * would, and otherwise prints nothing and exits non-zero so that the launcher runs the full CLI. Every
 * rule here mirrors the Java side (CachedCredentials, CredentialCache, LoginMarker,
 * CliEnvironment); when in doubt it refuses, because refusing only costs the start of a JVM.
 *
 * An entry is served only to the person it was minted for: its "owner" must equal the marker
 * `stint login` writes beside the login (and `stint logout` deletes). With STINT_TOKEN set the
 * caller may be someone else, which only parsing that token tells: the JVM decides.
 *
 * A lease's entry (LeaseCache) lives in a directory of its own, leases/ beside aws/, and is served
 * only to the holder of the lease's token: the token is read from --lease-file (a private file),
 * else, with no PROFILE, from STINT_LEASE_TOKEN; the lease id it names picks the entry, whose
 * "owner" must be "lease:<that lease>:<hex SHA-256 of the token>" (sha256.h). The id is no secret,
 * so the hash is what binds the entry to the token; the token itself is never in the cache.
 *
 * When an entry may be served and whose it is are cache_entry.h's; the hash is sha256.h's.
 *
 * Exit status: 0 served; 1 not served (a miss, anything unusual); 2 a failed write to stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache_entry.h"
#include "sha256.h"

enum { SERVED = 0, NOT_SERVED = 1, WRITE_FAILED = 2 };

/* CredentialCache.MAX_NAME: longer names are never cached. */
static const size_t MAX_NAME = 200;
/* stint writes a few hundred bytes; anything much larger is not its file. */
#define MAX_FILE 65536
#define MAX_PATH 4096
/* LoginMarker: "sha256:" and 64 hex digits, nothing else. */
#define OWNER_PREFIX "sha256:"
#define OWNER_LENGTH (sizeof OWNER_PREFIX - 1 + 64)
/* LeaseToken: "stl_", the lease id's 24 characters, a dot, 43 more; its file at most 1024 bytes. */
#define TOKEN_PREFIX "stl_"
#define TOKEN_ID_END (sizeof TOKEN_PREFIX - 1 + 24)
#define TOKEN_LENGTH (TOKEN_ID_END + 1 + 43)
#define MAX_TOKEN_FILE 1024
/* A lease id, "lse_" and the 24 characters; its entry's owner, "lease:", the id, ":", the hash. */
#define LEASE_ID_LENGTH (4 + 24)
#define LEASE_OWNER_PREFIX "lease:"
#define LEASE_OWNER_LENGTH (sizeof LEASE_OWNER_PREFIX - 1 + LEASE_ID_LENGTH + 1 + SHA256_HEX)
/* Room for either owner, and for a byte more of login.owner than it may hold. */
#define MAX_OWNER (LEASE_OWNER_LENGTH + 1)
_Static_assert(MAX_OWNER >= OWNER_LENGTH + 2, "an owner buffer holds a login's fingerprint");

/* Java's Character.isWhitespace over ASCII: what String.isBlank and String.strip look for. */
static int space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* What Java's String.isBlank() calls blank, for the ASCII range (other bytes are refused). */
static int blank(const char *s) {
  for (; *s; s++) {
    if (!space((unsigned char) *s)) {
      return 0;
    }
  }
  return 1;
}

static const char *env(const char *name) {
  const char *value = getenv(name);
  return value == NULL || blank(value) ? NULL : value;
}

/* CredentialCache.escape over ASCII; 0 for any byte outside it (Java escapes UTF-16 units). */
static int escape(const char *s, size_t len, char *out, size_t *at, size_t cap) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c >= 0x80 || *at + 5 >= cap) {
      return 0;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
        || c == '-') {
      out[(*at)++] = (char) c;
    } else {
      out[(*at)++] = '_';
      out[(*at)++] = '0';
      out[(*at)++] = '0';
      out[(*at)++] = hex[c >> 4];
      out[(*at)++] = hex[c & 15];
    }
  }
  return 1;
}

/* Owned by this user and closed to everyone else: what stint creates (0600 files, 0700 dir). */
static int private_to_me(const struct stat *st) {
  return st->st_uid == geteuid() && (st->st_mode & 077) == 0;
}

/*
 * CachedCredentials.parse's rules, without --param (whose entries the JVM serves): credentials,
 * then one profile or at most one --lease-file (a lease when there is no profile), and at most one
 * --server.
 */
static int parse(int argc, char **argv, const char **profile, const char **server,
    const char **lease_file) {
  if (argc < 2 || strcmp(argv[1], "credentials") != 0) {
    return 0;
  }
  *profile = NULL;
  *server = NULL;
  *lease_file = NULL;
  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--server") == 0 && i + 1 < argc && *server == NULL) {
      *server = argv[++i];
    } else if (strncmp(arg, "--server=", 9) == 0 && *server == NULL) {
      *server = arg + 9;
    } else if (strcmp(arg, "--lease-file") == 0 && i + 1 < argc && *lease_file == NULL) {
      *lease_file = argv[++i];
    } else if (strncmp(arg, "--lease-file=", 13) == 0 && *lease_file == NULL) {
      *lease_file = arg + 13;
    } else if (arg[0] == '-' || *profile != NULL) {
      return 0;
    } else {
      *profile = arg;
    }
  }
  if (*lease_file != NULL) {
    return *profile == NULL && (*lease_file)[0] != '\0' && (*lease_file)[0] != '-';
  }
  return 1;
}

/*
 * The home directory as CliEnvironment.home finds it: $HOME when it is an absolute path, else
 * the account's home from the passwd entry. NULL when neither is known.
 */
static const char *home_dir(void) {
  const char *home = env("HOME");
  if (home != NULL && home[0] == '/') {
    return home;
  }
  struct passwd *pw = getpwuid(getuid());
  return pw == NULL ? NULL : pw->pw_dir;
}

/*
 * $XDG_<variable>/stint/<leaf>, else <home>/<fallback>/stint/<leaf> (CliEnvironment's cacheDir
 * and configDir).
 */
static int stint_path(const char *variable, const char *fallback, const char *leaf, char *out,
    size_t cap) {
  const char *xdg = env(variable);
  int n;
  if (xdg != NULL) {
    n = snprintf(out, cap, "%s/stint/%s", xdg, leaf);
  } else {
    const char *home = home_dir();
    if (home == NULL) {
      return 0;
    }
    n = snprintf(out, cap, "%s/%s/stint/%s", home, fallback, leaf);
  }
  return n > 0 && (size_t) n < cap;
}

/*
 * Reads a small regular file that is private to this user, without following a link; its
 * length, or -1 when it is anything else (absent, shared, too large, holding a NUL).
 */
static ssize_t read_private(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  struct stat st;
  ssize_t len = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && private_to_me(&st)
      && st.st_size < (off_t) cap) {
    len = read(fd, buf, cap - 1);
  }
  close(fd);
  if (len <= 0 || len != st.st_size || memchr(buf, '\0', (size_t) len) != NULL) {
    return -1;
  }
  buf[len] = '\0';
  return len;
}

/* LoginMarker.read: who is logged in, as "sha256:<64 hex>"; 0 when nobody (or not stint's file). */
static int logged_in(char *owner, size_t cap) {
  char path[MAX_PATH];
  if (!stint_path("XDG_CONFIG_HOME", ".config", "login.owner", path, sizeof path)) {
    return 0;
  }
  ssize_t len = read_private(path, owner, cap);
  return len == (ssize_t) OWNER_LENGTH
      && strncmp(owner, OWNER_PREFIX, sizeof OWNER_PREFIX - 1) == 0;
}

static int write_all(const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(STDOUT_FILENO, buf, len);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return 0;
    }
    buf += n;
    len -= (size_t) n;
  }
  return 1;
}

/*
 * LeaseCache.leaseOf and LeaseCache.owner: the lease ("lse_" and 24 characters) that a lease token
 * names, surrounding whitespace stripped, and the owner its entry must record (LEASE_OWNER_LENGTH
 * and a NUL); 0 when the text does not have a lease token's shape.
 */
static int lease_of(const char *text, char *lease, char *owner) {
  size_t len = strlen(text);
  while (len > 0 && space((unsigned char) text[0])) {
    text++;
    len--;
  }
  while (len > 0 && space((unsigned char) text[len - 1])) {
    len--;
  }
  if (len != TOKEN_LENGTH || strncmp(text, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1) != 0
      || text[TOKEN_ID_END] != '.') {
    return 0;
  }
  for (size_t i = sizeof TOKEN_PREFIX - 1; i < len; i++) {
    char c = text[i];
    int ok = i < TOKEN_ID_END ? (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')
        : i == TOKEN_ID_END || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      return 0;
    }
  }
  memcpy(lease, "lse_", 4);
  memcpy(lease + 4, text + sizeof TOKEN_PREFIX - 1, 24);
  lease[LEASE_ID_LENGTH] = '\0';
  char hash[SHA256_HEX + 1];
  sha256_hex((const unsigned char *) text, len, hash);
  int n = snprintf(owner, LEASE_OWNER_LENGTH + 1, "%s%s:%s", LEASE_OWNER_PREFIX, lease, hash);
  return n == (int) LEASE_OWNER_LENGTH;
}

/*
 * The lease the caller's token names, and its entry's owner: the token in lease_file (private to
 * this user, at most MAX_TOKEN_FILE bytes), else in STINT_LEASE_TOKEN; 0 when there is none of
 * that shape.
 */
static int lease_token(const char *lease_file, char *lease, char *owner) {
  if (lease_file == NULL) {
    const char *token = env("STINT_LEASE_TOKEN");
    return token != NULL && lease_of(token, lease, owner);
  }
  char token[MAX_TOKEN_FILE + 1];
  return read_private(lease_file, token, sizeof token) >= 0 && lease_of(token, lease, owner);
}

/*
 * The cache entry's file name, <escaped server>__<escaped profile>.json, as CredentialCache.file
 * writes it; 0 when it would be too long or not ASCII.
 */
static int entry_name(const char *server, const char *profile, char *name, size_t cap) {
  size_t server_len = strlen(server);
  if (server_len > 0 && server[server_len - 1] == '/') {
    server_len--; /* ServerOptions.normalize */
  }
  size_t at = 0;
  if (!escape(server, server_len, name, &at, cap) || at + 2 >= cap) {
    return 0;
  }
  name[at++] = '_';
  name[at++] = '_';
  if (!escape(profile, strlen(profile), name, &at, cap) || at > MAX_NAME) {
    return 0;
  }
  name[at] = '\0';
  return 1;
}

/*
 * Whose entry the caller may be served, and under which key and directory: the logged-in person's
 * entry of the profile in aws/, or the lease's own entry in leases/.
 */
static int entry_of(const char *profile, const char *lease_file, char *owner, size_t cap,
    char *lease, const char **key, const char **leaf) {
  if (profile != NULL) {
    *key = profile;
    *leaf = "aws";
    return env("STINT_TOKEN") == NULL && logged_in(owner, cap);
  }
  *key = lease;
  *leaf = "leases";
  return cap > LEASE_OWNER_LENGTH && lease_token(lease_file, lease, owner);
}

int main(int argc, char **argv) {
  const char *profile, *server, *lease_file, *key, *leaf;
  char owner[MAX_OWNER];
  char lease[LEASE_ID_LENGTH + 1];
  if (!parse(argc, argv, &profile, &server, &lease_file)
      || !entry_of(profile, lease_file, owner, sizeof owner, lease, &key, &leaf)) {
    return NOT_SERVED;
  }
  if (server == NULL) {
    server = env("STINT_SERVER");
  }
  if (server == NULL) {
    server = "http://127.0.0.1:8080";
  }
  char name[MAX_PATH], dir[MAX_PATH], path[MAX_PATH];
  struct stat st;
  if (!entry_name(server, key, name, sizeof name)
      || !stint_path("XDG_CACHE_HOME", ".cache", leaf, dir, sizeof dir)
      || lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || !private_to_me(&st)) {
    return NOT_SERVED;
  }
  int n = snprintf(path, sizeof path, "%s/%s.json", dir, name);
  if (n <= 0 || (size_t) n >= sizeof path) {
    return NOT_SERVED;
  }
  static char json[MAX_FILE + 1];
  ssize_t len = read_private(path, json, sizeof json);
  if (len < 0 || !usable(json, time(NULL)) || !owned_by(json, owner)) {
    return NOT_SERVED;
  }
  return write_all(json, (size_t) len) ? SERVED : WRITE_FAILED;
}
