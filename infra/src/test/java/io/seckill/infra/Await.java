package io.seckill.infra;

import java.time.Duration;
import java.util.function.BooleanSupplier;

final class Await {

    private Await() {
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    static boolean running(long pid) {
        return ProcFs.startTicks(pid).isPresent() && ProcFs.isRunning(pid, ProcFs.startTicks(pid).getAsLong());
    }
}
