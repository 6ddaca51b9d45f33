// Transactions with the Java client, for compat-tests/java/scenarios.sh (scenario
// transactions_eos). Compiled by the scenario against the release's libs/.
//
//   java TxnScenario eos  <bootstrap> <input> <output> <group> <transactional.id> <records>
//   java TxnScenario hang <bootstrap> <topic> <transactional.id> <records>
//
// eos: produces <records> input records k<i>:v<i> over the input topic's partitions,
// then runs consume-transform-produce: a read_committed consumer in <group> (offsets
// never auto-committed), a transactional producer that writes v<i> -> T(v<i>) to the
// output topic and commits the consumer's offsets with sendOffsetsToTransaction. Every
// third batch is ABORTED and the consumer rewinds to the committed offsets, so those
// records are transformed again in a later transaction. Then it checks:
//   - a read_committed reader of the output sees every T(v<i>) exactly once, nothing else;
//   - a read_uncommitted reader sees more records (the aborted batches' writes were
//     really in the log and were filtered), unless no batch was aborted (an error);
//   - the group's committed offsets equal the input's end offsets.
// Prints "EOS OK input=N output=N aborted_batches=A aborted_records_in_log=X" or
// "EOS FAIL <why>" (exit 1).
//
// hang: begins a transaction, writes <records> records to partition 0 of <topic>,
// flushes, prints "HANGING producerId=<id>" and halts the JVM without committing or
// aborting: an open transaction for kafka-transactions describe-producers / abort.

import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

