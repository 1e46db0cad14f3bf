package io.seckill.inventory;

/** What releasing an undelivered reservation found. SETTLED means a worker has it: the order was delivered after all. */
public enum Release { RELEASED, SETTLED, ALREADY_RELEASED, UNKNOWN }
