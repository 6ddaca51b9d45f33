/* librdkafka load for tools/bench/vs_kafka.sh (Debian's rdkafka_performance example needs
 * librdkafka's private headers, so this is a small stand-in).
 *
 *   vs_kafka_rdkafka_load produce BOOTSTRAP TOPIC COUNT SIZE ACKS [RATE_PER_S]
 *   vs_kafka_rdkafka_load e2e     BOOTSTRAP TOPIC COUNT SIZE ACKS RATE_PER_S
 *   vs_kafka_rdkafka_load consume BOOTSTRAP TOPIC COUNT SIZE ACKS
 *
 * produce: sends COUNT records of SIZE bytes to partition 0 (as fast as possible, or paced at
 * RATE_PER_S), waits for every delivery report, and prints one JSON line: records/s, MB/s
 * (2^20 bytes), and enqueue-to-acknowledgement latency percentiles.
 * e2e: a simple (group-less) consumer reads partition 0 of a fresh topic from the start while the
 * producer sends at a fixed rate; each payload carries its send time, and the JSON line gives
 * send-to-receive latency percentiles. Latency percentiles leave out the first 10% of records
 * (warm-up). The e2e producer sends each record at once (linger.ms=0): at a fixed low rate a
 * linger only adds its own delay to every record and hides the brokers' latency.
 * consume: a simple (group-less) consumer reads COUNT records of partition 0 from the start as
 * fast as it can (SIZE and ACKS are ignored) and prints records/s and MB/s of record values.
 * librdkafka's defaults otherwise (linger.ms 5 in 2.x).
 * Bounded: gives up 60 s after the last progress. Exit 1 with {"error": ...} on failure. */
#define _GNU_SOURCE
#include <librdkafka/rdkafka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t *lat_ns;  /* one slot per record */
static long n_acked, n_failed, n_lat;
static char first_error[256];

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk; (void)opaque;
  if (m->err) {
    if (!n_failed) snprintf(first_error, sizeof first_error, "%s", rd_kafka_err2str(m->err));
    n_failed++;
  } else {
    n_acked++;
    int64_t sent = (int64_t)(intptr_t)m->_private;
    if (sent) lat_ns[n_lat++] = now_ns() - sent;
  }
}

static int cmp64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static double pct_ms(int64_t *v, long n, double p) {
  if (n == 0) return -1;
  long i = (long)(p / 100.0 * (double)(n - 1) + 0.5);
  return (double)v[i] / 1e6;
}

/* Records this run's messages only (sent after `start`; the topic should be fresh anyway). */
static void record_receipt(const rd_kafka_message_t *m, int64_t start, int64_t *e2e_ns, long *n, long cap) {
  int64_t sent;
  if (m->err || m->len < 8 || *n >= cap) return;
  memcpy(&sent, m->payload, 8);
  if (sent >= start) e2e_ns[(*n)++] = now_ns() - sent;
}

static void fail(const char *what, const char *why) {
  printf("{\"error\": \"%s: %s\"}\n", what, why);
  exit(1);
}

static rd_kafka_t *make(rd_kafka_type_t type, const char *bootstrap, const char *acks, const char *linger_ms) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err) ||
      (type == RD_KAFKA_PRODUCER && rd_kafka_conf_set(conf, "acks", acks, err, sizeof err)) ||
      (type == RD_KAFKA_PRODUCER && rd_kafka_conf_set(conf, "queue.buffering.max.messages", "1000000", err, sizeof err)) ||
      (linger_ms && rd_kafka_conf_set(conf, "linger.ms", linger_ms, err, sizeof err)) ||
      rd_kafka_conf_set(conf, "message.timeout.ms", "30000", err, sizeof err) ||
      rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err))
    fail("config", err);
  if (type == RD_KAFKA_PRODUCER) rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) fail("rd_kafka_new", err);
  return rk;
}

