package io.seckill.infra.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files under infra/deploy/ and the project sources they must agree with, read as
 * plain files: these tests run before the services' modules are built (infra comes first in the
 * reactor), so the services' code is read as text.
 */
final class DeployFiles {
  private DeployFiles() {}

  static final Path ROOT = findRoot();
  static final Path DEPLOY = ROOT.resolve("infra/deploy");
  static final Path COMPOSE_DIR = DEPLOY.resolve("compose");
  static final Path COMPOSE = COMPOSE_DIR.resolve("compose.yaml");
  static final Path K8S = DEPLOY.resolve("k8s");
  static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");

  /** The services of the one distribution, as `java -jar seckill.jar SERVICE` names them. */
  static final Set<String> SERVICES = Set.of("gateway", "order-worker", "delay-service");

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("infra/deploy"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with infra/deploy above " + dir);
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * YAML as compose and kubectl read it: YAML 1.1 scalars (yes/no are booleans), anchors and merge
   * keys resolved.
   */
  static List<Object> yamlDocuments(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    List<Object> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(text)) {
      if (doc != null) docs.add(doc);
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlMap(Path p) {
    List<Object> docs = yamlDocuments(read(p));
    if (docs.size() != 1 || !(docs.get(0) instanceof Map)) {
      throw new AssertionError(
          p + ": expected one YAML mapping, got " + docs.size() + " documents");
    }
    return (Map<String, Object>) docs.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) throw new AssertionError(what + " is not a mapping: " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o, String what) {
    if (!(o instanceof List)) throw new AssertionError(what + " is not a list: " + o);
    return (List<Object>) o;
  }

  /** Every file under infra/deploy/ (text), for the cross-file checks. */
  static List<Path> deployFiles() {
    try (Stream<Path> s = Files.walk(DEPLOY)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> k8sManifests() {
    try (Stream<Path> s = Files.list(K8S)) {
      return s.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern SETTING =
      Pattern.compile("new Setting\\(\\s*\"(SECKILL_[A-Z0-9_]+)\"\\s*,\\s*\"([^\"]*)\"");

  /**
   * Name -> default of every setting declared in platform's Settings.java (the source of `seckill
   * config`).
   */
  static Map<String, String> settings() {
    String text =
        read(ROOT.resolve("platform/src/main/java/io/seckill/platform/config/Settings.java"));
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = SETTING.matcher(text);
    while (m.find()) out.put(m.group(1), m.group(2));
    if (out.size() < 10)
      throw new AssertionError("Settings.java no longer parses as expected: found " + out.keySet());
    return out;
  }

  private static final Pattern SECKILL_VAR = Pattern.compile("\\bSECKILL_[A-Z0-9_]*[A-Z0-9]");

  /** Every SECKILL_* name a text mentions. */
  static Set<String> seckillVariables(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = SECKILL_VAR.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  /** The Java sources of every module's main code, concatenated (for meter names and routes). */
  static String mainSources() {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.walk(ROOT)) {
      for (Path p :
          s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
              .filter(p -> !p.toString().contains("/target/"))
              .sorted()
              .toList()) {
        sb.append(read(p)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }

  /**
   * Metric names in a text of PromQL expressions (names of the Seckill, Vert.x and JVM families,
   * and `up`).
   */
  static Set<String> metricNames(String promql) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m =
        Pattern.compile(
                "\\b((?:seckill|vertx|jvm|process|system)_[a-z0-9_]+|up)\\b(?=\\s*[{\\[)]|\\s*$|\\s*[<>=!])")
            .matcher(promql);
    while (m.find()) out.add(m.group(1));
    return out;
  }
}
