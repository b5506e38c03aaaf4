/*
 * fsync-snapshot: an LD_PRELOAD shim for the power-loss probe (test/reliability/power-loss.test.ts).
 *
 * It models a disk that keeps only what was fsynced: every fsync() or fdatasync() of a file under
 * $DOCKET_PL_WATCH copies that file's whole content, as it is at that moment, to the same name
 * under $DOCKET_PL_SHADOW (written to a temporary name, then renamed). The shadow directory is
 * then the disk as a power cut would leave it: each file as of its last fsync, and a file never
 * fsynced absent. Writes between fsyncs are lost, whatever order they were issued in; a file's
 * fsync makes all its writes so far durable at once (no torn pages, no reordering within one
 * fsync interval). Directory fsyncs and other files are passed through untouched.
 *
 * Build: cc -shared -fPIC -O2 -o fsync-snapshot.so fsync-snapshot.c -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

/* The watched file's name relative to $DOCKET_PL_WATCH, or NULL when fd is not a regular file there. */
static const char *watched(int fd, char *path, size_t size) {
  const char *watch = getenv("DOCKET_PL_WATCH");
  if (watch == NULL) return NULL;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, size - 1);
  if (n <= 0) return NULL;
  path[n] = '\0';
  size_t w = strlen(watch);
  if (strncmp(path, watch, w) != 0 || path[w] != '/') return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return NULL;
  return path + w + 1;
}

static void snapshot(int fd) {
  char path[PATH_MAX];
  const char *name = watched(fd, path, sizeof path);
  const char *shadow = getenv("DOCKET_PL_SHADOW");
  if (name == NULL || shadow == NULL || strchr(name, '/') != NULL) return;
  char target[PATH_MAX], temp[PATH_MAX];
  snprintf(target, sizeof target, "%s/%s", shadow, name);
  snprintf(temp, sizeof temp, "%s/.%s.tmp", shadow, name);
  pthread_mutex_lock(&lock);
  int in = open(path, O_RDONLY | O_CLOEXEC);
  int out = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (in >= 0 && out >= 0) {
    static char buffer[1 << 20];
    off_t at = 0;
    for (;;) {
      ssize_t got = pread(in, buffer, sizeof buffer, at);
      if (got <= 0) break;
      if (write(out, buffer, (size_t)got) != got) break;
      at += got;
    }
    close(out);
    out = -1;
    rename(temp, target);
  }
  if (in >= 0) close(in);
  if (out >= 0) close(out);
  pthread_mutex_unlock(&lock);
}

int fsync(int fd) {
  if (real_fsync == NULL) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  int result = real_fsync(fd);
  if (result == 0) snapshot(fd);
  return result;
}

int fdatasync(int fd) {
  if (real_fdatasync == NULL) real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  int result = real_fdatasync(fd);
  if (result == 0) snapshot(fd);
  return result;
}
