// Consumer groups with the Java client, for compat-tests/java/scenarios.sh.
// Compiled by the scenario against the release's libs/ (Kafka 4.x only:
// SubscriptionPattern is KIP-848's server-side regular expression).
//
//   java GroupScenario regex <bootstrap> <prefix> <group>
//
// regex: creates <prefix>-a (2 partitions) with 10 records; a consumer with
// group.protocol=consumer subscribes to SubscriptionPattern("<prefix>-.*")
// (the broker resolves it) and reads them; then <prefix>-b (3 partitions) is
// created with 15 records, and <prefix>x-c (not matching) with 5: the same
// consumer must read the 15 of <prefix>-b (its assignment gains the topic
// created after it subscribed) and none of <prefix>x-c. Then a second
// consumer subscribes to the invalid pattern "<prefix>-(" and must get
// InvalidRegularExpression from poll().
// Prints "REGEX OK a=10 b=15 assigned=<partitions> waited_b_ms=<ms> invalid=<exception>"
// or "REGEX FAIL <why>" (exit 1).

import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

public class GroupScenario {
  static final Duration POLL = Duration.ofMillis(200);

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "regex" -> System.exit(regex(a[1], a[2], a[3]));
      default -> throw new IllegalArgumentException(a[0]);
    }
  }

  static int fail(String why) {
    System.out.println("REGEX FAIL " + why);
    return 1;
  }

  static void createAndFill(Admin admin, String bootstrap, String topic, int partitions, int records) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < records; i++) producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, topic + "-v" + i));
      producer.flush();
    }
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", group);
    p.put("group.protocol", "consumer");
    p.put("auto.offset.reset", "earliest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  static int regex(String bootstrap, String prefix, String group) throws Exception {
    Properties ap = new Properties();
    ap.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(ap)) {
      createAndFill(admin, bootstrap, prefix + "-a", 2, 10);
      Map<String, Integer> seen = new HashMap<>();
      try (KafkaConsumer<String, String> c = consumer(bootstrap, group)) {
        c.subscribe(new SubscriptionPattern(prefix + "-.*"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (seen.getOrDefault(prefix + "-a", 0) < 10 && System.currentTimeMillis() < deadline)
          for (ConsumerRecord<String, String> r : c.poll(POLL)) seen.merge(r.topic(), 1, Integer::sum);
        if (seen.getOrDefault(prefix + "-a", 0) != 10) return fail("read " + seen + " of " + prefix + "-a, expected 10");

        long created = System.currentTimeMillis();
        createAndFill(admin, bootstrap, prefix + "-b", 3, 15);
        createAndFill(admin, bootstrap, prefix + "x-c", 1, 5);
        deadline = System.currentTimeMillis() + 90_000;
        while (seen.getOrDefault(prefix + "-b", 0) < 15 && System.currentTimeMillis() < deadline)
          for (ConsumerRecord<String, String> r : c.poll(POLL)) seen.merge(r.topic(), 1, Integer::sum);
        long waited = System.currentTimeMillis() - created;
        // A little longer: nothing of the non-matching topic may arrive.
        long settle = System.currentTimeMillis() + 2_000;
        while (System.currentTimeMillis() < settle)
          for (ConsumerRecord<String, String> r : c.poll(POLL)) seen.merge(r.topic(), 1, Integer::sum);
        if (seen.getOrDefault(prefix + "-b", 0) != 15)
          return fail("read " + seen + " after creating " + prefix + "-b, expected its 15 records; assignment " + c.assignment());
        if (seen.containsKey(prefix + "x-c")) return fail("read the non-matching topic: " + seen);
        if (seen.getOrDefault(prefix + "-a", 0) != 10) return fail("records of " + prefix + "-a read twice: " + seen);
        List<String> assigned = new ArrayList<>();
        for (TopicPartition tp : c.assignment()) assigned.add(tp.toString());
        Collections.sort(assigned);
        if (assigned.size() != 5) return fail("assignment " + assigned + ", expected the 2 + 3 partitions");

        String invalid = "none";
        try (KafkaConsumer<String, String> bad = consumer(bootstrap, group + "-bad")) {
          bad.subscribe(new SubscriptionPattern(prefix + "-("));
          long until = System.currentTimeMillis() + 30_000;
          while (System.currentTimeMillis() < until) {
            try {
              bad.poll(POLL);
            } catch (Exception e) {
              invalid = e.getClass().getSimpleName() + ": " + e.getMessage();
              break;
            }
          }
        }
        if (!invalid.startsWith("InvalidRegularExpression"))
          return fail("the invalid pattern got " + invalid + ", expected InvalidRegularExpression");
        System.out.println("REGEX OK a=10 b=15 assigned=" + String.join(",", assigned) + " waited_b_ms=" + waited
            + " invalid=" + invalid);
        return 0;
      }
    }
  }
}
