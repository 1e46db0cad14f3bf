package io.seckill.infra;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Formats a node's log directory: meta.properties and the bootstrap metadata. This is the {@code
 * Formatter} that {@code kafka-storage.sh format} (StorageTool) runs, called here to spare a JVM
 * start per node.
 */
final class KafkaStorage {

  private KafkaStorage() {}

  static void format(int nodeId, Map<String, String> settings, Path logDir, String clusterId) {
    KafkaConfig config = new KafkaConfig(settings, false);
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setControllerListenerName(KafkaNodeConfig.CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          // a static quorum (controller.quorum.voters), so no --standalone / --initial-controllers
          .setHasDynamicQuorum(false)
          .addDirectory(logDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format kafka node " + nodeId + " in " + logDir, e);
    }
  }
}
