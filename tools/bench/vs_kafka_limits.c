/* Physical limits for tools/bench/vs_kafka.sh, measured in the same run as the brokers.
 *
 *   vs_kafka_limits tcp SECONDS          loopback TCP throughput, one connection, 1 MiB writes
 *   vs_kafka_limits fsync DIR COUNT      latency of write(4 KiB)+fdatasync on DIR's file system
 *
 * Prints one JSON line. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int listener;
static void *sink(void *arg) {
  (void)arg;
  int fd = accept(listener, NULL, NULL);
  static char buf[1 << 20];
  while (read(fd, buf, sizeof buf) > 0) {}
  close(fd);
  return NULL;
}

static int tcp(double seconds) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  listener = socket(AF_INET, SOCK_STREAM, 0);
  if (bind(listener, (struct sockaddr *)&a, sizeof a) || listen(listener, 1) ||
      getsockname(listener, (struct sockaddr *)&a, &len)) { perror("listen"); return 1; }
  pthread_t t;
  pthread_create(&t, NULL, sink, NULL);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 1; }
  static char buf[1 << 20];
  memset(buf, 'x', sizeof buf);
  double start = now_s(), end = start + seconds;
  uint64_t sent = 0;
  while (now_s() < end) {
    ssize_t n = write(fd, buf, sizeof buf);
    if (n <= 0) { perror("write"); return 1; }
    sent += (uint64_t)n;
  }
  double elapsed = now_s() - start;
  close(fd);
  pthread_join(t, NULL);
  printf("{\"loopback_tcp_mb_per_s\": %.0f, \"seconds\": %.2f}\n", sent / elapsed / 1048576.0, elapsed);
  return 0;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int fsync_latency(const char *dir, int count) {
  char path[4096];
  snprintf(path, sizeof path, "%s/vs_kafka_fsync_probe", dir);
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0) { perror(path); return 1; }
  char block[4096];
  memset(block, 'x', sizeof block);
  double *lat = calloc((size_t)count, sizeof *lat);
  for (int i = 0; i < count; i++) {
    double t = now_s();
    if (write(fd, block, sizeof block) != (ssize_t)sizeof block || fdatasync(fd)) { perror("fsync"); return 1; }
    lat[i] = (now_s() - t) * 1e3;
  }
  close(fd);
  unlink(path);
  qsort(lat, (size_t)count, sizeof *lat, cmp);
  printf("{\"fsync_p50_ms\": %.3f, \"fsync_p99_ms\": %.3f, \"count\": %d}\n", lat[count / 2],
         lat[(int)(count * 0.99)], count);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "tcp")) return tcp(atof(argv[2]));
  if (argc >= 4 && !strcmp(argv[1], "fsync")) return fsync_latency(argv[2], atoi(argv[3]));
  fprintf(stderr, "usage: %s tcp SECONDS | fsync DIR COUNT\n", argv[0]);
  return 2;
}
