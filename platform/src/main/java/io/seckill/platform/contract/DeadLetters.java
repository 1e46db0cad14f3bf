package io.seckill.platform.contract;

/**
 * Headers every dead-lettered record carries, so an operator can tell why and from where without
 * the consumer's logs.
 */
public final class DeadLetters {
  private DeadLetters() {}

  public static final String REASON = "seckill-dead-letter-reason";
  public static final String SOURCE_TOPIC = "seckill-source-topic";
  public static final String SOURCE_PARTITION = "seckill-source-partition";
  public static final String SOURCE_OFFSET = "seckill-source-offset";
}