/* Reads `count` records of partition 0 from the beginning; bounded by 60 s without progress. */
static int consume_only(const char *bootstrap, const char *topic, long count) {
  rd_kafka_t *consumer = make(RD_KAFKA_CONSUMER, bootstrap, "1", NULL);
  rd_kafka_topic_t *ctopic = rd_kafka_topic_new(consumer, topic, NULL);
  if (rd_kafka_consume_start(ctopic, 0, RD_KAFKA_OFFSET_BEGINNING) == -1)
    fail("consume_start", rd_kafka_err2str(rd_kafka_last_error()));
  long n = 0;
  double bytes = 0;
  int64_t start = now_ns(), last_progress = start;
  while (n < count && now_ns() - last_progress < 60LL * 1000000000LL) {
    rd_kafka_message_t *m = rd_kafka_consume(ctopic, 0, 100);
    if (!m) continue;
    if (!m->err) {
      n++;
      bytes += (double)m->len;
      last_progress = now_ns();
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      fail("consume", rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  double elapsed = (double)(now_ns() - start) / 1e9;
  if (n < count) {
    char why[200];
    snprintf(why, sizeof why, "%ld of %ld records read (timed out)", n, count);
    fail("incomplete", why);
  }
  printf("{\"records\": %ld, \"elapsed_s\": %.3f, \"records_per_s\": %.1f, \"mb_per_s\": %.2f}\n", n, elapsed,
         n / elapsed, bytes / elapsed / 1048576.0);
  rd_kafka_consume_stop(ctopic, 0);
  rd_kafka_topic_destroy(ctopic);
  rd_kafka_destroy(consumer);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: %s produce|e2e|consume BOOTSTRAP TOPIC COUNT SIZE ACKS [RATE_PER_S]\n", argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "consume") == 0) return consume_only(argv[2], argv[3], atol(argv[4]));
  int e2e = strcmp(argv[1], "e2e") == 0;
  const char *bootstrap = argv[2], *topic = argv[3], *acks = argv[6];
  long count = atol(argv[4]), size = atol(argv[5]);
  double rate = argc > 7 ? atof(argv[7]) : 0;
  if (size < 16) size = 16;
  lat_ns = calloc((size_t)count, sizeof *lat_ns);
  char *payload = malloc((size_t)size);
  memset(payload, 'x', (size_t)size);

  rd_kafka_t *producer = make(RD_KAFKA_PRODUCER, bootstrap, acks, e2e ? "0" : NULL);
  rd_kafka_topic_t *ptopic = rd_kafka_topic_new(producer, topic, NULL);
  rd_kafka_t *consumer = NULL;
  rd_kafka_topic_t *ctopic = NULL;
  int64_t *e2e_ns = NULL;
  long n_received = 0;
  if (e2e) {
    consumer = make(RD_KAFKA_CONSUMER, bootstrap, acks, NULL);
    ctopic = rd_kafka_topic_new(consumer, topic, NULL);
    if (rd_kafka_consume_start(ctopic, 0, RD_KAFKA_OFFSET_BEGINNING) == -1)
      fail("consume_start", rd_kafka_err2str(rd_kafka_last_error()));
    e2e_ns = calloc((size_t)count, sizeof *e2e_ns);
  }

  int64_t start = now_ns(), last_progress = start;
  long progress_mark = 0;
  for (long i = 0; i < count; i++) {
    if (rate > 0) {  /* pace: record i is due at start + i/rate */
      int64_t due = start + (int64_t)((double)i * 1e9 / rate);
      while (now_ns() < due) {  /* wait in 1 ms steps, serving callbacks and the consumer */
        rd_kafka_poll(producer, 0);
        if (!e2e) {
          struct timespec nap = {0, 200000};
          nanosleep(&nap, NULL);
        } else {
          rd_kafka_message_t *m = rd_kafka_consume(ctopic, 0, 1);
          if (m) {
            record_receipt(m, start, e2e_ns, &n_received, count);
            rd_kafka_message_destroy(m);
          }
        }
      }
    }
    int64_t t = now_ns();
    memcpy(payload, &t, 8);
    while (rd_kafka_produce(ptopic, 0, RD_KAFKA_MSG_F_COPY, payload, (size_t)size, NULL, 0,
                            (void *)(intptr_t)t) == -1) {
      if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        fail("produce", rd_kafka_err2str(rd_kafka_last_error()));
      rd_kafka_poll(producer, 10);
    }
    rd_kafka_poll(producer, 0);
    if (n_failed) break;
  }
  /* Wait for every delivery report (and, for e2e, every record), bounded by 60 s without progress. */
  while (!n_failed && (n_acked < count || (e2e && n_received < count))) {
    rd_kafka_poll(producer, e2e ? 0 : 50);
    if (e2e) {
      rd_kafka_message_t *m = rd_kafka_consume(ctopic, 0, 50);
      if (m) {
        record_receipt(m, start, e2e_ns, &n_received, count);
        rd_kafka_message_destroy(m);
      }
    }
    long p = n_acked + n_received;
    if (p != progress_mark) { progress_mark = p; last_progress = now_ns(); }
    if (now_ns() - last_progress > 60LL * 1000000000LL) break;
  }
  double elapsed = (double)(now_ns() - start) / 1e9;
  if (n_failed || n_acked < count || (e2e && n_received < count)) {
    char why[400];
    snprintf(why, sizeof why, "%ld of %ld acknowledged, %ld received, first error: %s", n_acked, count,
             n_received, first_error[0] ? first_error : "none (timed out)");
    fail("incomplete", why);
  }
  /* The first 10% of records warm up connections and the consumer's first fetch: left out. */
  long warm = count / 10;
  if (n_lat > warm) { memmove(lat_ns, lat_ns + warm, (size_t)(n_lat - warm) * sizeof *lat_ns); n_lat -= warm; }
  if (e2e && n_received > warm) {
    memmove(e2e_ns, e2e_ns + warm, (size_t)(n_received - warm) * sizeof *e2e_ns);
    n_received -= warm;
  }
  qsort(lat_ns, (size_t)n_lat, sizeof *lat_ns, cmp64);
  printf("{\"records\": %ld, \"elapsed_s\": %.3f, \"records_per_s\": %.1f, \"mb_per_s\": %.2f, "
         "\"ack_p50_ms\": %.3f, \"ack_p99_ms\": %.3f, \"ack_p999_ms\": %.3f",
         count, elapsed, count / elapsed, count * (double)size / elapsed / 1048576.0,
         pct_ms(lat_ns, n_lat, 50), pct_ms(lat_ns, n_lat, 99), pct_ms(lat_ns, n_lat, 99.9));
  if (e2e) {
    qsort(e2e_ns, (size_t)n_received, sizeof *e2e_ns, cmp64);
    printf(", \"e2e_p50_ms\": %.3f, \"e2e_p99_ms\": %.3f, \"e2e_p999_ms\": %.3f",
           pct_ms(e2e_ns, n_received, 50), pct_ms(e2e_ns, n_received, 99), pct_ms(e2e_ns, n_received, 99.9));
    rd_kafka_consume_stop(ctopic, 0);
    rd_kafka_topic_destroy(ctopic);
    rd_kafka_destroy(consumer);
  }
  printf("}\n");
  rd_kafka_topic_destroy(ptopic);
  rd_kafka_destroy(producer);
  return 0;
}