public class TxnScenario {
  static final Duration POLL = Duration.ofMillis(200);

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "eos" -> System.exit(eos(a[1], a[2], a[3], a[4], a[5], Integer.parseInt(a[6])));
      case "hang" -> hang(a[1], a[2], a[3], Integer.parseInt(a[4]));
      default -> throw new IllegalArgumentException(a[0]);
    }
  }

  static Properties common(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  static KafkaProducer<String, String> producer(String bootstrap, String txnId) {
    Properties p = common(bootstrap);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("acks", "all");
    if (txnId != null) {
      p.put("transactional.id", txnId);
      p.put("transaction.timeout.ms", "600000");  // a hung transaction stays open for the scenario
    }
    return new KafkaProducer<>(p);
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, String group, String isolation) {
    return consumer(bootstrap, group, isolation, new Properties());
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, String group, String isolation, Properties extra) {
    Properties p = common(bootstrap);
    p.putAll(extra);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    if (group != null) p.put("group.id", group);
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", isolation);
    return new KafkaConsumer<>(p);
  }

  static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    List<TopicPartition> out = new ArrayList<>();
    c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(pi -> out.add(new TopicPartition(topic, pi.partition())));
    return out;
  }

  // Every record of `topic` up to its end offsets as `isolation` sees them.
  static List<String> readAll(String bootstrap, String topic, String isolation) {
    try (KafkaConsumer<String, String> c = consumer(bootstrap, null, isolation)) {
      List<TopicPartition> tps = partitions(c, topic);
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);  // the LSO for read_committed
      List<String> values = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline) {
        boolean done = true;
        for (TopicPartition tp : tps) done &= c.position(tp) >= end.get(tp);
        if (done) return values;
        for (ConsumerRecord<String, String> r : c.poll(POLL)) values.add(r.value());
      }
      throw new IllegalStateException("reading " + topic + " (" + isolation + ") did not reach " + end + " in 60 s");
    }
  }

  static int eos(String bootstrap, String input, String output, String group, String txnId, int n) throws Exception {
    try (KafkaProducer<String, String> p = producer(bootstrap, null)) {
      for (int i = 0; i < n; i++) p.send(new ProducerRecord<>(input, "k" + i, "v" + i));
      p.flush();
    }
    int batches = 0, aborted = 0;
    Properties small = new Properties();
    small.put("max.poll.records", "20");  // many small transactions, so some are aborted
    try (KafkaConsumer<String, String> c = consumer(bootstrap, group, "read_committed", small);
         KafkaProducer<String, String> p = producer(bootstrap, txnId)) {
      p.initTransactions();
      c.subscribe(List.of(input));
      Map<TopicPartition, Long> inputEnd = null;
      long deadline = System.currentTimeMillis() + 120_000;
      while (System.currentTimeMillis() < deadline) {
        ConsumerRecords<String, String> recs = c.poll(POLL);
        if (inputEnd == null && !c.assignment().isEmpty()) inputEnd = c.endOffsets(c.assignment());
        if (recs.isEmpty()) {
          if (inputEnd != null && c.assignment().size() == inputEnd.size() && committedAll(c, inputEnd)) break;
          continue;
        }
        p.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> r : recs) {
          p.send(new ProducerRecord<>(output, r.key(), "T(" + r.value() + ")"));
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        p.sendOffsetsToTransaction(offsets, c.groupMetadata());
        if (++batches % 3 == 0) {
          p.abortTransaction();
          aborted++;
          // The aborted batch is processed again: back to the committed offsets.
          Map<TopicPartition, OffsetAndMetadata> committed = c.committed(c.assignment());
          for (TopicPartition tp : c.assignment()) {
            OffsetAndMetadata om = committed.get(tp);
            if (om != null) c.seek(tp, om.offset());
            else c.seekToBeginning(List.of(tp));
          }
        } else {
          p.commitTransaction();
        }
      }
    }
    List<String> committedView = readAll(bootstrap, output, "read_committed");
    List<String> uncommittedView = readAll(bootstrap, output, "read_uncommitted");
    Map<String, Integer> seen = new HashMap<>();
    for (String v : committedView) seen.merge(v, 1, Integer::sum);
    for (int i = 0; i < n; i++) {
      Integer k = seen.remove("T(v" + i + ")");
      if (k == null) return fail("T(v" + i + ") missing from the output (read_committed)");
      if (k != 1) return fail("T(v" + i + ") appears " + k + " times in the output (read_committed)");
    }
    if (!seen.isEmpty()) return fail("unexpected output records: " + seen.keySet().stream().limit(5).toList());
    if (aborted == 0) return fail("no batch was aborted (input too small to exercise aborts)");
    int inLog = uncommittedView.size() - committedView.size();
    if (inLog <= 0) return fail("read_uncommitted sees no more than read_committed after " + aborted + " aborted batches");
    try (Admin admin = Admin.create(common(bootstrap));
         KafkaConsumer<String, String> c = consumer(bootstrap, null, "read_committed")) {
      Map<TopicPartition, OffsetAndMetadata> offs =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> end = c.endOffsets(partitions(c, input));
      for (var e : end.entrySet()) {
        OffsetAndMetadata om = offs.get(e.getKey());
        if (om == null || om.offset() != e.getValue())
          return fail("group " + group + " committed " + (om == null ? "nothing" : om.offset()) + " for " + e.getKey() +
                      ", input ends at " + e.getValue());
      }
    }
    System.out.println("EOS OK input=" + n + " output=" + committedView.size() + " batches=" + batches +
                       " aborted_batches=" + aborted + " aborted_records_in_log=" + inLog);
    return 0;
  }

  static boolean committedAll(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
    Map<TopicPartition, OffsetAndMetadata> committed = c.committed(end.keySet());
    for (var e : end.entrySet()) {
      OffsetAndMetadata om = committed.get(e.getKey());
      if (om == null || om.offset() < e.getValue()) return false;
    }
    return true;
  }

  static int fail(String why) {
    System.out.println("EOS FAIL " + why);
    return 1;
  }

  static void hang(String bootstrap, String topic, String txnId, int n) throws Exception {
    KafkaProducer<String, String> p = producer(bootstrap, txnId);
    p.initTransactions();
    p.beginTransaction();
    RecordMetadata last = null;
    for (int i = 0; i < n; i++) last = p.send(new ProducerRecord<>(topic, 0, "h" + i, "open" + i)).get();
    p.flush();
    System.out.println("HANGING offset=" + last.offset());
    System.out.flush();
    Runtime.getRuntime().halt(0);  // neither commit nor abort: the transaction stays open
  }
}
