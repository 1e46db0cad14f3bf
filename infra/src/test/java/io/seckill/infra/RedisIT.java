package io.seckill.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisIT {

  private final DevStack stack = DevStack.shared();

  @Test
  void redisRunsALuaScriptAtomically() throws Exception {
    String script =
        "local left = redis.call('DECRBY', KEYS[1], ARGV[1]) "
            + "if left < 0 then redis.call('INCRBY', KEYS[1], ARGV[1]) return -1 end return left";
    try (RespClient redis = new RespClient(stack.redisHost(), stack.redisPort())) {
      assertThat(redis.call("SET", "stock:lua", "3")).isEqualTo("OK");

      assertThat(redis.call("EVAL", script, "1", "stock:lua", "2")).isEqualTo(1L);
      assertThat(redis.call("EVAL", script, "1", "stock:lua", "2")).isEqualTo(-1L);
      assertThat(redis.call("GET", "stock:lua")).isEqualTo("1");
    }
  }

  @Test
  void redisKeepsItsDataAcrossARestartOnTheSamePort() throws Exception {
    EmbeddedRedis redis = stack.redis();
    assertThat(redis.appendOnly()).isTrue();
    try (RespClient client = new RespClient(stack.redisHost(), stack.redisPort())) {
      client.call("SET", "survives:restart", "yes");
    }
    long pidBefore = redis.pid();

    redis.stop();
    assertThat(redis.isRunning()).isFalse();
    redis.start();

    assertThat(redis.pid()).isNotEqualTo(pidBefore);
    try (RespClient client = new RespClient(stack.redisHost(), stack.redisPort())) {
      assertThat(client.call("GET", "survives:restart")).isEqualTo("yes");
    }
  }

  @Test
  void aSpareRedisIsAServerOfItsOwnThatCanStopWhileTheSharedOneServes() throws Exception {
    EmbeddedRedis spare = stack.startSpareRedis();
    try {
      assertThat(spare.port()).isNotEqualTo(stack.redisPort());
      assertThat(spare.dataDir()).isNotEqualTo(stack.redis().dataDir());
      try (RespClient client = new RespClient(spare.host(), spare.port())) {
        assertThat(client.call("SET", "spare:only", "1")).isEqualTo("OK");
      }
      try (RespClient shared = new RespClient(stack.redisHost(), stack.redisPort())) {
        assertThat(shared.call("EXISTS", "spare:only")).isEqualTo(0L);
      }
      spare.stop();
      assertThat(spare.isRunning()).isFalse();
      try (RespClient shared = new RespClient(stack.redisHost(), stack.redisPort())) {
        assertThat(shared.call("PING")).isEqualTo("PONG");
      }
    } finally {
      spare.stop();
    }
  }
}
