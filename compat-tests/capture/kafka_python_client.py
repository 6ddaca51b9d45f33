#!/usr/bin/python3
"""kafka-python (Debian's python3-kafka, a pure-Python implementation of the
protocol) against Samsa, for capture tests."""
import sys

from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient

bootstrap = sys.argv[1]
admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="kafka-python-admin", request_timeout_ms=10000)
topics = admin.list_topics()
print("topics", topics)
cluster = admin.describe_cluster()
print("cluster", cluster)
if len(cluster["brokers"]) != 1:
    sys.exit(3)
admin.close()
consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="kafka-python-consumer")
print("consumer topics", consumer.topics())
consumer.close()
