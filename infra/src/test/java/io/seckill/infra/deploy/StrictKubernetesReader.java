package io.seckill.infra.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into fabric8's model of the real Kubernetes API, strictly: a field the
 * API does not have (fabric8 keeps those in "additionalProperties" instead of failing), a value of
 * the wrong JSON type (a number or a boolean where the API wants a string, a string where it wants
 * a number), or a kind/apiVersion outside the list below is an error, with the path of the field.
 */
final class StrictKubernetesReader {
  /** apiVersion/kind -> model class. Only what Seckill deploys; anything else is rejected. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "v1/Namespace", Namespace.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

  private final ObjectMapper mapper;

  StrictKubernetesReader() {
    JsonMapper m =
        JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    // The API server rejects `value: 8080` or `value: true` where a string is expected; so do we.
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    this.mapper = m;
  }

  /**
   * One YAML document (as SnakeYAML loaded it) to its Kubernetes object; throws with every problem
   * found.
   */
  HasMetadata read(Object document, String where) {
    JsonNode tree = mapper.valueToTree(document);
    String apiVersion = tree.path("apiVersion").asText("");
    String kind = tree.path("kind").asText("");
    Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
    if (type == null) {
      throw new IllegalArgumentException(
          where
              + ": unsupported apiVersion/kind "
              + apiVersion
              + "/"
              + kind
              + " (known: "
              + KINDS.keySet()
              + ")");
    }
    HasMetadata resource;
    try {
      resource = mapper.treeToValue(tree, type);
    } catch (Exception e) {
      throw new IllegalArgumentException(where + " (" + kind + "): " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    collectUnknown(resource, kind, unknown, 0);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          where + " (" + kind + "): fields the Kubernetes API does not have: " + unknown);
    }
    return resource;
  }

  private static void collectUnknown(Object o, String path, List<String> out, int depth) {
    if (o == null || depth > 64) return;
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) collectUnknown(e, path + "[" + i++ + "]", out, depth + 1);
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet())
        collectUnknown(e.getValue(), path + "[" + e.getKey() + "]", out, depth + 1);
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) return;
    for (Method getter : o.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class) continue;
      String name = getter.getName();
      if (!name.startsWith("get") || name.length() == 3) continue;
      Object value;
      try {
        value = getter.invoke(o);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (name.equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> out.add(path + "." + k));
        }
        continue;
      }
      String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
      collectUnknown(value, path + "." + field, out, depth + 1);
    }
  }
}
