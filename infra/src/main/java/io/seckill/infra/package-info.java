/**
 * The dev stack: real Kafka (KRaft, in this JVM), Redis and PostgreSQL servers on free loopback
 * ports.
 *
 * <p>Tests share one stack per JVM and isolate themselves by name:
 *
 * <pre>{@code
 * DevStack stack = DevStack.shared();
 * String db = stack.createDatabase("orders");          // a database of the test's own
 * String topic = "orders-" + UUID.randomUUID();         // a topic of the test's own
 * }</pre>
 *
 * Fault tests reach the servers through {@link io.seckill.infra.DevStack#kafka()}, {@link
 * io.seckill.infra.DevStack#redis()} and {@link io.seckill.infra.DevStack#postgres()}, each of
 * which can be stopped and started again on the same port and data.
 */
package io.seckill.infra;
