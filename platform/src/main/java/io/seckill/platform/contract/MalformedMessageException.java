package io.seckill.platform.contract;

/**
 * A record on a topic that can never be parsed; consumers dead-letter it with this message as the
 * reason.
 */
public final class MalformedMessageException extends RuntimeException {
  public MalformedMessageException(String reason) {
    super(reason);
  }
}
