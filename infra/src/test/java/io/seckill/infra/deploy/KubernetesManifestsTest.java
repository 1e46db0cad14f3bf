package io.seckill.infra.deploy;

import static io.seckill.infra.deploy.DeployFiles.K8S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests under infra/deploy/k8s/, read strictly into the Kubernetes API model
 * (fabric8), then checked for what the API server or the kubelet would reject or silently get
 * wrong, and for Seckill's own invariants.
 */
class KubernetesManifestsTest {
  private static final StrictKubernetesReader READER = new StrictKubernetesReader();
  private static final Pattern DNS_1123_LABEL =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** Every resource kustomization.yaml applies, in file order. */
  private static List<HasMetadata> resources;

  @BeforeAll
  static void readAll() {
    resources = new ArrayList<>();
    for (String file : kustomizationResources()) {
      Path p = K8S.resolve(file);
      List<Object> docs = DeployFiles.yamlDocuments(DeployFiles.read(p));
      for (int i = 0; i < docs.size(); i++) resources.add(READER.read(docs.get(i), file + "#" + i));
    }
  }

  private static List<String> kustomizationResources() {
    Map<String, Object> k = DeployFiles.yamlMap(K8S.resolve("kustomization.yaml"));
    return DeployFiles.list(k.get("resources"), "kustomization resources").stream()
        .map(String::valueOf)
        .toList();
  }

  // ---- the validator itself: it must reject what the API server rejects
  // -------------------------------------------

