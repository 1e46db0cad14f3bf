package io.seckill.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void everySettingsConstantIsNamedAfterItsEnvVar() throws IllegalAccessException {
    List<String> mismatches = new ArrayList<>();
    for (Field field : Settings.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || field.getType() != Setting.class) continue;
      String env = ((Setting) field.get(null)).env();
      if (!env.equals("SECKILL_" + field.getName())) mismatches.add(field.getName() + " -> " + env);
    }
    assertThat(mismatches).isEmpty();
    assertThat(Settings.all()).hasSizeGreaterThan(40);
  }
}
