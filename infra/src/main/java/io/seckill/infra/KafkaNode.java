package io.seckill.infra;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One KRaft server (broker, controller or both) inside this JVM. A restart builds a new server from the same
 * settings and directory: a stopped KafkaRaftServer cannot be started again.
 */
final class KafkaNode {

    private final int nodeId;
    private final Map<String, String> settings;
    private final Path logDir;
    private KafkaRaftServer server;

    KafkaNode(int nodeId, Map<String, String> settings, Path logDir) {
        this.nodeId = nodeId;
        this.settings = Map.copyOf(settings);
        this.logDir = logDir;
    }

    int nodeId() {
        return nodeId;
    }

    /** What {@code kafka-storage.sh format} does: writes meta.properties and the bootstrap metadata. */
    void format(String clusterId) {
        KafkaConfig config = config();
        try {
            new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName(KafkaNodeConfig.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setHasDynamicQuorum(false)
                .addDirectory(logDir.toString())
                .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format kafka node " + nodeId + " in " + logDir, e);
        }
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer fresh = new KafkaRaftServer(config(), Time.SYSTEM);
        try {
            fresh.startup();
        } catch (RuntimeException e) {
            fresh.shutdown();
            fresh.awaitShutdown();
            throw e;
        }
        server = fresh;
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    private KafkaConfig config() {
        return new KafkaConfig(settings, false);
    }
}