  @Test
  void validatorRejectsUnknownFieldsWrongTypesAndUnknownKinds() {
    String good =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          replicas: 2
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: c
                  image: i
                  env: [{name: A, value: "1"}]
                  ports: [{containerPort: 8080}]
        """;
    assertThat(READER.read(DeployFiles.yamlDocuments(good).get(0), "good"))
        .isInstanceOf(Deployment.class);

    // a misspelt field, deep in the pod template
    assertThatThrownBy(() -> read(good.replace("containerPort: 8080", "containerPorts: 8080")))
        .hasMessageContaining("containerPorts");
    // a field at the wrong level
    assertThatThrownBy(
            () ->
                read(
                    good.replace(
                        "  replicas: 2", "  replicas: 2\n  terminationGracePeriodSeconds: 5")))
        .hasMessageContaining("terminationGracePeriodSeconds");
    // wrong types: a number where the API wants a string, a string where it wants an integer, a
    // boolean for a string
    assertThatThrownBy(() -> read(good.replace("value: \"1\"", "value: 1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read(good.replace("replicas: 2", "replicas: \"2\"")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read(good.replace("value: \"1\"", "value: yes")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read(good.replace("replicas: 2", "replicas: [2]")))
        .isInstanceOf(IllegalArgumentException.class);
    // a kind under the wrong apiVersion (PodDisruptionBudget is policy/v1, not apps/v1)
    assertThatThrownBy(() -> read(good.replace("kind: Deployment", "kind: PodDisruptionBudget")))
        .hasMessageContaining("unsupported apiVersion/kind");
  }

  private static HasMetadata read(String yaml) {
    return READER.read(DeployFiles.yamlDocuments(yaml).get(0), "test");
  }

  // ---- the manifests
  // -----------------------------------------------------------------------------------------------

  @Test
  void kustomizationListsEveryManifestAndOnlyExistingOnes() {
    Set<String> listed = new HashSet<>(kustomizationResources());
    Set<String> present =
        DeployFiles.k8sManifests().stream()
            .map(p -> p.getFileName().toString())
            .filter(n -> !n.equals("secret.example.yaml"))
            .collect(Collectors.toSet());
    assertThat(listed)
        .as(
            "kustomization.yaml resources vs files in k8s/ (secret.example.yaml is applied by hand)")
        .isEqualTo(present);
    assertThat(DeployFiles.yamlMap(K8S.resolve("kustomization.yaml")).get("namespace"))
        .isEqualTo("seckill");
  }

  @Test
  void everyResourceIsNamedNamespacedAndLabelled() {
    for (HasMetadata r : resources) {
      String name = r.getMetadata().getName();
      assertThat(name).as(r.getKind()).isNotBlank();
      assertThat(DNS_1123_LABEL.matcher(name).matches())
          .as(r.getKind() + " " + name + " is a DNS-1123 label")
          .isTrue();
      if (!(r instanceof Namespace)) {
        assertThat(r.getMetadata().getNamespace())
            .as(r.getKind() + " " + name)
            .isEqualTo("seckill");
      }
      assertThat(r.getMetadata().getLabels())
          .as(r.getKind() + " " + name)
          .containsEntry("app.kubernetes.io/part-of", "seckill");
    }
    Set<String> ids = new HashSet<>();
    for (HasMetadata r : resources) {
      assertThat(ids.add(r.getKind() + "/" + r.getMetadata().getName()))
          .as("duplicate " + r.getKind() + " " + r.getMetadata().getName())
          .isTrue();
    }
  }

  @Test
  void workloadsAreWellFormed() {
    for (HasMetadata r : resources) {
      PodTemplateSpec template = template(r);
      if (template == null) continue;
      String what = r.getKind() + " " + r.getMetadata().getName();
      Map<String, String> selector = selector(r);
      assertThat(selector).as(what + " selector").isNotEmpty();
      assertThat(template.getMetadata().getLabels())
          .as(what + " template labels contain the selector")
          .containsAllEntriesOf(selector);

      Set<String> volumes = new HashSet<>();
      template.getSpec().getVolumes().stream().map(Volume::getName).forEach(volumes::add);
      if (r instanceof StatefulSet s) {
        s.getSpec().getVolumeClaimTemplates().stream()
            .map(c -> c.getMetadata().getName())
            .forEach(volumes::add);
        String serviceName = s.getSpec().getServiceName();
        assertThat(resources)
            .as(what + " serviceName " + serviceName)
            .anyMatch(x -> x instanceof Service && x.getMetadata().getName().equals(serviceName));
      }
      assertThat(template.getSpec().getContainers()).as(what).isNotEmpty();
      for (Container c : template.getSpec().getContainers()) {
        String cw = what + " container " + c.getName();
        assertThat(c.getName()).as(cw).matches(DNS_1123_LABEL);
        assertThat(c.getImage())
            .as(cw + " image")
            .isNotBlank()
            .doesNotEndWith(":latest")
            .contains(":");
        assertThat(c.getResources().getRequests())
            .as(cw + " requests")
            .containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(cw + " limits").containsKeys("cpu", "memory");
        for (String res : List.of("cpu", "memory")) {
          assertThat(Quantity.getAmountInBytes(c.getResources().getRequests().get(res)))
              .as(cw + " " + res + " request <= limit")
              .isLessThanOrEqualTo(
                  Quantity.getAmountInBytes(c.getResources().getLimits().get(res)));
        }
        Set<String> portNames = new HashSet<>();
        Set<Integer> portNumbers = new HashSet<>();
        for (ContainerPort port : c.getPorts()) {
          portNumbers.add(port.getContainerPort());
          if (port.getName() != null) {
            assertThat(port.getName().length())
                .as(cw + " port name " + port.getName() + " (IANA_SVC_NAME, <= 15)")
                .isLessThanOrEqualTo(15);
            portNames.add(port.getName());
          }
        }
        for (Probe probe : probes(c)) {
          IntOrString port =
              probe.getHttpGet() != null
                  ? probe.getHttpGet().getPort()
                  : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
          if (port == null) {
            assertThat(probe.getExec()).as(cw + " probe has a handler").isNotNull();
            continue;
          }
          if (port.getStrVal() != null)
            assertThat(portNames).as(cw + " probe port").contains(port.getStrVal());
          else assertThat(portNumbers).as(cw + " probe port").contains(port.getIntVal());
        }
        for (VolumeMount m : c.getVolumeMounts()) {
          assertThat(volumes).as(cw + " volume mount " + m.getName()).contains(m.getName());
        }
        // $(VAR) in env values must name a variable defined earlier in the same list, or it stays
        // literal.
        Set<String> defined = new HashSet<>();
        for (EnvVar e : c.getEnv()) {
          if (e.getValue() != null) {
            Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(e.getValue());
            while (m.find())
              assertThat(defined)
                  .as(cw + " env " + e.getName() + " refers to $(" + m.group(1) + ")")
                  .contains(m.group(1));
          }
          defined.add(e.getName());
        }
        for (EnvFromSource from : c.getEnvFrom()) {
          if (from.getConfigMapRef() != null) {
            String n = from.getConfigMapRef().getName();
            assertThat(resources)
                .as(cw + " envFrom ConfigMap " + n)
                .anyMatch(x -> x instanceof ConfigMap && x.getMetadata().getName().equals(n));
          }
          if (from.getSecretRef() != null) {
            assertThat(from.getSecretRef().getName())
                .as(cw + " envFrom Secret (see secret.example.yaml)")
                .isEqualTo(exampleSecret().getMetadata().getName());
          }
        }
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            assertThat(e.getValueFrom().getSecretKeyRef().getName())
                .isEqualTo(exampleSecret().getMetadata().getName());
            assertThat(exampleSecret().getStringData())
                .as(cw + " secret key")
                .containsKey(e.getValueFrom().getSecretKeyRef().getKey());
          }
        }
      }
    }
  }

  @Test
  void servicesSelectPodsAndTheirNamedPorts() {
    for (HasMetadata r : resources) {
      if (!(r instanceof Service svc)) continue;
      Map<String, String> sel = svc.getSpec().getSelector();
      List<PodTemplateSpec> pods =
          resources.stream()
              .map(KubernetesManifestsTest::template)
              .filter(Objects::nonNull)
              .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(sel.entrySet()))
              .toList();
      assertThat(pods)
          .as("Service " + svc.getMetadata().getName() + " selects some pods")
          .isNotEmpty();
      for (ServicePort port : svc.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort();
        for (PodTemplateSpec pod : pods) {
          List<ContainerPort> ports =
              pod.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream()).toList();
          if (target.getStrVal() != null) {
            assertThat(ports)
                .as("Service " + svc.getMetadata().getName() + " targetPort " + target.getStrVal())
                .anyMatch(p -> target.getStrVal().equals(p.getName()));
          } else {
            assertThat(ports).anyMatch(p -> target.getIntVal().equals(p.getContainerPort()));
          }
        }
      }
    }
  }

  @Test
  void disruptionBudgetsCoverTheServicesAndKafka() {
    Map<String, PodDisruptionBudget> pdbs = new LinkedHashMap<>();
    resources.stream()
        .filter(r -> r instanceof PodDisruptionBudget)
        .map(r -> (PodDisruptionBudget) r)
        .forEach(p -> pdbs.put(p.getMetadata().getName(), p));
    for (String workload :
        List.of("seckill-gateway", "seckill-order-worker", "seckill-delay-service", "kafka")) {
      HasMetadata w = workload(workload);
      Map<String, String> podLabels = template(w).getMetadata().getLabels();
      assertThat(pdbs.values())
          .as("a PodDisruptionBudget selects " + workload)
          .anyMatch(
              p ->
                  podLabels
                      .entrySet()
                      .containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()));
    }
    // min.insync.replicas=2 of 3 brokers: at most one may be evicted at a time.
    assertThat(pdbs.get("kafka").getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    // two gateways: one must stay.
    assertThat(pdbs.get("seckill-gateway").getSpec().getMinAvailable().getIntVal())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void gatewayProbesAndShutdownFitTheGateway() {
    Deployment gw = (Deployment) workload("seckill-gateway");
    assertThat(gw.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(gw.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    Container c = gw.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("gateway");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(c.getLifecycle().getPreStop()).as("preStop delay before SIGTERM").isNotNull();
    // SIGTERM: not ready for SECKILL_SHUTDOWN_GRACE_MS (long enough for the readiness probe to
    // fail), then stop
    // accepting and finish in-flight purchases (each bounded by the Kafka delivery timeout); all
    // within the grace period.
    long notReadyMs =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("SECKILL_SHUTDOWN_GRACE_MS"))
            .map(e -> Long.parseLong(e.getValue()))
            .findFirst()
            .orElse(Long.parseLong(DeployFiles.settings().get("SECKILL_SHUTDOWN_GRACE_MS")));
    Probe ready = c.getReadinessProbe();
    assertThat(notReadyMs)
        .as("not-ready time >= readiness period x failure threshold")
        .isGreaterThanOrEqualTo(1000L * ready.getPeriodSeconds() * ready.getFailureThreshold());
    long preStopSeconds =
        Long.parseLong(c.getLifecycle().getPreStop().getExec().getCommand().get(1));
    long deliveryMs =
        Long.parseLong(DeployFiles.settings().get("SECKILL_KAFKA_DELIVERY_TIMEOUT_MS"));
    long grace = gw.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    assertThat(grace * 1000)
        .as("grace period covers preStop + not-ready time + in-flight purchases")
        .isGreaterThan(preStopSeconds * 1000 + notReadyMs + deliveryMs);
    Service svc =
        (Service)
            resources.stream()
                .filter(
                    r ->
                        r instanceof Service && r.getMetadata().getName().equals("seckill-gateway"))
                .findFirst()
                .orElseThrow();
    assertThat(svc.getSpec().getExternalTrafficPolicy())
        .as("buyers' addresses reach the per-IP bucket")
        .isEqualTo("Local");

    for (String name :
        List.of("seckill-gateway", "seckill-order-worker", "seckill-delay-service")) {
      PodTemplateSpec t = template(workload(name));
      assertThat(t.getSpec().getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
      assertThat(t.getSpec().getContainers().get(0).getArgs()).as(name).hasSize(1);
      assertThat(DeployFiles.SERVICES)
          .contains(t.getSpec().getContainers().get(0).getArgs().get(0));
      // The gateway reads the whole Secret; the others only SECKILL_PG_URI from it (see the test on
      // the token secret).
      assertThat(t.getSpec().getContainers().get(0).getEnvFrom())
          .as(name + " reads the ConfigMap (and the gateway the Secret)")
          .hasSize(name.equals("seckill-gateway") ? 2 : 1);
    }
    assertThat(((Deployment) workload("seckill-order-worker")).getSpec().getReplicas())
        .as("no more workers than partitions of the orders topic")
        .isLessThanOrEqualTo(Integer.parseInt(configMapData().get("SECKILL_ORDERS_PARTITIONS")));
  }

  @Test
  void configMapCarriesTheProductionTopicSettingsAndNoSecrets() {
    Map<String, String> data = configMapData();
    assertThat(data)
        .containsEntry("SECKILL_REPLICATION_FACTOR", "3")
        .containsEntry("SECKILL_MIN_INSYNC_REPLICAS", "2");
    assertThat(data).doesNotContainKeys("SECKILL_JWT_SECRET", "SECKILL_PG_URI");
    // The bootstrap list names every broker pod of the StatefulSet through its headless Service.
    StatefulSet kafka = (StatefulSet) workload("kafka");
    for (int i = 0; i < kafka.getSpec().getReplicas(); i++) {
      assertThat(data.get("SECKILL_KAFKA_BOOTSTRAP"))
          .contains(
              "kafka-"
                  + i
                  + "."
                  + kafka.getSpec().getServiceName()
                  + ".seckill.svc.cluster.local:9092");
    }
    assertThat(data.get("SECKILL_REDIS_URI"))
        .startsWith("redis://redis.seckill.svc.cluster.local:6379");
    assertThat(exampleSecret().getStringData())
        .containsKeys("SECKILL_JWT_SECRET", "SECKILL_PG_URI", "POSTGRES_PASSWORD");
    assertThat(exampleSecret().getStringData().get("SECKILL_PG_URI"))
        .contains("@postgres.seckill.svc.cluster.local:5432/");
  }

  @Test
  void kafkaStatefulSetIsAThreeNodeKraftQuorumWithSafeReplication() {
    StatefulSet kafka = (StatefulSet) workload("kafka");
    assertThat(kafka.getSpec().getReplicas()).isEqualTo(3);
    assertThat(kafka.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(kafka.getSpec().getTemplate().getSpec().getEnableServiceLinks())
        .as("no KAFKA_* service-link env vars")
        .isFalse();
    Service headless =
        (Service)
            resources.stream()
                .filter(
                    r ->
                        r instanceof Service
                            && r.getMetadata().getName().equals(kafka.getSpec().getServiceName()))
                .findFirst()
                .orElseThrow();
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    PersistentVolumeClaim data = kafka.getSpec().getVolumeClaimTemplates().get(0);
    Container c = kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getVolumeMounts())
        .anyMatch(
            m ->
                m.getName().equals(data.getMetadata().getName())
                    && m.getMountPath().equals("/var/lib/kafka/data"));

    // Each pod's environment as the kubelet builds it (pod-index label, $(POD_NAME) expanded), then
    // as the
    // apache/kafka image turns it into server.properties, must be accepted by Kafka's own config
    // validation.
    for (int index = 0; index < 3; index++) {
      Map<String, String> env = new LinkedHashMap<>();
      for (EnvVar e : c.getEnv()) {
        String value;
        if (e.getValueFrom() != null) {
          String field = e.getValueFrom().getFieldRef().getFieldPath();
          value =
              switch (field) {
                case "metadata.name" -> "kafka-" + index;
                case "metadata.labels['apps.kubernetes.io/pod-index']" -> Integer.toString(index);
                default -> throw new AssertionError("unexpected fieldRef " + field);
              };
        } else {
          value = e.getValue();
          for (Map.Entry<String, String> prior : env.entrySet())
            value = value.replace("$(" + prior.getKey() + ")", prior.getValue());
        }
        env.put(e.getName(), value);
      }
      Properties props = KafkaImageConfig.serverProperties(env);
      KafkaImageConfig.assertSafeReplication(props, "kafka-" + index);
      KafkaImageConfig.validate(props, "kafka-" + index);
      assertThat(props.getProperty("advertised.listeners"))
          .contains("kafka-" + index + ".kafka-headless.seckill.svc.cluster.local:9092");
      String voters = props.getProperty("controller.quorum.voters");
      for (int j = 0; j < 3; j++)
        assertThat(voters)
            .contains(j + "@kafka-" + j + ".kafka-headless.seckill.svc.cluster.local:9093");
    }
  }

  @Test
  void redisKeepsEveryAcknowledgedDecrementAndNeverEvicts() {
    ConfigMap cm =
        (ConfigMap)
            resources.stream()
                .filter(
                    r -> r instanceof ConfigMap && r.getMetadata().getName().equals("redis-config"))
                .findFirst()
                .orElseThrow();
    Map<String, String> conf = new HashMap<>();
    for (String line : cm.getData().get("redis.conf").split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] kv = l.split("\\s+", 2);
      conf.put(kv[0], kv[1]);
    }
    assertThat(conf)
        .containsEntry("appendonly", "yes")
        .containsEntry("appendfsync", "always")
        .containsEntry("maxmemory-policy", "noeviction")
        .containsEntry("dir", "/data");
    StatefulSet redis = (StatefulSet) workload("redis");
    Container c = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("redis-server", "/etc/redis/redis.conf");
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/data"));
    assertThat(
            Quantity.getAmountInBytes(new Quantity(conf.get("maxmemory").replace("gb", "Gi")))
                .multiply(BigDecimal.valueOf(2)))
        .as(
            "maxmemory at most half the container's memory limit (an AOF rewrite forks; copy-on-write)")
        .isLessThanOrEqualTo(Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")));
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------------------------

  @Test
  void onlyTheGatewayGetsTheTokenSecretAndTheExamplePlaceholderIsOneAGatewayRefuses() {
    // The gateway refuses a secret under 32 bytes (JwtSecret): a Secret applied unedited stops it
    // at start.
    assertThat(
            exampleSecret()
                .getStringData()
                .get("SECKILL_JWT_SECRET")
                .getBytes(StandardCharsets.UTF_8))
        .as("placeholder shorter than 32 bytes")
        .hasSizeLessThan(32);
    assertThat(DeployFiles.read(K8S.resolve("secret.example.yaml")))
        .contains("at least 32 random bytes")
        .contains("openssl rand -base64 48");
    for (String name :
        List.of("seckill-gateway", "seckill-order-worker", "seckill-delay-service")) {
      Container c = template(workload(name)).getSpec().getContainers().get(0);
      boolean wholeSecret = c.getEnvFrom().stream().anyMatch(f -> f.getSecretRef() != null);
      Set<String> keys =
          c.getEnv().stream()
              .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
              .map(e -> e.getValueFrom().getSecretKeyRef().getKey())
              .collect(Collectors.toSet());
      if (name.equals("seckill-gateway")) {
        assertThat(wholeSecret || keys.contains("SECKILL_JWT_SECRET"))
            .as(name + " gets SECKILL_JWT_SECRET")
            .isTrue();
      } else {
        assertThat(wholeSecret).as(name + " takes the whole Secret").isFalse();
        assertThat(keys)
            .as(name + " verifies no token")
            .doesNotContain("SECKILL_JWT_SECRET")
            .contains("SECKILL_PG_URI");
      }
    }
  }

  private static Secret exampleSecret() {
    return (Secret)
        READER.read(
            DeployFiles.yamlDocuments(DeployFiles.read(K8S.resolve("secret.example.yaml"))).get(0),
            "secret.example.yaml");
  }

  private static Map<String, String> configMapData() {
    return ((ConfigMap)
            resources.stream()
                .filter(
                    r ->
                        r instanceof ConfigMap
                            && r.getMetadata().getName().equals("seckill-config"))
                .findFirst()
                .orElseThrow())
        .getData();
  }

  private static HasMetadata workload(String name) {
    return resources.stream()
        .filter(r -> template(r) != null && r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + name));
  }

  static PodTemplateSpec template(HasMetadata r) {
    if (r instanceof Deployment d) return d.getSpec().getTemplate();
    if (r instanceof StatefulSet s) return s.getSpec().getTemplate();
    return null;
  }

  private static Map<String, String> selector(HasMetadata r) {
    if (r instanceof Deployment d) return d.getSpec().getSelector().getMatchLabels();
    if (r instanceof StatefulSet s) return s.getSpec().getSelector().getMatchLabels();
    return Map.of();
  }

  private static List<Probe> probes(Container c) {
    List<Probe> out = new ArrayList<>();
    if (c.getStartupProbe() != null) out.add(c.getStartupProbe());
    if (c.getReadinessProbe() != null) out.add(c.getReadinessProbe());
    if (c.getLivenessProbe() != null) out.add(c.getLivenessProbe());
    return out;
  }
}
