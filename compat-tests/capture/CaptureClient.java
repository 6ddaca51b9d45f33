// The Java client's admin calls against Samsa, for capture tests: bootstrap
// (ApiVersions, Metadata), describe the cluster, list topics, describe a
// missing topic. Exits non-zero if the answers are not what Kafka gives.

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

public class CaptureClient {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        try (Admin admin = Admin.create(props)) {
            DescribeClusterResult cluster = admin.describeCluster();
            String id = cluster.clusterId().get(20, TimeUnit.SECONDS);
            int nodes = cluster.nodes().get(20, TimeUnit.SECONDS).size();
            int controller = cluster.controller().get(20, TimeUnit.SECONDS).id();
            System.out.println("cluster " + id + " nodes " + nodes + " controller " + controller);
            if (nodes != 1 || controller != 1) System.exit(3);
            System.out.println("topics " + admin.listTopics().names().get(20, TimeUnit.SECONDS));
            try {
                admin.describeTopics(List.of("missing-topic")).allTopicNames().get(20, TimeUnit.SECONDS);
                System.out.println("describe of a missing topic succeeded");
                System.exit(4);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
                System.out.println("missing topic: " + e.getCause().getClass().getSimpleName());
            }
        }
    }
}
