package io.seckill.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode inside this JVM, on fixed loopback ports.
 *
 * <p>One broker runs as a combined broker+controller. Three brokers get a separate single controller, so
 * that stopping any broker never touches the metadata quorum; brokers are numbered 0..n-1 here (node ids
 * 1..n).
 */
public final class EmbeddedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<KafkaNode> brokers = new ArrayList<>();
    private final List<Integer> brokerPorts;
    private final KafkaNode controller;
    private final String bootstrap;

    EmbeddedKafka(Path dir, int brokerCount) {
        if (brokerCount != 1 && brokerCount != 3) {
            throw new IllegalArgumentException("kafka runs with 1 or 3 brokers, not " + brokerCount);
        }
        KafkaExitGuard.install();
        List<Integer> ports = Ports.free(brokerCount + 1);
        this.brokerPorts = ports.subList(0, brokerCount);
        int controllerPort = ports.get(brokerCount);
        if (brokerCount == 1) {
            String voters = "1@127.0.0.1:" + controllerPort;
            brokers.add(new KafkaNode(1, KafkaNodeConfig.combined(1, brokerPorts.get(0), controllerPort,
                dir.resolve("node-1"), voters), dir.resolve("node-1")));
            controller = null;
        } else {
            String voters = "0@127.0.0.1:" + controllerPort;
            controller = new KafkaNode(0, KafkaNodeConfig.controller(0, controllerPort, dir.resolve("controller-0"), voters, brokerCount),
                dir.resolve("controller-0"));
            for (int i = 0; i < brokerCount; i++) {
                int nodeId = i + 1;
                Path logDir = dir.resolve("broker-" + nodeId);
                brokers.add(new KafkaNode(nodeId, KafkaNodeConfig.broker(nodeId, brokerPorts.get(i), logDir, voters, brokerCount),
                    logDir));
            }
        }
        this.bootstrap = brokerPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        allNodes().forEach(node -> node.format(clusterId));
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public int brokerCount() {
        return brokers.size();
    }

    /** Replication factor topics get by default: 1 with one broker, 3 with three. */
    public int replicationFactor() {
        return KafkaNodeConfig.replicationFactor(brokers.size());
    }

    /** Port of broker {@code index} (0-based). */
    public int brokerPort(int index) {
        return brokerPorts.get(index);
    }

    /** Node id of broker {@code index}, as partition metadata reports it. */
    public int brokerId(int index) {
        return brokers.get(index).nodeId();
    }

    public boolean isBrokerRunning(int index) {
        return brokers.get(index).isRunning();
    }

    /** Starts every server not running, on the same ports and directories as before. */
    public synchronized void start() {
        long began = System.nanoTime();
        if (controller != null) {
            controller.start();
        }
        inParallel(brokers, KafkaNode::start);
        LOG.debug("kafka: servers up after {} ms", (System.nanoTime() - began) / 1_000_000);
        awaitBrokers(brokers.stream().map(KafkaNode::nodeId).collect(Collectors.toSet()));
        LOG.info("kafka started: {} ({} {}, KRaft, replication factor {}) in {} ms", bootstrap, brokers.size(),
            brokers.size() == 1 ? "broker" : "brokers", replicationFactor(), (System.nanoTime() - began) / 1_000_000);
    }

    public synchronized void stop() {
        inParallel(brokers, KafkaNode::stop);
        if (controller != null) {
            controller.stop();
        }
        LOG.debug("kafka stopped: {}", bootstrap);
    }

    /** A controlled shutdown of one broker: its partition leaderships move to the others first. */
    public synchronized void stopBroker(int index) {
        brokers.get(index).stop();
        LOG.debug("kafka broker {} stopped (port {})", brokerId(index), brokerPort(index));
    }

    /** Restarts one broker on its old port and log directory and waits until the cluster has it back. */
    public synchronized void startBroker(int index) {
        brokers.get(index).start();
        awaitBrokers(Set.of(brokerId(index)));
        LOG.debug("kafka broker {} started (port {})", brokerId(index), brokerPort(index));
    }

    private List<KafkaNode> allNodes() {
        List<KafkaNode> nodes = new ArrayList<>();
        if (controller != null) {
            nodes.add(controller);
        }
        nodes.addAll(brokers);
        return nodes;
    }

    /** A broker's startup can return before it is unfenced; only the cluster metadata says it serves. */
    private void awaitBrokers(Set<Integer> expected) {
        Map<String, Object> config = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(config)) {
            while (true) {
                Set<Integer> seen = Set.of();
                try {
                    seen = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                        .get(6, TimeUnit.SECONDS).stream().map(Node::id).collect(Collectors.toSet());
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                if (seen.containsAll(expected)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("kafka brokers " + expected + " not serving after " + READY_TIMEOUT
                        + "; the cluster shows " + seen);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void inParallel(List<KafkaNode> nodes, java.util.function.Consumer<KafkaNode> action) {
        if (nodes.size() == 1) {
            action.accept(nodes.get(0));
            return;
        }
        try {
            CompletableFuture.allOf(nodes.stream()
                .map(node -> CompletableFuture.runAsync(() -> action.accept(node), DaemonThreads.executor()))
                .toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
