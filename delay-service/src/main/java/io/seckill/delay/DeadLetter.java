package io.seckill.delay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record of the delay topic that can never be a deadline, and why. */
record DeadLetter(ConsumerRecord<String, byte[]> record, String reason) {}
